"""The staff desk of service requests: a list per kind with filters (mine, overdue, kind,
status), actions, and a request's page with its fields, files, history, the visit slot for
meter jobs and the answer. Nothing is edited by hand: every change is a case step."""

from typing import TYPE_CHECKING, Any, TypedDict, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat, linebreaks_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.admin import AssigneeFilter, DueFilter, history_table
from cases.models import OPEN_STATUSES
from cases.workflow import CaseStepRefused
from servicerequests import services
from servicerequests.models import Field, RequestKind, ServiceRequest
from staff.personal_data import DeclaredLookupsAdminMixin, SubjectRecordAdminMixin

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise, WithAnnotations


class OpenCount(TypedDict):
    open_count: int


LATIN_LOOKALIKES = str.maketrans("ZB", "ЗВ")
VISIT = ("visit_starts_at", "visit_ends_at")


class RequestKindAdminForm(forms.ModelForm):
    fields = forms.MultipleChoiceField(  # type: ignore[assignment]
        label=_("поля формы"),
        choices=Field.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Что потребитель заполняет в заявке этого вида. Файлы можно приложить всегда."),
    )

    class Meta:
        model = RequestKind
        fields = (
            "title",
            "code",
            "what_happens_next",
            "term_working_days",
            "term_basis",
            "fields",
            "text_label",
            "text_required",
            "is_active",
            "position",
        )


@admin.register(RequestKind)
class RequestKindAdmin(DeclaredLookupsAdminMixin, admin.ModelAdmin):
    """Kinds are data: a site administrator adds one with its term and fields."""

    form = RequestKindAdminForm
    list_display = ("title", "code", "term_working_days", "is_active", "position", "desk")
    list_editable = ("is_active", "position")
    prepopulated_fields = {"code": ("title",)}

    def get_queryset(self, request: HttpRequest):
        # The open requests of each kind, counted in the same query as the list.
        return (
            super()
            .get_queryset(request)
            .annotate(open_count=Count("requests", filter=Q(requests__status__in=OPEN_STATUSES)))
        )

    @admin.display(description=_("рабочее место"))
    def desk(self, kind: "WithAnnotations[RequestKind, OpenCount]") -> str:
        return format_html(
            '<a href="{}?kind__id__exact={}&amp;due=open">Открытые заявки: {}</a>',
            reverse("admin:servicerequests_servicerequest_changelist"),
            kind.pk,
            kind.open_count,
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A kind with requests stays (PROTECT); untick «принимается» instead.
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.requests.exists()
        )


