"""Feedback workflows: receiving a message, the staff's work on it, and rating the specialist.

Each function is one transaction; the answer letter is queued only once the answer commits, so a
letter never speaks of an answer that was rolled back.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseAction, CaseMixin
from cases.workflow import CaseStepRefused, case_event_record, case_step, cases_step_many
from feedback import guest_consent, tasks
from feedback.models import FeedbackMessage, SpecialistRating, feedback_message_number_next
from lkk.limits import Limit, RateLimited, recent_duplicate, window_check, window_retry_at
from pdrequests.models import SubjectRequest
from workcalendar.terms import add_calendar_days

# A written appeal is considered within 30 days of its registration (the rules of considering
# citizens' appeals, 59-FZ art. 12, which policy 8.2 refers to); the operator holds questions to
# the same term. Counted in calendar days; a term ending on a day off moves to the next working day.
ANSWER_TERM_DAYS = 30


# Too many messages lately: the author may send again at `retry_at`.
FeedbackRateLimited = RateLimited

# The same message sent again within this time is the same message (a double click, a resent
# form): one number, one due date, one piece of work for staff.
DUPLICATE_WINDOW = datetime.timedelta(minutes=10)


class FeedbackMessageNotOpen(Exception):
    """The message has already been answered or closed: nothing more is done to it."""


class RatingRefused(Exception):
    """The work cannot be rated by this person now; the message says why, for the consumer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Guest:
    """Who sent a message without signing in, as the form gave it, and the consent's origin."""

    name: str
    email: str
    phone: str
    ip_address: str | None
    user_agent: str


def _guest_limit() -> Limit:
    return Limit(
        settings.FEEDBACK_GUEST_MESSAGES_PER_IP,
        datetime.timedelta(minutes=settings.FEEDBACK_GUEST_WINDOW_MINUTES),
    )


def _user_limit() -> Limit:
    return Limit(settings.FEEDBACK_USER_MESSAGES_PER_DAY, datetime.timedelta(days=1))


def guest_feedback_retry_at(*, ip_address: str | None) -> datetime.datetime | None:
    """When a guest from this address may send the next message; None if they may now.

    Counted from the messages themselves (`lkk.limits`). Guests without a known address share
    one allowance.
    """
    guests = FeedbackMessage.objects.filter(user__isnull=True, guest_ip_address=ip_address)
    return window_retry_at(guests, at_field="received_at", limit=_guest_limit())


def user_feedback_retry_at(*, user) -> datetime.datetime | None:
    """When a signed-in consumer may send the next message; None if they may now."""
    mine = FeedbackMessage.objects.filter(user=user)
    return window_retry_at(mine, at_field="received_at", limit=_user_limit())


@transaction.atomic
def feedback_message_create(
    *,
    kind: str,
    subject: str,
    text: str,
    user=None,
    guest: Guest | None = None,
) -> FeedbackMessage:
    """Register a message from a signed-in consumer (`user`) or from a `guest`, numbered and
    with its due date. A guest's consent to the processing is recorded with the message.

    The same message sent again within DUPLICATE_WINDOW is the message already registered.
    Raises RateLimited when the author (a consumer, or a guest's IP address) has sent too
    many messages lately.
    """
    if (user is None) == (guest is None):
        raise ValueError("A message comes either from a consumer or from a guest.")
    received_at = timezone.now()
    author: dict = {"user": user}
    if guest is not None:
        lock_key, limit = f"feedback.guest:{guest.ip_address}", _guest_limit()
        own = FeedbackMessage.objects.filter(user__isnull=True, guest_ip_address=guest.ip_address)
        same = own.filter(guest_email=guest.email, guest_phone=guest.phone, guest_name=guest.name)
        author = {
            "guest_name": guest.name,
            "guest_email": guest.email,
            "guest_phone": guest.phone,
            "guest_consent_version": guest_consent.VERSION,
            "guest_consent_text": guest_consent.text(),
            "guest_consent_at": received_at,
            "guest_ip_address": guest.ip_address,
            "guest_user_agent": guest.user_agent,
        }
    else:
        lock_key, limit = f"feedback.user:{user.pk}", _user_limit()
        own = same = FeedbackMessage.objects.filter(user=user)
    earlier = recent_duplicate(
        same.filter(kind=kind, subject=subject, text=text),
        at_field="received_at",
        within=DUPLICATE_WINDOW,
        lock_key=lock_key,
    )
    if earlier is not None:
        return earlier
    window_check(own, at_field="received_at", limit=limit, lock_key=lock_key)
    message = FeedbackMessage.objects.create(
        number=feedback_message_number_next(kind=kind, received_at=received_at),
        kind=kind,
        subject=subject,
        text=text,
        received_at=received_at,
        due_on=add_calendar_days(start=received_at, days=ANSWER_TERM_DAYS),
        **author,
    )
    case_event_record(case=message, action=CaseAction.FILED, actor=user)
    return message


