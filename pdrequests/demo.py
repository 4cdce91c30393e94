"""A demo PD request for `make run`: «Обращения по ПДн» and the PD officer's desk have something
to show."""

from pdrequests.models import Action, SubjectRequest
from pdrequests.services import subject_request_file
from pdrequests.workflow import subject_request_transition


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
