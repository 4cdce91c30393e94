"""Demo messages for `make run`: «Мои обращения», the staff's list and the averages have
something to show. Idempotent."""

from feedback import services
from feedback.models import FeedbackMessage

DEMO_GUEST = services.Guest(
    name="Соловьёв Андрей Викторович",
    email="solovyov@example.ru",
    phone="",
    ip_address="198.51.100.23",
    user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/140.0 Mobile",
)


def seed_feedback(*, consumer, specialist) -> None:
    """`consumer`'s answered and rated question and open claim, and a guest's new question;
    `specialist` handles them. Runs again without duplicating."""
    if FeedbackMessage.objects.filter(user=consumer).exists():
        return
    answered = services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject="Передача показаний после замены счётчика",
        text="Счётчик заменили 3 числа. Как передать показания нового счётчика?",
        user=consumer,
    )
    answered = services.feedback_message_answer(
        message=answered,
        answer_text=(
            "Показания нового счётчика передавайте как обычно, с первого расчётного периода "
            "после замены. Акт замены уже учтён в вашем лицевом счёте."
        ),
        by=specialist,
    )
    services.specialist_rating_create(
        author=consumer,
        work=services.RatedWork.of(answered),
        score=5,
        comment="Ответили быстро и понятно.",
    )
    claim = services.feedback_message_create(
        kind=FeedbackMessage.Kind.CLAIM,
        subject="Перерасчёт за период отключения",
        text="Прошу сделать перерасчёт за 12 дней, когда дом был отключён от электроснабжения.",
        user=consumer,
    )
    services.feedback_messages_assign(
        messages=FeedbackMessage.objects.filter(pk=claim.pk), assignee=specialist
    )
    services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION,
        subject="Не приходит квитанция",
        text="Третий месяц не получаю бумажную квитанцию. Адрес: ул. Толмачёва, д. 5, кв. 12.",
        guest=DEMO_GUEST,
    )
