from django.http import HttpRequest

from incidents.models import IncidentNotification


def incident_notices(request: HttpRequest) -> dict:
    """Unread incident notices for the banner (policy 5.3), shown until the person dismisses them.

    A lazy QuerySet: one query on a page that shows the banner to a signed-in person, none for
    a visitor, and none on pages that never render it (the admin).
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"incident_notices": IncidentNotification.objects.none()}
    return {"incident_notices": IncidentNotification.objects.unread_for(user)}
