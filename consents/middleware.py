"""Consumers must accept a policy version that requires renewed consent before going on."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from consents.policy_renewal import pending_policy_for_request

# Pages a consumer may open before accepting: the review itself, what it links to (the policy,
# the consent documents, withdrawing instead of accepting), logging out, and infrastructure.
# Static files never get here: WhiteNoise answers them earlier in the middleware chain.
EXEMPT_NAMESPACES = frozenset({"admin", "privacy"})
EXEMPT_VIEW_NAMES = frozenset(
    {
        "consents:policy_review",
        "consents:document",
        "consents:document_version",
        "consents:withdraw",
        "accounts:logout",
        "healthz",
    }
)


class PolicyRenewalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:  # set for every resolved view; only a request no view serves lacks it
            return None
        if match.view_name in EXEMPT_VIEW_NAMES or EXEMPT_NAMESPACES.intersection(match.namespaces):
            return None
        pending = pending_policy_for_request(request)
        if pending is None or not pending.requires_acceptance:
            return None
        review_url = reverse("consents:policy_review")
        if request.method in ("GET", "HEAD"):
            review_url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(review_url)
