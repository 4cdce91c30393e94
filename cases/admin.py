"""What every case desk in the admin shares: the filters «мои» and «просрочено», and the
history of a case as a table. The case models' own admins use them; the PD requests' desk uses
the assignee filter and the history table too."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from cases.models import CaseEvent

if TYPE_CHECKING:
    from collections.abc import Mapping

    from django_stubs_ext import StrOrPromise


class DueFilter(admin.SimpleListFilter):
    title = _("срок ответа")
    parameter_name = "due"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, "StrOrPromise"]]:
        return [("overdue", _("просрочено")), ("open", _("ждут ответа"))]

    def queryset(self, request: HttpRequest, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "open":
            return queryset.open()
        return queryset


class AssigneeFilter(admin.SimpleListFilter):
    title = _("ответственный")
    parameter_name = "assignee"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, "StrOrPromise"]]:
        return [("mine", _("назначены мне")), ("nobody", _("никому не назначены"))]

    def queryset(self, request: HttpRequest, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee=request.user)
        if self.value() == "nobody":
            return queryset.filter(assignee__isnull=True)
        return queryset


@dataclass(frozen=True)
class HistoryRow:
    """One step as staff see it in a history table (`admin/cases/_history.html`), a case's or a
    PD request's: each history says who its actors are and what its steps changed."""

    at: datetime.datetime
    what: str
    who: str
    to_status: str  # the status's name
    from_status: str = ""  # the name of the status before, if the step changed it
    comment: str = ""
    details: Sequence[str] = ()


def history_table(case, *, statuses: "Mapping[str, StrOrPromise]", with_comments: bool) -> str:
    """The case's steps for staff: when, what, who (the author is «заявитель»), the status, and
    the comment — left out for staff who may not see the author's words."""
    author_id = getattr(case, "user_id", None)

    def who(event: CaseEvent) -> str:
        # No actor (a step of the system) reads as the author's, like the author's own steps.
        actor = None if event.actor_id == author_id else event.actor
        if actor is None:
            return str(_("заявитель"))
        return actor.get_full_name() or actor.email

    def status(value: str) -> str:
        return str(statuses.get(value, value))

    rows = [
        HistoryRow(
            at=event.at,
            what=event.get_action_display(),
            who=who(event),
            to_status=status(event.to_status),
            from_status=status(event.from_status)
            if event.from_status and event.from_status != event.to_status
            else "",
            comment=event.comment if with_comments else "",
            details=[str(_("комментарий скрыт"))] if event.comment and not with_comments else (),
        )
        for event in CaseEvent.objects.of(case)
    ]
    return render_to_string("admin/cases/_history.html", {"rows": rows})
