from django.http import HttpRequest

# Holds only "1": the visitor has read the notice. No identifier, so it needs no consent.
COOKIE_NOTICE_COOKIE = "lkk_cookie_notice"


def cookie_notice(request: HttpRequest) -> dict:
    """Whether the page shows the cookie notice (policy 1.8, 3.3): until it is dismissed."""
    return {"show_cookie_notice": COOKIE_NOTICE_COOKIE not in request.COOKIES}
