"""The notification to Roskomnadzor about the processing of personal data (152-FZ art. 22): what
it must state, from the registry, what changed since it was last filed, and the filings."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lkk.models import NotificationFiling
from lkk.pd_notification import (
    changes_since,
    notification_details,
    notification_filing_record,
)
from staff.personal_data import DeclaredLookupsAdminMixin
from workcalendar.terms import moscow_date


class NotificationFilingForm(forms.Form):
    """The notification to Roskomnadzor (152-FZ art. 22) was filed: when, under which number."""

    filed_on = forms.DateField(
        label=gettext_lazy("Дата подачи"),
        help_text=gettext_lazy("ДД.ММ.ГГГГ"),
        error_messages={
            "required": gettext_lazy("Укажите дату подачи уведомления."),
            "invalid": gettext_lazy("Введите дату в виде ДД.ММ.ГГГГ."),
        },
    )
    reference = forms.CharField(
        label=gettext_lazy("Регистрационный номер или номер письма"), max_length=100, required=False
    )

    def clean_filed_on(self) -> datetime.date:
        date = self.cleaned_data["filed_on"]
        if date > moscow_date(timezone.now()):
            raise forms.ValidationError(_("Дата подачи не может быть позже сегодняшней."))
        return date


@admin.register(NotificationFiling)
class NotificationFilingAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    """One page stands in for the list: the statements, the changes and the filings."""

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.notification_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def notification_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_record = self.has_add_permission(request)
        if request.method == "POST" and not may_record:
            raise PermissionDenied
        form = NotificationFilingForm(request.POST or None) if may_record else None
        if form is not None and request.method == "POST" and form.is_valid():
            filing = notification_filing_record(recorded_by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Подача уведомления от %(date)s записана вместе со сведениями, указанными в нём.")
                % {"date": filing.filed_on.strftime("%d.%m.%Y")},
            )
            return redirect(request.path)
        details = notification_details()
        filings = list(NotificationFiling.objects.select_related("recorded_by")[:20])
        latest = filings[0] if filings else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Сведения для уведомления Роскомнадзора об обработке ПДн"),
            "opts": self.opts,
            "details": details,
            "latest": latest,
            "changes": changes_since(latest.snapshot, details) if latest else None,
            "filings": filings,
            "form": form,
        }
        return TemplateResponse(request, "admin/staff/notification.html", context)
