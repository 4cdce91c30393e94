"""Service-request workflows: filing, the author's comments, files and withdrawal, the staff's
work. Each is one transaction; the steps themselves are the shared case workflow
(`cases.workflow`), and letters are queued only once the step commits.
"""

import datetime
import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from cases.models import CaseAction
from cases.workflow import CaseStepRefused, case_event_record, case_step, cases_step_many
from lkk.limits import Limit, RateLimited, limit_take, recent_duplicate, window_check
from lkk.moscow import moscow_time
from lkk.russian import plural
from servicerequests import tasks
from servicerequests.files import CheckedFile
from servicerequests.models import (
    Attachment,
    RequestKind,
    ServiceRequest,
    service_request_number_next,
)
from workcalendar.terms import add_working_days

__all__ = ["CaseStepRefused", "ServiceRequestRefused"]


class ServiceRequestRefused(Exception):
    """The request is not accepted; `message` says why in Russian, `open_request` is the open
    request of the same kind and meter, when that is the reason."""

    def __init__(self, message: str, *, open_request: ServiceRequest | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.open_request = open_request


def open_request_for(*, kind: RequestKind, meter_id: int | None) -> ServiceRequest | None:
    if meter_id is None:
        return None
    return ServiceRequest.objects.open().filter(kind=kind, meter_id=meter_id).first()


def open_request_message(request: ServiceRequest) -> str:
    return _(
        "По этому прибору учёта уже есть открытая заявка того же вида: № %(number)s от "
        "%(date)s. Дождитесь её выполнения или добавьте комментарий в неё."
    ) % {"number": request.number, "date": date_format(localtime(request.received_at), "j E Y")}


def files_left(request: ServiceRequest | None) -> int:
    used = 0 if request is None else request.attachments.count()
    return max(settings.SERVICE_REQUEST_FILES_MAX - used, 0)


def _too_many_files(count: int, left: int) -> str:
    return _("Можно приложить ещё не больше %(left)d %(files)s, а выбрано %(count)d.") % {
        "left": left,
        "files": plural(left, "файла", "файлов", "файлов"),
        "count": count,
    }


def _attach(*, request: ServiceRequest, files: Sequence[CheckedFile], by: Any) -> None:
    """The files' rows now, the files themselves once the transaction commits.

    Django has no hook on rollback: a file written inside the transaction would stay on disk
    when it — or a caller's transaction around this one — rolls back, holding personal data
    that no row leads to, so nobody could find or destroy it. Written after commit, a file
    exists only with its row. (A write failing after commit leaves the row without its file:
    the error goes to the log and the file's link answers 404.)"""
    field = Attachment._meta.get_field("file")
    pending: list[tuple[str, bytes]] = []
    for checked in files:
        attachment = Attachment(
            request=request,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            uploaded_by=by,
        )
        attachment.file.name = field.generate_filename(attachment, checked.name)
        attachment.save()
        pending.append((attachment.file.name, checked.content))
        case_event_record(
            case=request,
            action=CaseAction.FILE,
            actor=by,
            from_status=request.status,
            data={"file_name": checked.name, "attachment_id": attachment.pk},
        )
    if pending:
        transaction.on_commit(partial(_files_write, pending))


def _files_write(pending: Sequence[tuple[str, bytes]]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name, content in pending:
        stored = storage.save(name, ContentFile(content))
        if stored != name:  # names are random: a clash means something else wrote there
            raise RuntimeError(f"Private file {name} stored as {stored}")


def _daily_limit() -> Limit:
    return Limit(settings.SERVICE_REQUESTS_PER_DAY, datetime.timedelta(days=1))


def _daily_limit_message(limited: RateLimited) -> str:
    limit = settings.SERVICE_REQUESTS_PER_DAY
    return _(
        "За сутки можно подать не больше %(limit)d %(requests)s. Следующую можно подать "
        "%(moment)s или позвонить нам."
    ) % {
        "limit": limit,
        "requests": plural(limit, "заявки", "заявок", "заявок"),
        "moment": moscow_time(limited.retry_at),
    }


def _additions_take(*, by: Any, count: int) -> None:
    """Count the author's comment and each file against their daily limit (`lkk.limits`):
    each is work for a specialist. Staff are not limited. The events roll back with the
    addition if it is refused further on."""
    limit = Limit(settings.SERVICE_REQUEST_ADDITIONS_PER_DAY, datetime.timedelta(days=1))
    try:
        for _item in range(count):
            limit_take(key=f"servicerequests.additions:{by.pk}", limit=limit)
    except RateLimited as limited:
        raise CaseStepRefused(_additions_limit_message(limited)) from None


def _additions_limit_message(limited: RateLimited) -> str:
    limit = settings.SERVICE_REQUEST_ADDITIONS_PER_DAY
    return _(
        "За сутки можно добавить в заявки не больше %(limit)d %(additions)s. Добавить снова можно "
        "%(moment)s; если дело срочное, позвоните нам."
    ) % {
        "limit": limit,
        "additions": plural(
            limit, "комментария или файла", "комментариев или файлов", "комментариев или файлов"
        ),
        "moment": moscow_time(limited.retry_at),
    }


@transaction.atomic
def service_request_file(
    *,
    user: Any,
    kind: RequestKind,
    submission_key: uuid.UUID,
    fields: dict[str, Any],
    files: Sequence[CheckedFile] = (),
) -> tuple[ServiceRequest, bool]:
    """File `user`'s request of `kind` with the declared `fields` the form cleaned; returns the
    request and whether it was created now (a resubmitted form returns the first one).

    Raises ServiceRequestRefused: the daily limit, an open request of the kind for the meter,
    too many files.
    """
    # A consumer's submissions queue on one lock: a double click files one request, and the
    # daily count stays exact (`lkk.limits`, the one rate-limit mechanism).
    lock_key = f"servicerequests.user:{user.pk}"
    mine = ServiceRequest.objects.filter(user=user)
    already = recent_duplicate(
        mine.filter(submission_key=submission_key),
        at_field="received_at",
        within=None,
        lock_key=lock_key,
    )
    if already is not None:
        return already, False
    try:
        window_check(mine, at_field="received_at", limit=_daily_limit(), lock_key=lock_key)
    except RateLimited as limited:
        raise ServiceRequestRefused(_daily_limit_message(limited)) from None
    received_at = timezone.now()
    meter = fields.get("meter")
    open_one = open_request_for(kind=kind, meter_id=meter.pk if meter else None)
    if open_one is not None:
        raise ServiceRequestRefused(open_request_message(open_one), open_request=open_one)
    if len(files) > settings.SERVICE_REQUEST_FILES_MAX:
        raise ServiceRequestRefused(_too_many_files(len(files), settings.SERVICE_REQUEST_FILES_MAX))
    if meter is not None:
        fields = {**fields, "account": meter.account}
    try:
        with transaction.atomic():
            request = ServiceRequest.objects.create(
                number=service_request_number_next(received_at=received_at),
                kind=kind,
                user=user,
                submission_key=submission_key,
                received_at=received_at,
                due_on=add_working_days(start=received_at, days=kind.term_working_days),
                **fields,
            )
    except IntegrityError:
        # Another holder of the same account filed for the meter a moment earlier.
        open_one = open_request_for(kind=kind, meter_id=meter.pk if meter else None)
        if open_one is None:
            raise
        raise ServiceRequestRefused(open_request_message(open_one), open_request=open_one) from None
    case_event_record(case=request, action=CaseAction.FILED, actor=user)
    _attach(request=request, files=list(files), by=user)
    return request, True


@transaction.atomic
def service_request_add(
    *,
    request: ServiceRequest,
    by: Any,
    comment: str = "",
    files: Sequence[CheckedFile] = (),
) -> ServiceRequest:
    """A comment and/or files while the request is open, from its author or from staff."""
    if not comment.strip() and not files:
        raise CaseStepRefused(_("Напишите комментарий или выберите файл."))
    request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
    left = files_left(request)
    if len(files) > left:
        raise CaseStepRefused(_too_many_files(len(files), left))
    if by.pk == request.user_id:
        _additions_take(by=by, count=bool(comment.strip()) + len(files))
    if comment.strip():
        request = case_step(case=request, action=CaseAction.COMMENT, by=by, comment=comment)
    elif not request.is_open:
        raise CaseStepRefused(_("Заявка уже закрыта: добавить файл нельзя."))
    if files:
        _attach(request=request, files=list(files), by=by)
    return request


def service_request_withdraw(*, request: ServiceRequest, by: Any) -> ServiceRequest:
    return case_step(case=request, action=CaseAction.WITHDRAW, by=by)


def service_requests_take(
    *, requests: QuerySet[ServiceRequest], by: Any, assignee: Any = None
) -> int:
    return cases_step_many(cases=requests, action=CaseAction.TAKE, by=by, assignee=assignee)


def service_requests_close(*, requests: QuerySet[ServiceRequest], by: Any) -> int:
    return cases_step_many(cases=requests, action=CaseAction.CLOSE, by=by)


@transaction.atomic
def service_request_visit_book(
    *,
    request: ServiceRequest,
    by: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> ServiceRequest:
    """Book the visit for a meter job; the consumer gets a letter with the time."""
    if not request.kind.is_meter_job:
        raise CaseStepRefused(_("Визит назначается только по заявкам о приборе учёта."))
    if ends_at <= starts_at:
        raise CaseStepRefused(_("Окончание визита должно быть позже начала."))
    shown = (
        f"{date_format(localtime(starts_at), 'j E Y, H:i')}–"
        f"{date_format(localtime(ends_at), 'H:i')}"
    )
    request = case_step(
        case=request,
        action=CaseAction.VISIT,
        by=by,
        data={"visit": shown},
        changes={"visit_starts_at": starts_at, "visit_ends_at": ends_at},
    )
    transaction.on_commit(
        partial(tasks.service_request_letter_send.enqueue, request_id=request.pk, about="visit")
    )
    return request


@transaction.atomic
def service_request_answer(*, request: ServiceRequest, by: Any, answer_text: str) -> ServiceRequest:
    """Record the answer; the consumer gets it by letter once it commits."""
    request = case_step(case=request, action=CaseAction.ANSWER, by=by, answer_text=answer_text)
    transaction.on_commit(
        partial(tasks.service_request_letter_send.enqueue, request_id=request.pk, about="answer")
    )
    return request
