"""Demo requests for `make run`: «Мои заявки» and the staff's desk have something to show — a
supply-quality claim answered and rated, a recalculation in work, and, when the consumer has a
linked account with a meter, a meter replacement with a booked visit. Idempotent."""

import datetime
import uuid

from django.utils import timezone

from billing.models import AccountLink
from feedback.services import RatedWork, specialist_rating_create
from meters.models import Meter
from servicerequests import services
from servicerequests.models import RequestKind, ServiceRequest


def seed_service_requests(*, consumer, specialist) -> None:
    if ServiceRequest.objects.filter(user=consumer).exists():
        return
    now = timezone.now()
    kinds = {kind.code: kind for kind in RequestKind.objects.all()}
    claim, _created = services.service_request_file(
        user=consumer,
        kind=kinds["kachestvo-elektrosnabzheniya"],
        submission_key=uuid.uuid4(),
        fields={
            "claimant_name": consumer.get_full_name(),
            "address": "г. Иваново, ул. Демонстрационная, д. 1, кв. 1",
            "violation_started_at": now - datetime.timedelta(days=2, hours=3),
            "violation_ended_at": now - datetime.timedelta(days=2),
            "text": "Три часа не было света во всём доме, потом напряжение скакало.",
        },
    )
    services.service_requests_take(
        requests=ServiceRequest.objects.filter(pk=claim.pk), by=specialist
    )
    claim = services.service_request_answer(
        request=claim,
        by=specialist,
        answer_text=(
            "Нарушение подтверждено сетевой организацией: авария на ТП-12. Плата за время "
            "перерыва будет снижена в квитанции за следующий месяц."
        ),
    )
    specialist_rating_create(author=consumer, work=RatedWork.of(claim), score=5)

    first_of_month = now.date().replace(day=1)
    recalculation, _created = services.service_request_file(
        user=consumer,
        kind=kinds["pereraschet"],
        submission_key=uuid.uuid4(),
        fields={
            "months": [(first_of_month - datetime.timedelta(days=1)).replace(day=1)],
            "text": "Начислено по нормативу, хотя показания передавались вовремя.",
        },
    )
    services.service_requests_take(
        requests=ServiceRequest.objects.filter(pk=recalculation.pk), by=specialist
    )

    accounts = AccountLink.objects.active().filter(user=consumer).values("account")
    meter = Meter.objects.active().filter(account__in=accounts).first()
    if meter is not None:
        replacement, _created = services.service_request_file(
            user=consumer,
            kind=kinds["zamena-schetchika"],
            submission_key=uuid.uuid4(),
            fields={
                "meter": meter,
                "visit_from": now.date() + datetime.timedelta(days=3),
                "visit_to": now.date() + datetime.timedelta(days=10),
                "contact_phone": consumer.phone or "+79161234567",
                "text": "Счётчик перестал крутиться.",
            },
        )
        starts = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=4)
        services.service_request_visit_book(
            request=replacement,
            by=specialist,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
        )
