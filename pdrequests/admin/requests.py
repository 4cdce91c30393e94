"""The PD-requests desk: the list with its deadlines, one request with its history and the
actions its state allows, Roskomnadzor's requests registered by staff, the dashboard and the
inspector's journal.

Every action goes through `pdrequests.workflow.subject_request_transition`, the one place that
says what is allowed; this module only asks for what an action needs and shows the answer.
"""

import datetime
from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.services import PERSONAL_DATA_FIELDS
from cases.admin import AssigneeFilter as CaseAssigneeFilter
from cases.admin import HistoryRow
from cases.models import SOON_WORKING_DAYS, soon_limit
from lkk.admin import ReadOnlyEvidenceAdmin
from lkk.russian import plural
from pdrequests import journal
from pdrequests.admin.forms import (
    FIELD_LABELS,
    AuthorityRequestForm,
    JournalExportForm,
    ReceivedRequestForm,
    TransitionForm,
)
from pdrequests.dashboard import open_requests_by_due_date, requests_by_status
from pdrequests.destruction import performer_position_last, subject_reference
from pdrequests.models import (
    Action,
    DestructionAct,
    RequestsDashboard,
    SubjectRequest,
    SubjectRequestEvent,
)
from pdrequests.services import subject_request_file, subject_request_register
from pdrequests.workflow import (
    STEPS,
    TransitionNotAllowed,
    available_actions,
    subject_request_transition,
)
from staff.masking import mask_address, mask_email, mask_full_name
from staff.models import PersonalDataAccess
from staff.personal_data import (
    PersonalDataAdminMixin,
    ShownPersonalData,
)
from staff.roles import EXPORT_REQUEST_JOURNAL, VIEW_REQUESTS, WORK_REQUESTS
from workcalendar.terms import moscow_date, working_days_between

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _today() -> datetime.date:
    return moscow_date(timezone.now())


def _request_label(subject_request: SubjectRequest) -> str:
    return _("обращение № %(number)s") % {"number": subject_request.number}


def _working_days(*, genitive: bool = False) -> str:
    """«2 рабочих дня» (or «в течение 2 рабочих дней»): the "soon" of the terms' filters."""
    days = SOON_WORKING_DAYS
    if genitive:
        return f"{days} {plural(days, 'рабочего дня', 'рабочих дней', 'рабочих дней')}"
    return f"{days} {plural(days, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


class DueFilter(admin.SimpleListFilter):
    title = gettext_lazy("срок исполнения")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [
            ("open", _("все открытые")),
            ("overdue", _("просрочены")),
            ("soon", _("истекает в течение %(days)s") % {"days": _working_days(genitive=True)}),
            ("today", _("истекает сегодня")),
            ("next", _("истекает через 1–%(days)s") % {"days": _working_days()}),
            ("later", _("истекает позже")),
        ]

    def queryset(self, request: HttpRequest, queryset):
        today = _today()
        match self.value():
            case "open":
                return queryset.open()
            case "overdue":
                return queryset.overdue(today=today)
            case "soon":
                return queryset.due_within(SOON_WORKING_DAYS, today=today)
            case "today":
                return queryset.open().filter(due_on=today)
            case "next":
                return queryset.open().filter(due_on__gt=today, due_on__lte=soon_limit(today))
            case "later":
                return queryset.open().filter(due_on__gt=soon_limit(today))
        return queryset


