"""What the feedback app holds about a person: their messages and claims with the answers, the
messages they sent as a guest, and their ratings of specialists (see `lkk.personal_data`)."""

from django.db.models import Q
from django.utils import timezone

from feedback.models import FeedbackMessage, SpecialistRating
from lkk import personal_data as pd


def _moment(value):
    return timezone.localtime(value) if value else None


def _as_guest(user) -> Q:
    """Messages sent without signing in from the account's (confirmed) address."""
    return Q(user__isnull=True, guest_email__iexact=user.email) & ~Q(guest_email="")


def _messages_export(user) -> list[pd.Row]:
    messages = FeedbackMessage.objects.filter(user=user).order_by("received_at", "pk")
    return [
        {
            "Номер": message.number,
            "Вид": message.get_kind_display(),
            "Получено": _moment(message.received_at),
            "Тема": message.subject,
            "Текст": message.text,
            "Состояние": message.get_status_display(),
            "Ответ": message.answer_text,
            "Ответ отправлен": _moment(message.answered_at),
        }
        for message in messages
    ]


def _messages_erase(erasure: pd.Erasure) -> pd.Counts:
    own = FeedbackMessage.objects.filter(user=erasure.user).update(
        subject=pd.REDACTED, text=pd.REDACTED, answer_text=pd.REDACTED
    )
    as_guest = FeedbackMessage.objects.filter(_as_guest(erasure.user)).update(
        guest_name=erasure.reference,
        guest_email=erasure.placeholder_email,  # a guest's message must keep a contact
        guest_phone="",
        guest_ip_address=None,
        guest_user_agent="",
        subject=pd.REDACTED,
        text=pd.REDACTED,
        answer_text=pd.REDACTED,
    )
    return {"сообщения в обратную связь (тексты уничтожены)": own + as_guest}


def _guest_messages_expire(now, dry_run: bool) -> pd.Counts:
    """Guests' messages go whole once the period has passed since their answer or closing."""
    before = pd.older_than(now, "FEEDBACK_GUEST_RETENTION_DAYS")
    old = FeedbackMessage.objects.filter(
        Q(answered_at__lt=before) | Q(closed_at__lt=before),
        user__isnull=True,
        status__in=FeedbackMessage.COMPLETED_STATUSES,
    )
    return {"сообщения гостей в обратную связь (удалены)": pd.expire_rows(old, dry_run=dry_run)}


def _ratings_export(user) -> list[pd.Row]:
    return [
        {
            "Когда": _moment(rating.created_at),
            "Оценка": rating.score,
            "Комментарий": rating.comment,
        }
        for rating in SpecialistRating.objects.filter(author=user).order_by("created_at", "pk")
    ]


def _ratings_erase(erasure: pd.Erasure) -> pd.Counts:
    count = SpecialistRating.objects.filter(author=erasure.user).update(comment="")
    return {"оценки специалистов (комментарии уничтожены)": count}


def _ratings_expire(now, dry_run: bool) -> pd.Counts:
    old = SpecialistRating.objects.filter(
        created_at__lt=pd.older_than(now, "FEEDBACK_RATING_RETENTION_DAYS")
    )
    return {"оценки работы специалистов (удалены)": pd.expire_rows(old, dry_run=dry_run)}


pd.register(
    pd.Category(
        key="feedback.messages",
        title="Вопросы, претензии и ответы на них",
        data=(
            "тема и текст сообщения",
            "ответ оператора",
            "имя, адрес электронной почты или телефон гостя",
            "IP-адрес и сведения о браузере гостя",
        ),
        purpose="рассмотрение вопросов и претензий (59-ФЗ)",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PERSON,
        retention=pd.Retention(
            "FEEDBACK_GUEST_RETENTION_DAYS",
            1095,
            "для сообщений гостей после ответа; сообщения из кабинета — до уничтожения",
        ),
        models=("feedback.FeedbackMessage",),
        export=_messages_export,
        erase=_messages_erase,
        expire=_guest_messages_expire,
    ),
    pd.Category(
        key="feedback.ratings",
        title="Оценки работы специалистов",
        data=("оценка", "комментарий"),
        purpose="контроль качества обслуживания",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PERSON,
        retention=pd.Retention("FEEDBACK_RATING_RETENTION_DAYS", 1095),
        models=("feedback.SpecialistRating",),
        export=_ratings_export,
        erase=_ratings_erase,
        expire=_ratings_expire,
    ),
)