class ServiceRequestAdminForm(forms.ModelForm):
    """What staff do on the page: assign, book the visit, comment, answer."""

    staff_comment = forms.CharField(
        label=_("Комментарий в историю"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Виден заявителю в ходе рассмотрения (например, что нужно для визита)."),
    )

    class Meta:
        model = ServiceRequest
        fields = ("assignee", "visit_starts_at", "visit_ends_at", "answer_text")
        help_texts = {
            "answer_text": _(
                "Ответ уйдёт заявителю письмом сразу после сохранения и появится в его кабинете; "
                "заявка будет считаться выполненной."
            ),
            "visit_starts_at": _("Заявитель получит письмо со временем визита."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "assignee" in self.fields:
            # The model's foreign key makes it a ModelChoiceField.
            assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
            assignee.queryset = User.objects.filter(is_staff=True, is_active=True).order_by(
                "last_name", "first_name", "email"
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("visit_starts_at"), cleaned.get("visit_ends_at")
        if (starts is None) != (ends is None):
            raise forms.ValidationError(_("Укажите и начало, и окончание визита."))
        if starts and ends and ends <= starts:
            self.add_error("visit_ends_at", _("Окончание визита должно быть позже начала."))
        return cleaned


@admin.register(ServiceRequest)
class ServiceRequestAdmin(SubjectRecordAdminMixin, admin.ModelAdmin):
    """The applicant's data, words and files show only to staff allowed to see PD, and each
    look is recorded (`staff.personal_data`)."""

    form = ServiceRequestAdminForm
    search_is_personal_data = False  # by number only
    personal_data_fields = {
        "applicant": "masked_subject",
        "details": "hidden_personal_data",
        "files": "",
        "answer_text": "",
        "history": "history_without_comments",
    }
    list_display = (
        "number",
        "kind",
        "status",
        "received_at",
        "due_on",
        "overdue_marker",
        "visit_starts_at",
        "assignee",
    )
    list_filter = (AssigneeFilter, DueFilter, "kind", "status")
    list_select_related = ("kind", "assignee")
    search_fields = ("number",)
    search_help_text = _("Номер заявки, например ЗВ-2026-000123.")
    actions = ("take_into_work", "close_without_answer")
    readonly_fields = (
        "number",
        "kind",
        "status",
        "received_at",
        "due_on",
        "overdue_marker",
        "applicant",
        "details",
        "files",
        "answered_at",
        "closed_at",
        "rating",
        "history",
    )

    fieldsets = (
        (None, {"fields": ("number", "kind", "status", "received_at", "due_on", "overdue_marker")}),
        (_("Заявитель"), {"fields": ("applicant",)}),
        (_("Заявка"), {"fields": ("details", "files")}),
        (
            _("Выполнение"),
            {
                "fields": (
                    "assignee",
                    "visit_starts_at",
                    "visit_ends_at",
                    "staff_comment",
                    "answer_text",
                    "answered_at",
                    "closed_at",
                    "rating",
                )
            },
        ),
        (_("История рассмотрения"), {"fields": ("history",)}),
    )

    def get_fieldsets(self, request: HttpRequest, obj: ServiceRequest | None = None):
        """The visit slot only for meter jobs; the comment box only to those who may act."""
        fieldsets = super().get_fieldsets(request, obj)
        hidden: set[str] = set()
        if obj is None or not obj.kind.is_meter_job:
            hidden.update(VISIT)
        if not self.has_change_permission(request, obj):
            hidden.add("staff_comment")
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f not in hidden)})
            for name, options in fieldsets
        ]

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .select_related("kind", "assignee", "user", "meter", "account", "specialist_rating")
        )

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(number=term.upper().translate(LATIN_LOOKALIKES)), False

    def personal_data_label(self, obj: ServiceRequest) -> str:
        return f"заявка № {obj.number}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from the consumers' form

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or (obj.is_open and self.shows_personal_data(request, obj))
        )

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # a request is a record of the operator's work

    def save_model(self, request: HttpRequest, obj: ServiceRequest, form, change: bool) -> None:
        """Each change is a case step with its history row; the letters go after commit."""
        data, changed = form.cleaned_data, form.changed_data
        try:
            if "assignee" in changed and data["assignee"] is not None:
                services.service_requests_take(
                    requests=ServiceRequest.objects.filter(pk=obj.pk),
                    by=request.user,
                    assignee=data["assignee"],
                )
            if {"visit_starts_at", "visit_ends_at"} & set(changed) and data.get("visit_starts_at"):
                services.service_request_visit_book(
                    request=obj,
                    by=request.user,
                    starts_at=data["visit_starts_at"],
                    ends_at=data["visit_ends_at"],
                )
                self.message_user(
                    request, _("Время визита назначено, заявителю отправлено письмо.")
                )
            if data.get("staff_comment", "").strip():
                services.service_request_add(
                    request=obj, by=request.user, comment=data["staff_comment"]
                )
            if data.get("answer_text"):
                services.service_request_answer(
                    request=obj, by=request.user, answer_text=data["answer_text"]
                )
                self.message_user(request, _("Ответ отправлен заявителю."), messages.SUCCESS)
        except CaseStepRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)

    @admin.display(description=_("просрочено"))
    def overdue_marker(self, obj: ServiceRequest) -> str:
        return "⚠ просрочено" if obj.is_overdue else ""

    @admin.display(description=_("заявитель"))
    def applicant(self, obj: ServiceRequest) -> str:
        user = obj.user
        return ", ".join(part for part in (user.get_full_name(), user.email, user.phone) if part)

    @admin.display(description=_("что просят"))
    def details(self, obj: ServiceRequest) -> str:
        rows: list[tuple[StrOrPromise, str]] = []
        if obj.account is not None:
            rows.append((_("лицевой счёт"), f"{obj.account.number}, {obj.account.address}"))
        if obj.meter is not None:
            rows.append((_("прибор учёта"), f"№ {obj.meter.serial_number}"))
        if obj.visit_from:
            rows.append(
                (_("удобные даты визита"), f"{obj.visit_from:%d.%m.%Y}–{obj.visit_to:%d.%m.%Y}")
            )
        if obj.contact_phone:
            rows.append((_("контактный телефон"), obj.contact_phone))
        if obj.months:
            rows.append((_("месяцы"), ", ".join(f"{month:%m.%Y}" for month in obj.months)))
        if obj.claimant_name:
            rows.append((_("заявитель (ФИО)"), obj.claimant_name))
        if obj.address:
            rows.append((_("адрес"), obj.address))
        if obj.violation_started_at:
            ended = obj.violation_ended_at
            rows.append(
                (
                    _("нарушение"),
                    f"с {obj.violation_started_at:%d.%m.%Y %H:%M} "
                    + (f"по {ended:%d.%m.%Y %H:%M}" if ended else "— продолжается"),
                )
            )
        text = linebreaks_filter(obj.text, autoescape=True) if obj.text else ""
        table = format_html_join("", "<p><strong>{}:</strong> {}</p>", rows)
        return format_html("{}{}", table, text) or "—"

    @admin.display(description=_("файлы"))
    def files(self, obj: ServiceRequest) -> str:
        attachments = list(obj.attachments.all())
        if not attachments:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}" target="_blank" rel="noopener">{}</a> ({}, {})',
            (
                (
                    reverse("servicerequests:attachment", args=[obj.pk, item.pk]),
                    item.original_name,
                    item.get_content_type_display(),
                    filesizeformat(item.size),
                )
                for item in attachments
            ),
        )

    @admin.display(description=_("оценка заявителя"))
    def rating(self, obj: ServiceRequest) -> str:
        rating = getattr(obj, "specialist_rating", None)
        return f"{rating.score} из 5" if rating else "—"

    @admin.display(description=_("шаги"))
    def history(self, obj: ServiceRequest) -> str:
        return history_table(obj, statuses=dict(ServiceRequest.Status.choices), with_comments=True)

    @admin.display(description=_("шаги"))
    def history_without_comments(self, obj: ServiceRequest) -> str:
        return history_table(obj, statuses=dict(ServiceRequest.Status.choices), with_comments=False)

    @admin.action(description=_("Взять в работу (назначить мне)"), permissions=["change"])
    def take_into_work(self, request: HttpRequest, queryset) -> None:
        taken = services.service_requests_take(requests=queryset, by=request.user)
        self.message_user(request, _("Взято в работу: %d.") % taken, messages.SUCCESS)

    @admin.action(description=_("Закрыть без ответа (повтор, ошибка)"), permissions=["change"])
    def close_without_answer(self, request: HttpRequest, queryset) -> None:
        closed = services.service_requests_close(requests=queryset, by=request.user)
        self.message_user(request, _("Закрыто без ответа: %d.") % closed, messages.SUCCESS)
