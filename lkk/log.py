"""Log lines that can be read and followed, and that hold no personal data.

Every line has its time, level, logger and the id of the request it belongs to
(`RequestIdMiddleware` sets it; `X-Request-ID` from the load balancer is kept and returned), or
`task:<id>` for a background task's lines. With
`LOG_FORMAT=json` each line is one JSON object. Before any handler writes a line,
`PersonalDataFilter` replaces email addresses and phone numbers in it — in the message, its
arguments and the traceback — so no code path, ours or a library's, can put them in the logs.
Letters to `ADMINS` and events sent to Sentry are scrubbed the same way.
"""

import contextvars
import json
import logging
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils.log import AdminEmailHandler
from django.views.debug import SafeExceptionReporterFilter

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint

# The id of the request being served ("-" outside a request: commands, the tasks worker).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# An id from the load balancer is believed only if it looks like one (no log injection).
_INCOMING_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Russian numbers as people type them (+7 / 8, with spaces, brackets or dashes) and any
# international number written with a plus.
PHONE = re.compile(
    r"(?<![\w+])(?:\+7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"
    r"|(?<![\w+])\+\d{10,14}(?!\d)"
)
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"


def personal_data_mask(text: str) -> str:
    """`text` with every email address and phone number replaced by a placeholder."""
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, text))


class RequestIdMiddleware:
    """Gives each request an id for its log lines and answers with it in `X-Request-ID`.

    First in MIDDLEWARE, so that everything logged while the request is served carries it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs the response's status ("Not Found: …") after
        # the middleware has returned. `request_finished` clears it (`request_id_clear`).
        request_id.set(value)
        response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


def request_id_clear(**kwargs: Any) -> None:
    """Connected to `request_finished`: lines written between requests carry no stale id."""
    request_id.set("-")


# A background task's lines carry `task:<id>` (the id of its row in the tasks table) when no
# request is being served; a task run inside a request (development) keeps the request's id.
_task_tokens: dict[str, contextvars.Token[str]] = {}


def task_id_set(*, task_result: Any, **kwargs: Any) -> None:
    """Connected to django.tasks' `task_started`."""
    if request_id.get() == "-":
        _task_tokens[task_result.id] = request_id.set(f"task:{task_result.id}")


def task_id_clear(*, task_result: Any, **kwargs: Any) -> None:
    """Connected to django.tasks' `task_finished`."""
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class PersonalDataFilter(logging.Filter):
    """Masks email addresses and phone numbers in the record: the message with its arguments,
    and the traceback. Put on every handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit: the handler reports it
            return True
        masked = personal_data_mask(message)
        if masked != message or record.args:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = personal_data_mask(record.exc_text)
        if record.stack_info:
            record.stack_info = personal_data_mask(record.stack_info)
        return True


def _utc_time(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """`2026-12-01T05:03:43.123Z INFO lkk.letters [3f2a…] message`: UTC time, so that lines of
    several machines sort together."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc_time(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, request_id, message, and
    the traceback as `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return _utc_time(record)


class PersonalDataAdminEmailHandler(AdminEmailHandler):
    """Django's letter to ADMINS about an error, with addresses and phones masked in it.

    The traceback and the request's description pass through the same mask as log lines; POST
    values are not shown at all (`PersonalDataExceptionReporterFilter`).
    """

    def send_mail(self, subject: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("html_message", None)  # the HTML page shows local variables unmasked
        super().send_mail(
            personal_data_mask(str(subject)), personal_data_mask(str(message)), *args, **kwargs
        )


class PersonalDataExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports show which form fields were sent, never their values: forms here carry
    names, addresses, phones and passwords."""

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return personal_data_mask(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def sentry_before_send(event: "Event", hint: "Hint") -> "Event":
    """What goes to Sentry/GlitchTip: no user, no cookies, no form data, and every string left
    with its addresses and phones masked (messages, tracebacks' local variables, breadcrumbs)."""
    event.pop("user", None)
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("cookies", "data", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value
                for name, value in headers.items()
                if name.lower() not in {"cookie", "authorization", "x-forwarded-for", "x-real-ip"}
            }
    scrubbed: Event = _scrub(event)
    return scrubbed
