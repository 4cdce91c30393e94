"""«Скачать мои данные»: everything the portal holds about a person (152-FZ art. 14), at once.

One collector feeds both the readable page and the JSON file, so they never disagree. Its query
count does not grow with the data: one query per kind of record.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Min, Prefetch
from django.utils import timezone

from billing.models import AccountLink, LinkAttempt
from bills.models import ElectronicReceiptChoice
from consents.models import (
    ConsentPurpose,
    ConsentRecord,
    PolicyAcknowledgement,
    SubjectRequest,
    SubjectRequestEvent,
)
from meters.models import Reading
from visits.models import Visit


def _moment(value: datetime.datetime | None) -> datetime.datetime | None:
    """Moments in Moscow time, as the portal shows them everywhere."""
    return timezone.localtime(value) if value else None


def _profile(user) -> dict[str, Any]:
    return {
        "email": user.email,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "phone": user.phone,
        "date_joined": _moment(user.date_joined),
        "last_login": _moment(user.last_login),
    }


def _accounts(user) -> list[dict[str, Any]]:
    links = (
        AccountLink.objects.filter(user=user).select_related("account").order_by("linked_at", "pk")
    )
    return [
        {
            "number": link.account.number,
            "address": link.account.address,
            "account_status": link.account.get_status_display(),
            "confirmed_by": link.get_factor_display(),
            "linked_at": _moment(link.linked_at),
            "unlinked_at": _moment(link.unlinked_at),
            "unlink_reason": link.unlink_reason,
        }
        for link in links
    ]


def _link_attempts(user) -> list[dict[str, Any]]:
    return [
        {
            "attempted_at": _moment(attempt.attempted_at),
            "number": attempt.number_masked,
            "confirmed_by": attempt.get_factor_display(),
            "outcome": attempt.get_outcome_display(),
            "ip_address": attempt.ip_address,
        }
        for attempt in LinkAttempt.objects.filter(user=user).order_by("attempted_at", "pk")
    ]


def _meter_readings(user) -> list[dict[str, Any]]:
    readings = (
        Reading.objects.filter(user=user)
        .select_related("meter", "meter__account")
        .order_by("submitted_at", "pk")
    )
    return [
        {
            "number": reading.number,
            "submitted_at": _moment(reading.submitted_at),
            "account": reading.meter.account.number,
            "meter": reading.meter.serial_number,
            "values": [
                str(value)
                for value in (reading.value_t1, reading.value_t2, reading.value_t3)
                if value is not None
            ],
            "source": reading.get_source_display(),
            "ip_address": reading.ip_address,
        }
        for reading in readings
    ]


def _receipt_choices(user) -> list[dict[str, Any]]:
    choices = (
        ElectronicReceiptChoice.objects.filter(user=user)
        .select_related("account")
        .order_by("chosen_at", "pk")
    )
    return [
        {
            "account": choice.account.number,
            "electronic_receipt": choice.electronic,
            "chosen_at": _moment(choice.chosen_at),
        }
        for choice in choices
    ]


def _consents(user) -> dict[str, list[dict[str, Any]]]:
    current = [
        {
            "purpose": purpose.name,
            "state": (
                "согласие дано"
                if purpose.is_given
                else "согласие отозвано"
                if purpose.current_action
                else "согласие не давалось"
            ),
            "since": _moment(purpose.current_since),
            "text_version": purpose.current_text_version,
        }
        for purpose in ConsentPurpose.objects.with_state_for(user)
    ]
    history = [
        {
            "created_at": _moment(record.created_at),
            "purpose": record.purpose.name,
            "action": record.get_action_display(),
            "text_version": record.text.version,
            "policy_version": record.policy_version.label if record.policy_version else None,
            "source": record.get_source_display(),
            "ip_address": record.ip_address,
            "user_agent": record.user_agent,
            "by_staff": record.acted_by_id is not None,
            "representative_name": record.representative_name,
            "represented_name": record.represented_name,
            "basis_document_type": record.basis_document_type,
            "basis_document_number": record.basis_document_number,
        }
        for record in ConsentRecord.objects.history_for(user).order_by("created_at", "pk")
    ]
    acknowledgements = [
        {
            "policy_version": ack.policy_version.label,
            "created_at": _moment(ack.created_at),
            "ip_address": ack.ip_address,
            "user_agent": ack.user_agent,
        }
        for ack in PolicyAcknowledgement.objects.filter(user=user)
        .select_related("policy_version")
        .order_by("created_at", "pk")
    ]
    return {"current": current, "history": history, "policy_acknowledgements": acknowledgements}


def _requests(user) -> list[dict[str, Any]]:
    requests = (
        SubjectRequest.objects.for_subject(user)
        .order_by("received_at", "pk")
        .prefetch_related(
            Prefetch("events", queryset=SubjectRequestEvent.objects.order_by("at", "pk"))
        )
    )
    return [
        {
            "number": request.number,
            "kind": request.get_kind_display(),
            "filed_by": request.get_filed_by_display(),
            "representative_name": request.representative_name,
            "reason": request.get_reason_display(),
            "details": request.details,
            "corrections": request.corrections,
            "status": request.get_status_display(),
            "received_at": _moment(request.received_at),
            "due_on": request.due_on,
            "extended_on": request.extended_on,
            "extension_reason": request.extension_reason,
            "blocked_at": _moment(request.blocked_at),
            "unblocked_at": _moment(request.unblocked_at),
            "completed_at": _moment(request.completed_at),
            "outcome": request.get_outcome_display(),
            "answer": request.answer,
            # The subject sees what happened and when; staff's internal notes stay internal.
            "history": [
                {
                    "at": _moment(event.at),
                    "event": event.title,
                    "status": event.get_to_status_display(),
                }
                for event in request.events.all()
            ],
        }
        for request in requests
    ]


def _visits(user, *, with_views: bool) -> dict[str, Any]:
    visits = Visit.objects.for_user(user)
    summary = visits.aggregate(total=Count("pk"), first=Min("time"), last=Max("time"))
    pages = list(
        visits.order_by().values("path").annotate(views=Count("pk")).order_by("-views", "path")
    )
    result = {
        "total": summary["total"],
        "first": _moment(summary["first"]),
        "last": _moment(summary["last"]),
        "retention_days": settings.VISIT_RETENTION_DAYS,
        "pages": pages,
    }
    if with_views:
        result["views"] = [
            {**view, "time": _moment(view["time"])}
            for view in visits.order_by("time", "pk").values(
                "time", "path", "ip", "browser", "referrer", "status"
            )
        ]
    return result


def subject_data_collect(user, *, with_page_views: bool = False) -> dict[str, Any]:
    """Everything the portal holds about `user`. `with_page_views` adds every page view (the
    file does; the page shows the counts, which stay short however long the log is)."""
    return {
        "generated_at": _moment(timezone.now()),
        "operator": {
            "name": settings.OPERATOR["name"],
            "address": settings.OPERATOR["address"],
            "email": settings.OPERATOR["email"],
        },
        "profile": _profile(user),
        "accounts": _accounts(user),
        "link_attempts": _link_attempts(user),
        "meter_readings": _meter_readings(user),
        "receipt_choices": _receipt_choices(user),
        "consents": _consents(user),
        "requests": _requests(user),
        "visits": _visits(user, with_views=with_page_views),
    }
