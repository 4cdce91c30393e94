from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict:
    """What every page's layout needs: the operator's name and contacts."""
    return {"operator": settings.OPERATOR, "site_url": settings.SITE_URL}
