"""Messages to the operator through the feedback form (policy 3.1), written claims (8.2), and
consumers' ratings of the specialists who handled their messages and PD requests (section 4)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import CaseAction, CaseMixin, CaseQuerySetMixin
from lkk.db import serial_number
from lkk.request_info import USER_AGENT_MAX_LENGTH


class FeedbackMessageQuerySet(CaseQuerySetMixin, models.QuerySet["FeedbackMessage"]):
    # open() and overdue() come from the case mechanism (cases.models).

    def for_author(self, user) -> "FeedbackMessageQuerySet":
        """«Мои обращения»: a consumer's messages, newest first, with their ratings: one query."""
        return (
            self.filter(user=user)
            .select_related("specialist_rating")
            .order_by("-received_at", "-pk")
        )


class FeedbackMessage(CaseMixin, models.Model):
    """One message or written claim, from a signed-in consumer or from a guest: a case (see
    `cases`), handled and recorded step by step like a service request.

    A guest's name and contact are kept on the message with the evidence of their consent (see
    `feedback.guest_consent`); a consumer's come from their account when they are needed.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", _("вопрос, предложение или отзыв")
        CLAIM = "claim", _("письменная претензия")

    class Status(models.TextChoices):
        NEW = "new", _("новое")
        IN_WORK = "in_work", _("в работе")
        ANSWERED = "answered", _("ответ дан")
        CLOSED = "closed", _("закрыто без ответа")

    OPEN_STATUSES = (Status.NEW, Status.IN_WORK)
    COMPLETED_STATUSES = (Status.ANSWERED, Status.CLOSED)
    # A message is answered or closed by staff; its author does not withdraw it or add to it.
    CASE_ACTIONS = frozenset({CaseAction.TAKE, CaseAction.ANSWER, CaseAction.CLOSE})
    RATING_FIELD = "feedback_message"  # SpecialistRating's field pointing here
    number = models.CharField(_("номер"), max_length=20, unique=True, editable=False)
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    # The indexes below start with `user` and `assignee`, so the FKs need none of their own.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("автор (пользователь)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_messages",
        db_index=False,
        help_text=_("Пусто, если обращение отправил гость, не входивший в кабинет."),
    )
    guest_name = models.CharField(_("имя гостя"), max_length=255, blank=True)
    guest_email = models.EmailField(_("электронная почта гостя"), blank=True)
    guest_phone = models.CharField(_("телефон гостя"), max_length=16, blank=True)
    guest_consent_version = models.PositiveSmallIntegerField(
        _("редакция согласия гостя"), null=True, blank=True
    )
    guest_consent_text = models.TextField(_("текст согласия, как его видел гость"), blank=True)
    guest_consent_at = models.DateTimeField(_("согласие гостя дано"), null=True, blank=True)
    guest_ip_address = models.GenericIPAddressField(
        _("IP-адрес гостя"),
        null=True,
        blank=True,
        help_text=_("Подтверждение согласия; по нему же ограничивается частота обращений."),
    )
    guest_user_agent = models.CharField(
        _("браузер гостя (User-Agent)"), max_length=USER_AGENT_MAX_LENGTH, blank=True
    )
    subject = models.CharField(_("тема"), max_length=200)
    text = models.TextField(_("текст обращения"), max_length=5000)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("получено"), default=timezone.now, editable=False)
    due_on = models.DateField(_("ответить до"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный специалист"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_feedback_messages",
        db_index=False,
    )
    answer_text = models.TextField(_("ответ"), blank=True)
    answered_at = models.DateTimeField(_("ответ отправлен"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыто"), null=True, blank=True)

    objects = FeedbackMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("обращение")
        verbose_name_plural = _("обращения")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        user__isnull=False,
                        guest_name="",
                        guest_email="",
                        guest_phone="",
                        guest_consent_at__isnull=True,
                    )
                    | (
                        Q(user__isnull=True, guest_consent_at__isnull=False)
                        & ~Q(guest_name="")
                        & ~Q(guest_consent_text="")
                        & (~Q(guest_email="") | ~Q(guest_phone=""))
                    )
                ),
                name="feedback_message_consumer_or_guest_with_contact_and_consent",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="answered", answered_at__isnull=False) & ~Q(answer_text="")
                    | ~Q(status="answered") & Q(answered_at__isnull=True)
                ),
                name="feedback_message_answered_with_text_and_time",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | ~Q(status="closed") & Q(closed_at__isnull=True),
                name="feedback_message_closed_with_time",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-received_at"], name="feedback_message_by_user"),
            models.Index(fields=["-received_at"], name="feedback_message_received"),
            models.Index(fields=["status", "-received_at"], name="feedback_message_by_status"),
            models.Index(fields=["assignee", "status"], name="feedback_message_by_assignee"),
            # The staff's work list and its overdue filter: open messages by due date.
            models.Index(
                fields=["due_on"],
                condition=Q(status__in=["new", "in_work"]),
                name="feedback_message_open_due",
            ),
            # Staff search a guest's messages by their address (stored lower-cased).
            models.Index(
                fields=["guest_email"],
                condition=Q(user__isnull=True),
                name="feedback_message_guest_email",
            ),
            # The guests' rate limit counts recent messages from one address.
            models.Index(
                fields=["guest_ip_address", "received_at"],
                condition=Q(user__isnull=True),
                name="feedback_message_guest_ip",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"  # the subject is the author's words

    @property
    def is_claim(self) -> bool:
        return self.kind == self.Kind.CLAIM

    @property
    def author_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return self.guest_name

    @property
    def reply_email(self) -> str:
        """Where the answer is emailed: the account's current address, or the guest's, if any."""
        return self.user.email if self.user_id else self.guest_email


# Each kind has its own prefix and its own PostgreSQL sequence (migration 0002): a claim's number
# says at once that it is a claim, and a sequence never hands out a number twice, whatever the
# number of processes, even after a rollback.
NUMBER_PREFIXES = {FeedbackMessage.Kind.QUESTION: "ОС", FeedbackMessage.Kind.CLAIM: "ПР"}
NUMBER_SEQUENCES = {
    FeedbackMessage.Kind.QUESTION: "feedback_question_number_seq",
    FeedbackMessage.Kind.CLAIM: "feedback_claim_number_seq",
}


def feedback_message_number_next(*, kind: str, received_at: datetime.datetime) -> str:
    """`ОС-2026-000045` or `ПР-2026-000012`: the kind, the year of receipt, the serial."""
    return serial_number(
        prefix=NUMBER_PREFIXES[kind], sequence=NUMBER_SEQUENCES[kind], received_at=received_at
    )


class SpecialistRating(models.Model):
    """A consumer's score (1–5) of the specialist who handled their message, service request or
    PD request.

    Exactly one of the three is set; each can be rated once (the one-to-one fields are unique).
    """

    feedback_message = models.OneToOneField(
        FeedbackMessage,
        verbose_name=_("обращение"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="specialist_rating",
    )
    subject_request = models.OneToOneField(
        "pdrequests.SubjectRequest",
        verbose_name=_("запрос субъекта ПДн"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="specialist_rating",
    )
    service_request = models.OneToOneField(
        "servicerequests.ServiceRequest",
        verbose_name=_("заявка"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="specialist_rating",
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("специалист"),
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("оценил"),
        on_delete=models.PROTECT,
        related_name="ratings_given",
    )
    score = models.PositiveSmallIntegerField(
        _("оценка"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("комментарий"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("дата и время"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("оценка работы специалиста")
        verbose_name_plural = _("оценки работы специалистов")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    feedback_message__isnull=False,
                    subject_request__isnull=True,
                    service_request__isnull=True,
                )
                | Q(
                    feedback_message__isnull=True,
                    subject_request__isnull=False,
                    service_request__isnull=True,
                )
                | Q(
                    feedback_message__isnull=True,
                    subject_request__isnull=True,
                    service_request__isnull=False,
                ),
                name="feedback_rating_rates_exactly_one_thing",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="feedback_rating_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} из 5 — {self.specialist}"


class SpecialistQuerySet(models.QuerySet["Specialist"]):
    def with_rating_summary(self) -> "SpecialistQuerySet":
        """Staff who have been rated, with their number of ratings, average and latest, in one
        grouped query whatever the number of ratings."""
        return self.annotate(
            ratings_count=Count("ratings_received"),
            average_score=Avg("ratings_received__score"),
            last_rated_at=Max("ratings_received__created_at"),
        ).filter(ratings_count__gt=0)


class Specialist(User):
    """A member of staff seen through their ratings: the admin's page of averages."""

    objects = SpecialistQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = _("специалист (средняя оценка)")
        verbose_name_plural = _("средние оценки специалистов")
