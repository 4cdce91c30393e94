"""What every case desk in the admin shares: the filters «мои» and «просрочено», and the
history of a case as a table. The case models' own admins use them."""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
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


def history_table(case, *, statuses: "Mapping[str, StrOrPromise]", with_comments: bool) -> str:
    """The case's steps for staff: when, who (the author is «заявитель»), what, the status
    after, and the comment — left out for staff who may not see the author's words."""
    events = list(CaseEvent.objects.of(case))
    if not events:
        return "—"
    author_id = getattr(case, "user_id", None)

    def who(event: CaseEvent) -> str:
        # No actor (a step of the system) reads as the author's, like the author's own steps.
        actor = None if event.actor_id == author_id else event.actor
        if actor is None:
            return str(_("заявитель"))
        return actor.get_full_name() or actor.email

    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                date_format(localtime(event.at), "d.m.Y H:i"),
                who(event),
                event.get_action_display(),
                statuses.get(event.to_status, event.to_status),
                event.comment if with_comments else ("скрыт" if event.comment else ""),
            )
            for event in events
        ),
    )
    return format_html(
        '<table class="case-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
        "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
        _("когда (МСК)"),
        _("кто"),
        _("что сделано"),
        _("состояние"),
        _("комментарий"),
        rows,
    )
