"""The incident register: deadlines for Roskomnadzor at a glance, and notifying the people."""

from datetime import datetime

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.timesince import timeuntil

from incidents import services
from incidents.authority_notice import authority_notice_text
from incidents.forms import IncidentForm
from incidents.models import Deadline, Incident, IncidentNotification
from incidents.subjects import subject_list_parse
from lkk.admin import BulkConfirmation, ReadOnlyEvidenceAdmin, bulk_action_confirmed
from staff.models import PersonalDataAccess
from staff.personal_data import SubjectRecordAdminMixin
from staff.roles import VIEW_PERSONAL_DATA

SUBJECT_FIELDS = ("subjects", "subject_list", "logged_in_from", "logged_in_until")


def _moment(value: datetime) -> str:
    return date_format(timezone.localtime(value), "d.m.Y H:i")


def deadline_html(deadline: Deadline, *, now: datetime) -> str:
    """A deadline's state in words and a sign, not by colour alone."""
    if deadline.was_late:
        return format_html(
            "<strong>⚠ направлено с опозданием</strong> {} (срок {})",
            _moment(deadline.done_at),
            _moment(deadline.due_at),
        )
    if deadline.done_at is not None:
        return format_html("✓ направлено {}", _moment(deadline.done_at))
    if deadline.is_overdue(now):
        return format_html("<strong>⚠ ПРОСРОЧЕНО</strong>: срок истёк {}", _moment(deadline.due_at))
    return format_html(
        "срок до {} (осталось {})", _moment(deadline.due_at), timeuntil(deadline.due_at, now)
    )


class DeadlineFilter(admin.SimpleListFilter):
    title = "сроки уведомления Роскомнадзора"
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("overdue", "просрочено")]

    def queryset(self, request: HttpRequest, queryset):
        if self.value() == "overdue":
            return queryset.overdue(timezone.now())
        return queryset


