"""PD subject requests (152-FZ art. 14, 20, 21): blocking, correction, withdrawal, access.

A request's rules (which action is allowed when, and what it does) live in `pdrequests.workflow`;
this module holds the data, its filters and the choice of the legal term. The status history and
the destruction acts are append-only, enforced by database triggers like consent records: a
journal an inspector reads must not be editable afterwards. Only the destruction service may
replace the personal data in them with a pseudonymous reference (`pdrequests.destruction`).
"""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseEventBase, CaseQuerySetMixin, DueMixin
from feedback.services import RatedWork
from lkk.db import append_only, serial_number
from workcalendar.terms import Term, add_working_days, due_date, moscow_date

# The number's serial part; a sequence never hands out a number twice, even after a rollback.
NUMBER_SEQUENCE = "consents_subject_request_number_seq"


class Action(models.TextChoices):
    """What can be done to a request. The rules for each are in `pdrequests.workflow`."""

    TAKE_INTO_WORK = "take_into_work", _("взято в работу")
    REQUEST_DOCUMENTS = "request_documents", _("запрошены документы")
    RECEIVE_DOCUMENTS = "receive_documents", _("документы представлены")
    APPLY_CORRECTION = "apply_correction", _("данные уточнены")
    BLOCK = "block", _("данные заблокированы")
    STOP_UNLAWFUL = "stop_unlawful", _("неправомерная обработка прекращена")
    UNBLOCK = "unblock", _("блокирование снято")
    DESTROY = "destroy", _("данные уничтожены")
    EXTEND = "extend", _("срок ответа продлён")
    COMPLETE = "complete", _("обращение исполнено")
    REJECT = "reject", _("в удовлетворении отказано")
    WITHDRAW = "withdraw", _("обращение отозвано заявителем")


class SubjectRequestQuerySet(CaseQuerySetMixin, models.QuerySet["SubjectRequest"]):
    """`open()` and `overdue()` as every case has them, over the request's own statuses."""

    def for_subject(self, user) -> "SubjectRequestQuerySet":
        return self.filter(subject=user)

    def blocking_in_force(self) -> "SubjectRequestQuerySet":
        """Requests whose blocking holds now. `.values("subject")` gives the blocked people,
        for excluding them from mailings and other processing."""
        return self.filter(blocked_at__isnull=False, unblocked_at__isnull=True)

    def due_within(
        self, working_days: int = 2, *, today: datetime.date | None = None
    ) -> "SubjectRequestQuerySet":
        """Open requests due from today up to the `working_days`-th working day after it."""
        today = today or moscow_date(timezone.now())
        last = add_working_days(start=today, days=working_days)
        return self.open().filter(due_on__gte=today, due_on__lte=last)