def feedback_messages_assign(*, messages: QuerySet[FeedbackMessage], assignee, by=None) -> int:
    """Put the open ones among `messages` in `assignee`'s work (`by` assigns them: the assignee
    themselves unless given), with a history row each; returns how many.

    Answered and closed messages keep the specialist who handled them: a rating may name them.
    """
    return cases_step_many(
        cases=messages, action=CaseAction.TAKE, by=by or assignee, assignee=assignee
    )


def feedback_messages_close(*, messages: QuerySet[FeedbackMessage], by) -> int:
    """Close the open ones among `messages` without an answer (spam, a duplicate), with a
    history row each. Whoever closes a message nobody had taken becomes its specialist."""
    return cases_step_many(cases=messages, action=CaseAction.CLOSE, by=by)


@transaction.atomic
def feedback_message_answer(*, message: FeedbackMessage, answer_text: str, by) -> FeedbackMessage:
    """Record the answer and email it to the author once it commits (a service notification,
    needing no marketing consent). A guest who gave only a phone number is called instead.

    Raises FeedbackMessageNotOpen if the message was answered or closed meanwhile.
    """
    try:
        message = case_step(case=message, action=CaseAction.ANSWER, by=by, answer_text=answer_text)
    except CaseStepRefused:
        raise FeedbackMessageNotOpen(message.number) from None
    if message.reply_email:
        transaction.on_commit(
            partial(tasks.feedback_answer_letter_send.enqueue, message_id=message.pk)
        )
    return message


# --- Ratings of the specialists' work -------------------------------------------------------

NOT_COMPLETED = _(
    "Оценить работу специалиста можно, когда работа по обращению завершена: дождитесь ответа."
)
NO_SPECIALIST = _("Оценить нельзя: у этого обращения не было ответственного специалиста.")
ALREADY_RATED = _("Вы уже оценили эту работу. Оценку можно поставить только один раз.")
NOT_THE_AUTHOR = _("Оценить работу может только тот, чьё это обращение.")


@dataclass(frozen=True)
class RatedWork:
    """What a rating needs to know of the work it rates: a feedback message or a PD request."""

    target: CaseMixin | SubjectRequest
    owner_id: int | None
    specialist_id: int | None
    is_completed: bool
    rating_field: str  # SpecialistRating's field that points to the target

    @classmethod
    def of(cls, target: CaseMixin | SubjectRequest) -> "RatedWork":
        if isinstance(target, CaseMixin):  # a feedback message, a service request
            return cls(
                target=target,
                owner_id=target.user_id,
                specialist_id=target.assignee_id,
                is_completed=target.is_completed,
                rating_field=target.RATING_FIELD,
            )
        return cls(
            target=target,
            owner_id=target.subject_id,
            specialist_id=target.assignee_id,
            is_completed=target.status == SubjectRequest.Status.COMPLETED,
            rating_field="subject_request",
        )

    def rating(self) -> SpecialistRating | None:
        """The rating already given (one query unless the target came with it)."""
        return getattr(self.target, "specialist_rating", None)

    def refusal(self, *, author) -> str | None:
        """Why `author` may not rate this work now, in words for them; None if they may."""
        if author.pk is None or self.owner_id != author.pk:
            return str(NOT_THE_AUTHOR)
        if not self.is_completed:
            return str(NOT_COMPLETED)
        if self.specialist_id is None:
            return str(NO_SPECIALIST)
        if self.rating() is not None:
            return str(ALREADY_RATED)
        return None


def specialist_rating_create(
    *, author, work: RatedWork, score: int, comment: str = ""
) -> SpecialistRating:
    """Record `author`'s one rating of the specialist who did `work`.

    Raises RatingRefused when the rules do not allow it, including a second rating that raced
    the first one past the check: the database's unique constraint refuses it.
    """
    refusal = work.refusal(author=author)
    if refusal is not None:
        raise RatingRefused(refusal)
    try:
        with transaction.atomic():
            return SpecialistRating.objects.create(
                **{work.rating_field: work.target},
                specialist_id=work.specialist_id,
                author=author,
                score=score,
                comment=comment,
            )
    except IntegrityError:
        raise RatingRefused(str(ALREADY_RATED)) from None