@admin.register(Incident)
class IncidentAdmin(SubjectRecordAdminMixin, admin.ModelAdmin):
    """The pasted list of affected people is personal data: hidden from staff without the
    right, and a look at it is recorded against the accounts it names."""

    form = IncidentForm
    subject_field = None
    search_is_personal_data = False  # the title only
    personal_data_fields = {"subject_list": "hidden_personal_data"}
    list_display = (
        "title",
        "kind",
        "detected_at",
        "authority_notice_state",
        "investigation_report_state",
        "notification_progress",
    )
    list_filter = (DeadlineFilter, "kind")
    search_fields = ("title",)
    actions = ("notify_subjects",)
    readonly_fields = (
        "authority_notice_state",
        "investigation_report_state",
        "authority_notice_draft",
        "clock_history",
        "notification_progress",
        "created_at",
        "created_by",
    )
    fieldsets = (
        (
            "Инцидент",
            {"fields": ("title", "kind", "detected_at", "description", "data_categories")},
        ),
        ("Чьи данные затронуты", {"fields": SUBJECT_FIELDS}),
        (
            "Уведомление Роскомнадзора — в течение 24 часов",
            {
                "fields": (
                    "causes",
                    "harm",
                    "measures",
                    "contact_person",
                    "authority_notified_at",
                    "authority_notice_state",
                )
            },
        ),
        (
            "Результаты расследования — в течение 72 часов",
            {
                "fields": (
                    "investigation_results",
                    "investigation_reported_at",
                    "investigation_report_state",
                )
            },
        ),
        (
            "Текст уведомления для Роскомнадзора",
            {"fields": ("authority_notice_draft", "clock_history")},
        ),
        (
            "Уведомление затронутых пользователей",
            {"fields": ("notice_text", "notification_progress")},
        ),
        ("Реестр", {"fields": ("created_at", "created_by")}),
    )

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).with_notification_progress()

    @staticmethod
    def _listed_user_ids(subject_list: str) -> list[int]:
        return list(subject_list_parse(subject_list).users().values_list("pk", flat=True))

    def personal_data_label(self, incident: Incident) -> str:
        return incident.title

    def subject_id_of(self, incident: Incident) -> None:
        return None  # many people, or none: recorded in `render_change_form`

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple[str, ...]:
        readonly = super().get_readonly_fields(request, obj)
        # Whom the notices went to is fixed once they started going out.
        if obj is not None and obj.notification_started_at is not None:
            return (*readonly, *SUBJECT_FIELDS)
        return readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.subject_list and request.user.has_perm(VIEW_PERSONAL_DATA):
            self.log_pd_access(
                request,
                subject_ids=self._listed_user_ids(obj.subject_list),
                action=PersonalDataAccess.Action.VIEWED,
                object_label=self.personal_data_label(obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the register is the operator's record for Roskomnadzor

    def has_notify_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("incidents.notify_subjects")

    def save_model(self, request: HttpRequest, obj: Incident, form, change: bool) -> None:
        services.incident_save(incident=obj, by=request.user)

    @admin.display(description="текст уведомления для Роскомнадзора")
    def authority_notice_draft(self, incident: Incident) -> str:
        if not incident.pk:
            return "—"
        return format_html(
            # Read-only, so what is copied is what the register says (Ctrl+A inside selects
            # it all; an inline script to select it would be refused by the CSP).
            '<textarea id="authority-notice-draft" readonly rows="24" cols="100">{}</textarea>'
            '<div class="help">Скопируйте в форму уведомления на сайте Роскомнадзора '
            "(pd.rkn.gov.ru). Затронутые лица названы только числом и категориями.</div>",
            authority_notice_text(incident),
        )

    @admin.display(description="история сроков")
    def clock_history(self, incident: Incident) -> str:
        if not incident.pk:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _moment(change.changed_at),
                    change.get_field_display(),
                    _moment(change.old_value) if change.old_value else "—",
                    _moment(change.new_value) if change.new_value else "—",
                    change.changed_by or "—",
                )
                for change in incident.clock_changes.select_related("changed_by")
            ),
        )
        return format_html(
            "<table><caption>История сроков</caption><thead><tr><th>Когда</th><th>Что</th>"
            "<th>Было</th><th>Стало</th><th>Кто</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.display(description="уведомление РКН (24 ч)")
    def authority_notice_state(self, incident: Incident) -> str:
        return deadline_html(incident.authority_notice, now=timezone.now()) if incident.pk else "—"

    @admin.display(description="результаты расследования (72 ч)")
    def investigation_report_state(self, incident: Incident) -> str:
        if not incident.pk:
            return "—"
        return deadline_html(incident.investigation_report, now=timezone.now())

    @admin.display(description="уведомлено пользователей")
    def notification_progress(self, incident: Incident) -> str:
        if incident.pk is None or incident.notification_started_at is None:
            return "не начато"
        notices = reverse("admin:incidents_incidentnotification_changelist")
        return format_html(
            '<a href="{}?{}">{} из {}</a>, писем отправлено: {}',
            notices,
            urlencode({"incident__id__exact": incident.pk}),
            incident.notified_count,
            incident.notification_total,
            incident.emailed_count,
        )

    @admin.action(description="Уведомить затронутых пользователей", permissions=["notify"])
    def notify_subjects(self, request: HttpRequest, queryset):
        """Asks first: the page says how many people each incident reaches."""
        incidents = list(queryset)
        page = bulk_action_confirmed(
            self,
            request,
            action="notify_subjects",
            confirmation=lambda: BulkConfirmation(
                title="Уведомить затронутых пользователей?",
                here="Уведомить затронутых пользователей",
                explanation=(
                    "Каждый затронутый пользователь получит письмо (если его адрес подтверждён) "
                    "и увидит сообщение в личном кабинете, пока не отметит его прочитанным. "
                    "Кто уже уведомлён об инциденте, второй раз уведомление не получит."
                ),
                columns=[
                    "Инцидент",
                    "Выявлен",
                    "Затронуто пользователей",
                    "Сообщение пользователям",
                ],
                rows=[
                    (
                        incident,
                        [
                            date_format(timezone.localtime(incident.detected_at), "d.m.Y H:i"),
                            incident.affected_users().count(),
                            Truncator(incident.notice_text).words(40, truncate=" …")
                            if incident.notice_text
                            else format_html(
                                "<strong>{}</strong>", "не заполнено — уведомление не начнётся"
                            ),
                        ],
                    )
                    for incident in incidents
                ],
                button="Уведомить",
            ),
        )
        if page is not None:
            return page
        for incident in incidents:
            try:
                total = services.incident_notify(incident=incident, started_by=request.user)
            except services.NoticeTextMissing:
                self.message_user(
                    request,
                    f"«{incident}»: сначала заполните сообщение затронутым пользователям.",
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    f"«{incident}»: уведомление начато, затронуто пользователей: {total}. "
                    "Кто уже уведомлён, второй раз уведомление не получит.",
                    messages.SUCCESS,
                )
        return None


@admin.register(IncidentNotification)
class IncidentNotificationAdmin(SubjectRecordAdminMixin, ReadOnlyEvidenceAdmin):
    """Who was told of which incident, and when: viewed here, written only by the notification."""

    list_display = ("incident", "masked_subject", "created_at", "emailed_at", "read_at")
    personal_data_fields = {"user": "masked_subject"}
    list_filter = ("incident",)
    search_fields = ("user__email",)
    list_select_related = ("incident", "user")
