"""Demo consent history and a PD request for `make run`: «Мои согласия», «Обращения по ПДн» and
the admin have something to show.

The purposes and their texts come from the data migration; this only adds a consumer's past.
"""

from datetime import timedelta

from django.utils import timezone

from consents.models import Action, ConsentRecord, ConsentText, SubjectRequest
from consents.services import subject_request_file
from consents.workflow import subject_request_transition
from privacy.models import PolicyVersion

DEMO_BROWSER = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/140.0 Mobile"

# (days ago, purpose, action, source, IP address)
DEMO_HISTORY = [
    (180, "account", "given", "registration", "198.51.100.23"),
    (180, "mailings", "given", "registration", "198.51.100.23"),
    (60, "mailings", "withdrawn", "email_link", "203.0.113.41"),
    (10, "mailings", "given", "profile", "203.0.113.41"),
]


def seed_consents(*, user) -> None:
    """Give `user` a consent history spread over half a year; runs again without duplicating.

    Backdated on purpose, so each record names the policy version in force on its day.
    """
    if user.consent_records.exists():
        return
    texts = {
        text.purpose.code: text
        for text in ConsentText.objects.select_related("purpose").order_by("version")
    }  # the newest version of each purpose wins
    now = timezone.now()
    records = []
    for days_ago, code, action, source, ip_address in DEMO_HISTORY:
        moment = now - timedelta(days=days_ago)
        records.append(
            ConsentRecord(
                user=user,
                purpose=texts[code].purpose,
                action=action,
                text=texts[code],
                policy_version=PolicyVersion.objects.published()
                .filter(effective_date__lte=timezone.localdate(moment))
                .order_by("-effective_date", "-published_at")
                .first(),
                created_at=moment,
                ip_address=ip_address,
                user_agent=DEMO_BROWSER,
                source=source,
            )
        )
    ConsentRecord.objects.bulk_create(records)


def seed_subject_requests(*, user, officer) -> None:
    """`user`'s PD request about what is kept of them, answered by `officer`, so «Обращения по
    ПДн» and the PD officer's desk have something to show; runs again without duplicating."""
    if SubjectRequest.objects.filter(subject=user).exists():
        return
    request = subject_request_file(
        subject=user, filed_by_user=user, kind=SubjectRequest.Kind.ACCESS
    )
    request = subject_request_transition(
        request=request,
        action=Action.TAKE_INTO_WORK,
        actor=officer,
        comment="Проверяем, какие данные хранятся.",
    )
    subject_request_transition(
        request=request,
        action=Action.COMPLETE,
        actor=officer,
        comment="Сведения направлены.",
        answer=(
            "Мы обрабатываем ваши ФИО, адрес электронной почты и телефон, номер лицевого счёта, "
            "показания и начисления — для договора энергоснабжения и личного кабинета. Полный "
            "перечень можно скачать в «Моих данных»."
        ),
    )
