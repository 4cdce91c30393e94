from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from lkk.admin import ReadOnlyEvidenceAdmin
from visits.charts import statistics_charts
from visits.forms import StatisticsPeriodForm
from visits.models import SLOW_RESPONSE_MS, Visit
from visits.statistics import statistics_report


@admin.register(Visit)
class VisitAdmin(ReadOnlyEvidenceAdmin):
    """The statistics page stands in for the list of page views.

    Single page views (IP addresses, accounts) are never browsed in the admin: staff see counts.
    """

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.statistics_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        # Only the view permission itself: nobody can change page views anyway.
        return request.user.has_perm("visits.view_visit")

    def statistics_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = StatisticsPeriodForm(request.GET or None)
        report = statistics_report(days=form.period_days())
        context = {
            **self.admin_site.each_context(request),
            "title": "Статистика посещений",
            "opts": self.opts,
            "form": form,
            "report": report,
            "charts": statistics_charts(report),
            "slow_response_ms": SLOW_RESPONSE_MS,
        }
        return TemplateResponse(request, "admin/visits/statistics.html", context)