class SubjectRequest(DueMixin, models.Model):
    """One request of a PD subject, their legal representative or the authorized body."""

    class Kind(models.TextChoices):
        BLOCKING = "blocking", _("блокирование персональных данных")
        CORRECTION = "correction", _("уточнение / разблокирование персональных данных")
        WITHDRAWAL = "withdrawal", _("отзыв согласия и уничтожение персональных данных")
        ACCESS = "access", _("сведения об обработке персональных данных")
        STOP_PROCESSING = (
            "stop_processing",
            _("требование прекратить обработку персональных данных (ч. 5.1 ст. 21 152-ФЗ)"),
        )
        OTHER = "other", _("другое обращение")

    class FiledBy(models.TextChoices):
        SUBJECT = "subject", _("субъект персональных данных")
        REPRESENTATIVE = "representative", _("законный представитель")
        AUTHORITY = "authority", _("уполномоченный орган (Роскомнадзор)")

    class ReceivedVia(models.TextChoices):
        PORTAL = "portal", _("через личный кабинет")
        PAPER = "paper", _("на бумаге (почтой или лично)")
        EMAIL = "email", _("по электронной почте")

    class Reason(models.TextChoices):
        INACCURATE = "inaccurate", _("персональные данные недостоверны")
        UNLAWFUL = "unlawful", _("обработка неправомерна")

    class Status(models.TextChoices):
        RECEIVED = "received", _("получено")
        IN_WORK = "in_work", _("в работе")
        AWAITING_DOCUMENTS = "awaiting_documents", _("ожидаются документы")
        COMPLETED = "completed", _("исполнено")
        REJECTED = "rejected", _("отказано")
        WITHDRAWN = "withdrawn", _("отозвано заявителем")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("дан ответ")
        CORRECTED = "corrected", _("данные уточнены")
        UNBLOCKED = "unblocked", _("блокирование снято")
        DESTROYED = "destroyed", _("данные уничтожены")
        REJECTED = "rejected", _("отказано")
        WITHDRAWN = "withdrawn", _("отозвано заявителем")

    OPEN_STATUSES = (Status.RECEIVED, Status.IN_WORK, Status.AWAITING_DOCUMENTS)
    # Kinds that block the data from the receipt (152-FZ art. 21 p. 1-2): the data are said to
    # be inaccurate or processed unlawfully while they are checked.
    BLOCKING_KINDS = (Kind.BLOCKING, Kind.CORRECTION)

    number = models.CharField(_("номер"), max_length=24, unique=True, editable=False)
    kind = models.CharField(_("вид обращения"), max_length=20, choices=Kind.choices)
    # Empty for a person without a portal account, whose request came on paper or by email:
    # `applicant_name` and `applicant_contact` say who they are and where the answer goes.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("субъект ПДн"),
        on_delete=models.PROTECT,
        related_name="subject_requests",
        null=True,
        blank=True,
        db_index=False,  # the composite index below starts with `subject`
    )
    applicant_name = models.CharField(
        _("субъект ПДн без учётной записи (ФИО)"), max_length=255, blank=True
    )
    applicant_contact = models.CharField(
        _("адрес для ответа (почтовый или электронный)"), max_length=500, blank=True
    )
    received_via = models.CharField(
        _("как получено"),
        max_length=10,
        choices=ReceivedVia.choices,
        default=ReceivedVia.PORTAL,
    )
    document_number = models.CharField(_("входящий номер документа"), max_length=100, blank=True)
    document_date = models.DateField(_("дата документа"), null=True, blank=True)
    filed_by = models.CharField(
        _("кто подал"), max_length=20, choices=FiledBy.choices, default=FiledBy.SUBJECT
    )
    filed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись, подавшая обращение"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    representative_name = models.CharField(
        _("законный представитель (ФИО)"), max_length=255, blank=True
    )
    representative_basis_type = models.CharField(
        _("документ-основание полномочий"), max_length=255, blank=True
    )
    representative_basis_number = models.CharField(
        _("номер документа-основания"), max_length=100, blank=True
    )
    authority_letter_number = models.CharField(
        _("номер входящего письма органа"), max_length=100, blank=True
    )
    authority_letter_date = models.DateField(_("дата письма органа"), null=True, blank=True)
    authority_email = models.EmailField(
        _("адрес органа для ответа"),
        blank=True,
        help_text=_("Письма о запросе органа (получение, продление, ответ) уходят сюда."),
    )
    reason = models.CharField(
        _("основание блокирования"), max_length=20, choices=Reason.choices, blank=True
    )
    details = models.TextField(_("суть обращения"), blank=True)
    corrections = models.JSONField(
        _("уточнения"),
        default=list,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("Какие данные неверны и какими должны быть: [{field, current, requested}]."),
    )
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("исполнитель"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_subject_requests",
        db_index=False,  # the composite index below starts with `assignee`
    )
    received_at = models.DateTimeField(_("получено"), default=timezone.now)
    due_on = models.DateField(_("срок исполнения"))
    documents_received_at = models.DateTimeField(_("документы представлены"), null=True, blank=True)
    extended_on = models.DateField(_("срок продлён"), null=True, blank=True)
    extension_reason = models.TextField(_("причина продления"), blank=True)
    blocked_at = models.DateTimeField(_("заблокировано"), null=True, blank=True)
    processing_stopped_at = models.DateTimeField(
        _("неправомерная обработка прекращена"), null=True, blank=True
    )
    unblocked_at = models.DateTimeField(_("блокирование снято"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("данные уточнены"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("данные уничтожены"), null=True, blank=True)
    completed_at = models.DateTimeField(
        _("закрыто"),
        null=True,
        blank=True,
        help_text=_("Когда обращение исполнено, отклонено или отозвано."),
    )
    answer = models.TextField(_("ответ заявителю"), blank=True)
    outcome = models.CharField(_("результат"), max_length=20, choices=Outcome.choices, blank=True)

    objects = SubjectRequestQuerySet.as_manager()

    class Meta:
        db_table = "consents_subjectrequest"
        verbose_name = _("обращение по ПДн")
        verbose_name_plural = _("обращения по ПДн")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "-received_at"], name="consents_request_subject"),
            models.Index(fields=["status", "due_on"], name="consents_request_status_due"),
            models.Index(fields=["kind", "status"], name="consents_request_kind"),
            models.Index(fields=["assignee", "status"], name="consents_request_assignee"),
            models.Index(fields=["received_at"], name="consents_request_received"),
            models.Index(
                fields=["due_on"],
                condition=Q(status__in=["received", "in_work", "awaiting_documents"]),
                name="consents_request_open_due",
            ),
            models.Index(
                fields=["subject"],
                condition=Q(blocked_at__isnull=False, unblocked_at__isnull=True),
                name="consents_request_blocking",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="blocking", reason__in=["inaccurate", "unlawful"])
                | (~Q(kind="blocking") & Q(reason="")),
                name="consents_request_reason_only_for_blocking",
            ),
            models.CheckConstraint(
                condition=~Q(filed_by="representative")
                | (~Q(representative_name="") & ~Q(representative_basis_type="")),
                name="consents_request_representative_states_basis",
            ),
            models.CheckConstraint(
                condition=~Q(filed_by="authority")
                | (~Q(authority_letter_number="") & Q(authority_letter_date__isnull=False)),
                name="consents_request_authority_letter",
            ),
            models.CheckConstraint(
                condition=Q(unblocked_at__isnull=True) | Q(blocked_at__isnull=False),
                name="consents_request_unblocked_only_if_blocked",
            ),
            models.CheckConstraint(
                condition=Q(subject__isnull=False) | ~Q(applicant_name=""),
                name="consents_request_names_its_subject",
            ),
            models.CheckConstraint(
                condition=Q(received_via="portal")
                | (~Q(document_number="") & Q(document_date__isnull=False)),
                name="consents_request_document_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.get_kind_display()}"

    @property
    def blocking_in_force(self) -> bool:
        return self.blocked_at is not None and self.unblocked_at is None

    @property
    def term(self) -> Term:
        """The legal term the request's due date counts: the one place choosing it."""
        if self.kind == self.Kind.CORRECTION and self.documents_received_at:
            return Term.CORRECTION  # 7 working days after the documents are shown
        if self.kind == self.Kind.BLOCKING and self.reason == self.Reason.UNLAWFUL:
            # Three working days to stop the unlawful processing; once it is stopped, ten from
            # its detection to destroy the data unless the processing is made lawful.
            return Term.DESTROY if self.processing_stopped_at else Term.STOP_UNLAWFUL
        if self.kind == self.Kind.WITHDRAWAL:
            return Term.DESTROY_AFTER_WITHDRAWAL
        if self.kind == self.Kind.STOP_PROCESSING:
            return Term.STOP_PROCESSING
        return Term.ANSWER

    def rated_work(self) -> RatedWork:
        """How the subject rates the specialist who handled the request, once it is completed."""
        return RatedWork(
            target=self,
            owner_id=self.subject_id,
            specialist_id=self.assignee_id,
            is_completed=self.status == self.Status.COMPLETED,
            rating_field="subject_request",
            rating_view="pdrequests:rate",
        )

    def term_due_on(self) -> datetime.date:
        """The due date its term gives, counted from the receipt or from the documents."""
        start = self.documents_received_at if self.term == Term.CORRECTION else self.received_at
        return due_date(self.term, start=start)


# What the subject is told of a request the authority filed (152-FZ art. 21 p. 2-4): that their
# data were corrected, unblocked or destroyed. Receipt, extension and the answer go to the
# authority alone.
SUBJECT_TOLD_OF_AUTHORITY_REQUEST = (Action.APPLY_CORRECTION, Action.UNBLOCK, Action.DESTROY)


def subject_request_number_next(*, received_at: datetime.datetime) -> str:
    """`ПДн-<year of receipt>-<serial>`."""
    return serial_number(prefix="ПДн", sequence=NUMBER_SEQUENCE, received_at=received_at)


class SubjectRequestEvent(CaseEventBase):
    """One entry of a request's history: who did what, when, from which status to which — the
    columns of every case's history, with the request's own actions and statuses named.

    Filing is the first entry (no action, no previous status). Never changes.
    """

    request = models.ForeignKey(
        SubjectRequest,
        verbose_name=_("обращение"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # the composite index below starts with `request`
    )
    from_status = models.CharField(
        _("из состояния"), max_length=20, choices=SubjectRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("в состояние"), max_length=20, choices=SubjectRequest.Status.choices
    )
    action = models.CharField(_("действие"), max_length=30, choices=Action.choices, blank=True)

    class Meta(CaseEventBase.Meta):
        db_table = "consents_subjectrequestevent"
        verbose_name = _("запись истории обращения")
        verbose_name_plural = _("история обращений")
        indexes = [models.Index(fields=["request", "at"], name="consents_request_event")]
        triggers = append_only("consents_request_event")

    def __str__(self) -> str:
        return f"{self.request.number}: {self.title}"

    @property
    def title(self) -> str:
        return self.get_action_display() if self.action else str(_("обращение подано"))


class DestructionAct(models.Model):
    """The act of destroying a subject's PD (152-FZ art. 21; Roskomnadzor order № 179):
    whose data, which categories, from which systems, why, when and by whom. Never changes."""

    request = models.OneToOneField(
        SubjectRequest,
        verbose_name=_("обращение"),
        on_delete=models.PROTECT,
        related_name="destruction_act",
    )
    subject_reference = models.CharField(
        _("субъект ПДн (псевдоним)"),
        max_length=100,
        help_text=_("Обезличенная ссылка на субъекта вместо его данных."),
    )
    categories = models.JSONField(_("категории уничтоженных данных"), default=list)
    systems = models.JSONField(_("информационные системы"), default=list)
    reason = models.TextField(_("основание уничтожения"))
    destroyed_at = models.DateTimeField(_("дата и время уничтожения"), default=timezone.now)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто уничтожил"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    counts = models.JSONField(
        _("объём"), default=dict, help_text=_("Сколько записей каждого вида затронуто.")
    )
    performer_position = models.CharField(_("должность уничтожившего"), max_length=255, blank=True)
    processors = models.JSONField(
        _("лица, обрабатывающие ПДн по поручению оператора"), default=list, blank=True
    )

    class Meta:
        db_table = "consents_destructionact"
        verbose_name = _("акт об уничтожении ПДн")
        verbose_name_plural = _("акты об уничтожении ПДн")
        ordering = ["-destroyed_at", "-pk"]
        triggers = append_only("consents_destruction_act")

    def __str__(self) -> str:
        return f"Акт об уничтожении ПДн по обращению {self.request.number}"


class DestructionNotice(models.Model):
    """The address the destruction notice goes to (152-FZ art. 21 p. 4-5), kept only until the
    letter is sent: the account's address is destroyed by then, and the letter task takes ids
    only. Deleted by the task once sent, and by `apply_retention` if the letter never goes."""

    event = models.OneToOneField(
        SubjectRequestEvent,
        verbose_name=_("запись истории"),
        on_delete=models.CASCADE,
        related_name="destruction_notice",
    )
    email = models.EmailField(_("адрес для уведомления"), max_length=254)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)

    class Meta:
        db_table = "consents_destructionnotice"
        verbose_name = _("уведомление об уничтожении к отправке")
        verbose_name_plural = _("уведомления об уничтожении к отправке")

    def __str__(self) -> str:
        return f"уведомление № {self.pk}"


class RequestsDashboard(SubjectRequest):
    """The staff dashboard's entry in the admin index. A proxy: no table and no rights of its
    own; whoever may view requests may open it."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("сводка по обращениям ПДн")
        verbose_name_plural = _("сводка по обращениям ПДн")
