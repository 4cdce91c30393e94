from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lkk.request_info import client_ip, client_user_agent
from mailings import services
from mailings.recipients import mailings_consent_given
from mailings.unsubscribe import unsubscribe_token_read


# RFC 8058: a mail program's «unsubscribe» button POSTs to the link without any cookie or CSRF
# token. Forging such a request needs the signed token, which only the letter holds.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (mail scanners open links, and must not unsubscribe anybody); POST withdraws."""
    user = unsubscribe_token_read(token)
    if user is None:
        return render(request, "mailings/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.mailing_unsubscribe(
            user=user, ip_address=client_ip(request), user_agent=client_user_agent(request)
        )
        return render(request, "mailings/unsubscribed.html")
    return render(
        request,
        "mailings/unsubscribe.html",
        {"token": token, "subscribed": mailings_consent_given(user)},
    )
