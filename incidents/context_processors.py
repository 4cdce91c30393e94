from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from incidents.models import IncidentNotification
from lkk.person_cache import Shown, person_cached


def incident_notices(request: HttpRequest) -> dict:
    """Unread incident notices for the banner (policy 5.3), shown until the person dismisses them.

    Lazy: nothing on pages that never render it (the admin), nothing for a visitor; kept per
    person until a notice is sent to them or read (`person_changed`).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"incident_notices": ()}
    return {
        "incident_notices": SimpleLazyObject(
            lambda: person_cached(
                Shown.INCIDENT_NOTICES,
                user.pk,
                lambda: list(IncidentNotification.objects.unread_for(user)),
                request=request,
            )
        )
    }
