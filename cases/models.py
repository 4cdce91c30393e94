"""The building blocks every case shares — a feedback message, a service request: the statuses,
the append-only history of each step with who and when, and the daily reminder mark.

A case is a row of a domain app's own model (its fields are its own); what the cases have in
common lives here, below those apps, so that one history table, one workflow and one reminder
serve them all. A case model mixes in `CaseMixin` and names its fields as the mixin expects:
`number`, `user`, `status`, `assignee`, `due_on`, `answer_text`, `answered_at`, `closed_at`.

PD subject requests (`pdrequests`, above) keep their own legal state machine, table and history
table, but are built of the same blocks where they are the same: the open and overdue filters
and properties (`DueMixin`, `CaseQuerySetMixin`), the history's columns (`CaseEventBase`), the
"due soon" horizon and the once-a-day reminder mark (`CaseReminder`).
"""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkk.db import append_only
from workcalendar.terms import add_working_days, moscow_date


class CaseStatus(models.TextChoices):
    """The values every case's status takes; each model words them in its own grammatical
    gender (обращение — «новое», заявка — «новая») with the same values."""

    NEW = "new", _("новое")
    IN_WORK = "in_work", _("в работе")
    ANSWERED = "answered", _("ответ дан")
    CLOSED = "closed", _("закрыто без ответа")
    WITHDRAWN = "withdrawn", _("отозвано")


OPEN_STATUSES = (CaseStatus.NEW, CaseStatus.IN_WORK)
# Done by the operator: the author may rate the specialist's work.
COMPLETED_STATUSES = (CaseStatus.ANSWERED, CaseStatus.CLOSED)


class CaseAction(models.TextChoices):
    """A step in a case's history. The rules for each are in `cases.workflow`."""

    FILED = "filed", _("подано")
    TAKE = "take", _("взято в работу")
    VISIT = "visit", _("назначено время визита")
    COMMENT = "comment", _("комментарий")
    FILE = "file", _("добавлен файл")
    ANSWER = "answer", _("дан ответ")
    CLOSE = "close", _("закрыто без ответа")
    WITHDRAW = "withdraw", _("отозвано автором")


# A case whose term ends within this many working days is «due soon»: the staff's reminders
# and the PD desk's filters count the same horizon.
SOON_WORKING_DAYS = 2


def soon_limit(today: datetime.date) -> datetime.date:
    """The last day counted as «due soon»: the SOON_WORKING_DAYS-th working day after today."""
    return add_working_days(start=today, days=SOON_WORKING_DAYS)


class CaseQuerySetMixin:
    """Filters every case model's QuerySet has (the PD subject requests' too): mix in before
    `models.QuerySet`. «Open» is each model's own `OPEN_STATUSES`."""

    def open(self):
        return self.filter(status__in=self.model.OPEN_STATUSES)

    def overdue(self, *, today: datetime.date | None = None):
        """Still open after their due date (Moscow dates)."""
        return self.open().filter(due_on__lt=today or moscow_date(timezone.now()))


if TYPE_CHECKING:
    # For the type checker the mixin is what it is mixed into (a model); at run time it is a
    # plain class, so that it does not become a model of its own.
    _ModelBase = models.Model
else:
    _ModelBase = object


class DueMixin(_ModelBase):
    """A record open in some of its statuses and due on a date: a case, a PD subject request.
    A plain mixin, it adds no fields."""

    OPEN_STATUSES: tuple[str, ...]
    status: str
    due_on: datetime.date

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < moscow_date(timezone.now())


class CaseMixin(DueMixin):
    """What a case model answers about itself; a plain mixin, it adds no fields."""

    OPEN_STATUSES = OPEN_STATUSES
    COMPLETED_STATUSES = COMPLETED_STATUSES
    # The actions this kind of case knows (a feedback message cannot be withdrawn, say).
    CASE_ACTIONS: frozenset[str] = frozenset(CaseAction.values)
    RATING_FIELD: str = ""  # feedback.SpecialistRating's field pointing to this kind of case
    RATING_VIEW: str = ""  # the URL name of the view rating one case of this kind (by its pk)

    # The fields every case model declares (see the module's docstring).
    user_id: int | None
    assignee_id: int | None
    assignee: Any
    answer_text: str
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None

    if TYPE_CHECKING:

        def get_status_display(self) -> str: ...

    @property
    def is_completed(self) -> bool:
        return self.status in COMPLETED_STATUSES

    def history(self) -> "models.QuerySet[CaseEvent]":
        """The case's steps, oldest first, with who took them: one query."""
        return CaseEvent.objects.of(self)


class CaseEventQuerySet(models.QuerySet["CaseEvent"]):
    def of(self, case: models.Model) -> "CaseEventQuerySet":
        return (
            self.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk)
            .select_related("actor")
            .order_by("at", "pk")
        )

    def of_many(self, model: type[models.Model], case_ids) -> "CaseEventQuerySet":
        return self.filter(case_type=ContentType.objects.get_for_model(model), case_id__in=case_ids)


class CaseEventBase(models.Model):
    """The columns every history of steps shares — a case's, a PD subject request's: when, who,
    from which status to which, the comment and the step's data. Each history adds what points
    to its case, the `action`s of its own workflow (and its statuses' names where its pages need
    them), its indexes, and the `append_only` triggers that make every row evidence."""

    at = models.DateTimeField(_("дата и время"), default=timezone.now)
    # Empty: a guest who never signed in (a case), the system itself (a PD request's step).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(_("из состояния"), max_length=20, blank=True)
    to_status = models.CharField(_("в состояние"), max_length=20)
    comment = models.TextField(_("комментарий"), blank=True)
    data = models.JSONField(_("данные"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class CaseEvent(CaseEventBase):
    """One step of a case: who did what and when, from which status to which. Never changes."""

    case_type = models.ForeignKey(
        ContentType,
        verbose_name=_("вид дела"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the composite index below starts with it
    )
    case_id = models.PositiveBigIntegerField(_("номер записи дела"))
    case = GenericForeignKey("case_type", "case_id")
    action = models.CharField(_("действие"), max_length=20, choices=CaseAction.choices)

    objects = CaseEventQuerySet.as_manager()

    class Meta(CaseEventBase.Meta):
        verbose_name = _("шаг рассмотрения")
        verbose_name_plural = _("история рассмотрения")
        indexes = [models.Index(fields=["case_type", "case_id", "at"], name="cases_event_of_case")]
        triggers = append_only("cases_event")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"


class CaseReminder(models.Model):
    """That a member of staff got today's letter of one of the daily reminders of cases due soon
    or overdue: a second run of the job the same day sends nothing again (the unique constraint
    settles races). Each daily letter is marked apart, by the label of the app sending it —
    `cases` (feedback messages and service requests, to their specialists), `pdrequests` (PD
    subject requests with their legal terms, to the PD officers) — so that one does not stop
    the other."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    letter = models.CharField(_("письмо"), max_length=30)

    class Meta:
        verbose_name = _("напоминание о сроках")
        verbose_name_plural = _("напоминания о сроках")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "day", "letter"], name="cases_reminder_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.day:%Y-%m-%d}"
