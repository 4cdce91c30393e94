from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from incidents import services
from incidents.models import IncidentNotification
from lkk.request_info import safe_next_url


def _own_notice(request: HttpRequest, pk: int) -> IncidentNotification:
    """The consumer's own notice; anybody else's is a 404, as if it did not exist."""
    return get_object_or_404(
        IncidentNotification.objects.select_related("incident"), pk=pk, user=request.user
    )


@login_required
@require_GET
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole message about an incident, as the letter gave it."""
    return render(request, "incidents/notice.html", {"notice": _own_notice(request, pk)})


@login_required
@require_POST
def notice_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    services.incident_notice_dismiss(notification=_own_notice(request, pk))
    return redirect(safe_next_url(request, default=reverse("home")))
