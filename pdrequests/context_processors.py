from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lkk.person_cache import Shown, person_cached
from pdrequests.models import SubjectRequest


def pd_blocking(request: HttpRequest) -> dict:
    """The request blocking the person's PD, for the banner of every page.

    Lazy, so pages that do not show the banner (the admin) cost nothing; kept per person
    until a request of theirs is filed or changes (`person_changed`), none for a visitor.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"pd_blocking": None}
    return {
        "pd_blocking": SimpleLazyObject(
            lambda: person_cached(
                Shown.PD_BLOCKING,
                user.pk,
                lambda: (
                    SubjectRequest.objects.blocking_in_force()
                    .for_subject(user)
                    .order_by("blocked_at", "pk")
                    .only("pk", "number", "kind", "reason", "blocked_at", "due_on", "status")
                    .first()
                ),
                request=request,
            )
        )
    }