class AssigneeFilter(CaseAssigneeFilter):
    """The cases' «mine» and «nobody's», in the desk's words."""

    title = gettext_lazy("исполнитель")

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, "StrOrPromise"]]:
        return [("mine", _("мои")), ("nobody", _("не назначен"))]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    """Requests are never edited as a form: each change is an action of the state machine."""

    list_display = (
        "number",
        "kind",
        "status",
        "masked_subject",
        "assignee",
        "received_at",
        "due_date",
    )
    list_filter = ("kind", "status", DueFilter, AssigneeFilter)
    list_select_related = ("subject", "assignee")
    search_fields = ("number",)
    search_help_text = gettext_lazy("Номер обращения, например ПДн-2026-000123.")
    actions = None
    change_form_template = "admin/pdrequests/subjectrequest_change_form.html"
    change_list_template = "admin/pdrequests/subjectrequest_change_list.html"

    class Media:
        css = {"all": ["staff/admin.css"]}

    # --- Rights -----------------------------------------------------------------------------
    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # One request is only ever viewed; working it is what the action buttons are for.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the journal an inspector reads keeps every request

    def _may_work(self, request: HttpRequest) -> bool:
        return request.user.has_perm(WORK_REQUESTS)

    # --- The list -----------------------------------------------------------------------------
    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        """The number through its unique index, however its prefix was typed (`пдн-2026-…`);
        nothing else is searchable here."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if term[:3].lower() == "пдн":
            term = "ПДн" + term[3:]
        return queryset.filter(number=term), False

    def get_queryset(self, request: HttpRequest):
        today = _today()
        if "_staff_soon_limit" not in request.__dict__:  # one calendar query per page
            request._staff_soon_limit = soon_limit(today)
        limit = request._staff_soon_limit
        open_ = Q(status__in=SubjectRequest.OPEN_STATUSES)
        return (
            super()
            .get_queryset(request)
            .annotate(
                overdue_now=ExpressionWrapper(
                    open_ & Q(due_on__lt=today), output_field=BooleanField()
                ),
                due_soon=ExpressionWrapper(
                    open_ & Q(due_on__gte=today, due_on__lte=limit), output_field=BooleanField()
                ),
            )
        )

    @admin.display(description=gettext_lazy("субъект"))
    def masked_subject(self, subject_request: SubjectRequest) -> str:
        if subject_request.subject is None:
            return _("%(name)s (без учётной записи)") % {
                "name": mask_full_name(subject_request.applicant_name)
            }
        return ShownPersonalData.masked(subject_request.subject).full_name

    @admin.display(description=gettext_lazy("срок исполнения"), ordering="due_on")
    def due_date(self, subject_request: SubjectRequest) -> str:
        """The date, and in words whether it has passed: a colour alone says nothing to some."""
        date = subject_request.due_on.strftime("%d.%m.%Y")
        if subject_request.overdue_now:
            return format_html(
                '{} <strong class="staff-overdue">⚠ {}</strong>', date, _("просрочено")
            )
        if subject_request.due_soon:
            return format_html("{} <em>{}</em>", date, _("скоро срок"))
        return date

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_export_journal": request.user.has_perm(EXPORT_REQUEST_JOURNAL),
        }
        return super().changelist_view(request, extra_context)

    # --- One request --------------------------------------------------------------------------
    def get_object(self, request: HttpRequest, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related("subject", "assignee")
        try:
            return queryset.get(pk=int(object_id))
        except (ValueError, SubjectRequest.DoesNotExist):
            return None

    def get_fieldsets(self, request: HttpRequest, obj=None):
        """The request's fields, as this viewer may see them: for each piece that holds the
        subject's data, either the field showing it or the one showing its mask. Dates and
        details that do not apply to this request are left out."""
        if obj is None:
            return []
        visible = self.subject_data_access(request, obj.subject_id).visible

        def present(*fields: str) -> tuple[str, ...]:
            return tuple(field for field in fields if getattr(obj, field))

        filed_by = ("filed_by",)
        if obj.representative_name:
            filed_by += ("representative" if visible else "representative_hidden",)
        filed_by += present("authority_letter_number", "authority_letter_date", "authority_email")
        if obj.received_via != SubjectRequest.ReceivedVia.PORTAL:
            filed_by += ("received_via", "document_number", "document_date")
        if visible:
            substance = (*present("reason"), "details")
            if obj.corrections:
                substance += ("corrections_asked",)
        else:
            substance = (*present("reason"), "details_hidden")
        fieldsets = [
            (None, {"fields": ("number", "kind", "status", *present("outcome"))}),
            (
                _("Субъект и заявитель"),
                {"fields": ("subject_data" if visible else "subject_masked", *filed_by)},
            ),
            (_("Суть обращения"), {"fields": substance}),
            (
                _("Сроки и исполнение"),
                {
                    "fields": (
                        "assignee",
                        "received_at",
                        "due_date_in_words",
                        *present(
                            "documents_received_at",
                            "extended_on",
                            "extension_reason",
                            "blocked_at",
                            "unblocked_at",
                            "corrected_at",
                            "destroyed_at",
                            "completed_at",
                        ),
                    )
                },
            ),
        ]
        closing = ("answer" if visible else "answer_hidden",) if obj.answer else ()
        if obj.destroyed_at:
            closing += ("destruction_act_link",)
        if closing:
            fieldsets.append((_("Ответ и акт"), {"fields": closing}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        fieldsets = self.get_fieldsets(request, obj)
        return [field for _name, options in fieldsets for field in options["fields"]]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        subject_request = self.get_object(request, object_id)
        if subject_request is None:
            return super().change_view(request, object_id, form_url, extra_context)
        access = self.subject_data_access(request, subject_request.subject_id)
        if access.blocked and not access.visible and request.method == "GET":
            messages.warning(request, access.blocked_message())
        extra_context = {
            **(extra_context or {}),
            "events": self._history(subject_request, visible=access.visible),
            "actions": [
                (action, STEPS[action].button, self._action_url(subject_request, action))
                for action in available_actions(subject_request)
            ]
            if self._may_work(request)
            else [],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            self._log_view(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _log_view(self, request: HttpRequest, subject_request: SubjectRequest) -> None:
        """A page that showed the subject's data is a look at it, and is recorded."""
        if self.subject_data_access(request, subject_request.subject_id).visible:
            self.log_pd_access(
                request,
                subject_ids=[subject_request.subject_id],
                action=PersonalDataAccess.Action.VIEWED,
                object_label=_request_label(subject_request),
            )

    def _history(self, subject_request: SubjectRequest, *, visible: bool) -> list[HistoryRow]:
        events = subject_request.events.select_related("actor").order_by("at", "pk")
        return [
            HistoryRow(
                at=event.at,
                what=event.title,
                who=self._actor_label(event, subject_request),
                to_status=event.get_to_status_display(),
                from_status=event.get_from_status_display()
                if event.from_status and event.from_status != event.to_status
                else "",
                comment=event.comment,
                details=_event_details(event, visible=visible),
            )
            for event in events
        ]

    @staticmethod
    def _actor_label(event: SubjectRequestEvent, subject_request: SubjectRequest) -> str:
        """Staff by name; the applicant by role: their name is the subject's data."""
        if event.actor is None:
            return _("система")
        if event.actor.is_staff and event.actor_id != subject_request.subject_id:
            return str(event.actor)
        return _("заявитель")

    # The request's fields as this viewer may see them: `get_fieldsets` picks, per viewer,
    # the field showing the data or the one showing its mask.
    @staticmethod
    def _subject_text(subject_request: SubjectRequest, *, visible: bool) -> str:
        """The subject in one line: their account's data, or, for a person without an account,
        the name and the address for the answer their document gave; values or masks."""
        if subject_request.subject is None:
            name, contact = subject_request.applicant_name, subject_request.applicant_contact
            if not visible:
                name = mask_full_name(name)
                contact = mask_email(contact) if "@" in contact else mask_address(contact)
            return f"{name} · {contact} ({_('без учётной записи в ЛКК')})"
        shown = ShownPersonalData.of(subject_request.subject, visible=visible)
        return (
            f"{shown.full_name} · {shown.email} · {shown.phone} "
            f"({subject_reference(subject_request.subject_id)})"
        )

    @admin.display(description=gettext_lazy("субъект"))
    def subject_data(self, subject_request: SubjectRequest) -> str:
        subject = subject_request.subject
        if subject is None:
            return self._subject_text(subject_request, visible=True)
        shown = ShownPersonalData.of(subject, visible=True)
        return format_html(
            '{} · <a href="{}">{}</a> ({})',
            " · ".join(part for part in (shown.full_name, shown.email, shown.phone) if part),
            reverse("admin:accounts_user_change", args=[subject.pk]),
            _("учётная запись"),
            subject_reference(subject.pk),
        )

    @admin.display(description=gettext_lazy("субъект"))
    def subject_masked(self, subject_request: SubjectRequest) -> str:
        return self._subject_text(subject_request, visible=False)

    @admin.display(description=gettext_lazy("законный представитель"))
    def representative(self, subject_request: SubjectRequest) -> str:
        if not subject_request.representative_name:
            return "—"
        return " · ".join(
            part
            for part in (
                subject_request.representative_name,
                subject_request.representative_basis_type,
                subject_request.representative_basis_number,
            )
            if part
        )

    @admin.display(description=gettext_lazy("законный представитель"))
    def representative_hidden(self, subject_request: SubjectRequest) -> str:
        return _("указан (скрыт)") if subject_request.representative_name else "—"

    @admin.display(description=gettext_lazy("что исправить"))
    def corrections_asked(self, subject_request: SubjectRequest) -> str:
        if not subject_request.corrections:
            return "—"
        return format_html_join(
            "",
            "<div>{}: {} → {}</div>",
            (
                (
                    FIELD_LABELS.get(c.get("field"), c.get("field")),
                    c.get("current") or "—",
                    c.get("requested") or "—",
                )
                for c in subject_request.corrections
            ),
        )

    @admin.display(description=gettext_lazy("суть обращения"))
    def details_hidden(self, subject_request: SubjectRequest) -> str:
        return _hidden_text(subject_request.details)

    @admin.display(description=gettext_lazy("ответ заявителю"))
    def answer_hidden(self, subject_request: SubjectRequest) -> str:
        return _hidden_text(subject_request.answer)

    @admin.display(description=gettext_lazy("срок исполнения"))
    def due_date_in_words(self, subject_request: SubjectRequest) -> str:
        date = subject_request.due_on.strftime("%d.%m.%Y")
        if not subject_request.is_open:
            return date
        return format_html(
            "{}<div>{}</div>", self._left(subject_request), subject_request.term.label
        )

    @staticmethod
    def _left(subject_request: SubjectRequest) -> str:
        """The due date and, in words, how many working days are left."""
        date = subject_request.due_on.strftime("%d.%m.%Y")
        left = working_days_between(start=_today(), end=subject_request.due_on)
        if left < 0:
            return format_html(
                '{} <strong class="staff-overdue">⚠ {}</strong>',
                date,
                _("просрочено на %(days)d раб. дн.") % {"days": -left},
            )
        if left == 0:
            return format_html("{} <strong>{}</strong>", date, _("срок сегодня"))
        return _("%(date)s (осталось %(days)d раб. дн.)") % {"date": date, "days": left}

    @admin.display(description=gettext_lazy("акт об уничтожении"))
    def destruction_act_link(self, subject_request: SubjectRequest) -> str:
        act_id = (
            DestructionAct.objects.filter(request=subject_request)
            .values_list("pk", flat=True)
            .first()
        )
        if act_id is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:pdrequests_destructionact_print", args=[act_id]),
            _("Акт об уничтожении (печатная форма)"),
        )

    # --- Actions ------------------------------------------------------------------------------
    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/deistvie/<slug:action>/",
                wrap(self.transition_view),
                name="pdrequests_subjectrequest_transition",
            ),
            path("zhurnal/", wrap(self.journal_view), name="pdrequests_subjectrequest_journal"),
            path(
                "registratsiya/",
                wrap(self.register_view),
                name="pdrequests_subjectrequest_register",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _action_url(subject_request: SubjectRequest, action: Action) -> str:
        return reverse(
            "admin:pdrequests_subjectrequest_transition", args=[subject_request.pk, action.value]
        )

    def transition_view(self, request: HttpRequest, object_id: int, action: str) -> HttpResponse:
        if not self._may_work(request):
            raise PermissionDenied
        try:
            action = Action(action)
        except ValueError:
            raise Http404 from None
        subject_request = self.get_object(request, object_id)
        if subject_request is None:
            raise Http404
        change_url = reverse("admin:pdrequests_subjectrequest_change", args=[subject_request.pk])
        access = self.subject_data_access(request, subject_request.subject_id)
        if action == Action.APPLY_CORRECTION and not access.visible:
            # The form shows the person's data and asks for the new values.
            messages.error(
                request,
                _("Уточнять данные может только сотрудник, которому видны данные субъекта.")
                + (f" {access.blocked_message()}" if access.blocked else ""),
            )
            return redirect(change_url)
        form = TransitionForm(
            request.POST or None,
            action=action,
            subject_request=subject_request,
            # Who opens the form usually takes it, and holds the position they last gave.
            initial={
                "assignee": request.user.pk,
                "position": performer_position_last(request.user),
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    subject_request = subject_request_transition(
                        request=subject_request,
                        action=action,
                        actor=request.user,
                        comment=form.cleaned_data["comment"],
                        **form.transition_data(),
                    )
                    self._log_change(request, subject_request, action)
            except TransitionNotAllowed as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(
                    request,
                    _("Обращение № %(number)s: %(action)s. Состояние: %(status)s.")
                    % {
                        "number": subject_request.number,
                        "action": action.label,
                        "status": subject_request.get_status_display(),
                    },
                )
                return redirect(change_url)
        self._log_view(request, subject_request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(action)s: обращение № %(number)s")
            % {"action": STEPS[action].button, "number": subject_request.number},
            "opts": self.opts,
            "original": subject_request,
            "subject_request": subject_request,
            "subject_line": self._subject_text(subject_request, visible=access.visible),
            "form": form,
            "action": action,
            "action_label": STEPS[action].button,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/pdrequests/subjectrequest_transition.html", context)

    def _log_change(
        self, request: HttpRequest, subject_request: SubjectRequest, action: Action
    ) -> None:
        """A correction or a destruction changed the person's data: recorded with the fields
        (a correction's as its history entry has them: only those that really changed)."""
        if action == Action.APPLY_CORRECTION:
            entry = subject_request.events.filter(action=action).latest("at", "pk")
            fields = [change["field"] for change in entry.data["changes"]]
        elif action == Action.DESTROY:
            fields = list(PERSONAL_DATA_FIELDS)
        else:
            return
        self.log_pd_access(
            request,
            subject_ids=[subject_request.subject_id],
            action=PersonalDataAccess.Action.CHANGED,
            object_label=_request_label(subject_request),
            changed_fields=fields,
        )

    # --- Filing on behalf of Roskomnadzor ------------------------------------------------------
    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AuthorityRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            subject_request = subject_request_file(
                subject=data["subject_email"],
                filed_by_user=request.user,
                kind=data["kind"],
                filed_by=SubjectRequest.FiledBy.AUTHORITY,
                reason=data["reason"],
                details=data["details"],
                authority_letter_number=data["authority_letter_number"],
                authority_letter_date=data["authority_letter_date"],
                authority_email=data["authority_email"],
            )
            return self._registered(request, subject_request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Обращение Роскомнадзора"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/pdrequests/subjectrequest_add.html", context)

    def _registered(self, request: HttpRequest, subject_request: SubjectRequest) -> HttpResponse:
        """A request registered by staff: its number and term, then its page."""
        messages.success(
            request,
            _("Обращение № %(number)s зарегистрировано; срок исполнения — %(due)s.")
            % {
                "number": subject_request.number,
                "due": subject_request.due_on.strftime("%d.%m.%Y"),
            },
        )
        return redirect("admin:pdrequests_subjectrequest_change", subject_request.pk)

    # --- Requests and withdrawals received on paper or by email ------------------------------
    def register_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ReceivedRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            subject_request = subject_request_register(
                registered_by=request.user, **form.registration_data()
            )
            return self._registered(request, subject_request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Обращение на бумаге или по электронной почте"),
            "opts": self.opts,
            "form": form,
        }
        return TemplateResponse(request, "admin/pdrequests/subjectrequest_register.html", context)

    # --- The inspector's journal ---------------------------------------------------------------
    def journal_view(self, request: HttpRequest) -> HttpResponse:
        """The period form (GET) and the file (POST: it is written to the access journal)."""
        if not request.user.has_perm(EXPORT_REQUEST_JOURNAL):
            raise PermissionDenied
        form = JournalExportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            return self._journal_file(request, **form.cleaned_data)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Журнал обращений по ПДн для проверяющего"),
            "opts": self.opts,
            "form": form,
            "columns": journal.HEADER,
        }
        return TemplateResponse(request, "admin/pdrequests/subjectrequest_journal.html", context)

    def _journal_file(
        self,
        request: HttpRequest,
        *,
        received_from: datetime.date,
        received_to: datetime.date,
        file_format: str,
    ) -> HttpResponse:
        requests = journal.journal_requests(received_from=received_from, received_to=received_to)
        # The references lead back to people: the export is recorded for each subject in it.
        self.log_pd_access(
            request,
            subject_ids=requests.order_by().values_list("subject_id", flat=True).distinct(),
            action=PersonalDataAccess.Action.EXPORTED,
            object_label=_("журнал обращений за %(start)s–%(end)s")
            % {
                "start": received_from.strftime("%d.%m.%Y"),
                "end": received_to.strftime("%d.%m.%Y"),
            },
        )
        filename = f"pdn-journal-{received_from.isoformat()}-{received_to.isoformat()}"
        rows = journal.journal_rows(requests)
        if file_format == "csv":
            return journal.journal_csv_response(rows, filename=filename)
        return journal.journal_xlsx_response(rows, filename=filename)


def _hidden_text(text: str) -> str:
    return _("скрыто: видно сотрудникам с правом просмотра ПДн") if text else "—"


def _event_details(event: SubjectRequestEvent, *, visible: bool) -> list[str]:
    """What an entry of the history changed, in words; old and new values of the person's data
    only to those who may see it."""
    data = event.data or {}
    lines = []
    for change in data.get("changes", []):
        label = FIELD_LABELS.get(change.get("field"), change.get("field"))
        if visible:
            lines.append(f"{label}: {change.get('old') or '—'} → {change.get('new') or '—'}")
        else:
            lines.append(_("%(field)s: изменено") % {"field": label})
    if "due_on" in data:
        lines.append(
            _("срок: %(before)s → %(after)s")
            % {"before": _date(data.get("due_on_before")), "after": _date(data["due_on"])}
        )
    if data.get("blocked"):
        lines.append(_("данные заблокированы"))
    if data.get("unblocked"):
        lines.append(_("блокирование снято"))
    return lines


def _date(value) -> str:
    """A date from the history's JSON (stored as ISO text)."""
    if not value:
        return "—"
    return datetime.date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")


@admin.register(RequestsDashboard)
class RequestsDashboardAdmin(ReadOnlyEvidenceAdmin):
    """The dashboard stands in for a list: the admin index links to it."""

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.dashboard_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(VIEW_REQUESTS)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(VIEW_REQUESTS)

    def dashboard_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = _today()
        changelist = reverse("admin:pdrequests_subjectrequest_changelist")
        due = open_requests_by_due_date(today=today, viewer=request.user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Сводка по обращениям ПДн"),
            "opts": self.opts,
            "today": today,
            "by_status": requests_by_status(),
            "due": due,
            "due_rows": [
                (_("Просрочены"), due.overdue, f"{changelist}?due=overdue", True),
                (_("Срок сегодня"), due.today, f"{changelist}?due=today", False),
                (
                    _("Срок в ближайшие %(days)s") % {"days": _working_days()},
                    due.next_days,
                    f"{changelist}?due=next",
                    False,
                ),
                (_("Срок позже"), due.later, f"{changelist}?due=later", False),
            ],
            "changelist": changelist,
            "may_export_journal": request.user.has_perm(EXPORT_REQUEST_JOURNAL),
        }
        return TemplateResponse(request, "admin/pdrequests/dashboard.html", context)
