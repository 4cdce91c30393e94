"""The development mailbox: with DEBUG on and no EMAIL_URL, letters are kept as files and read at
/dev/pochta/ as the person would see them, instead of being dumped (base64 and all) to the console.

Each letter is one `.eml` file in `DEV_MAILBOX_DIR` (ignored by git); the console gets one line
with the letter's subject and its page. The pages exist only while DEBUG is on (`lkk.urls`).
"""

import email
import email.policy
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedMessage
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)

# A letter's id is its file's name: the time it was sent and a random part.
LETTER_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{32}")


def _mailbox() -> Path:
    return Path(settings.DEV_MAILBOX_DIR)


class MailboxBackend(BaseEmailBackend):
    """Keeps every letter in the development mailbox and names its page on the console."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        mailbox = _mailbox()
        mailbox.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            letter_id = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex}"
            (mailbox / f"{letter_id}.eml").write_bytes(message.message().as_bytes())
            logger.info(
                "Письмо «%s» — %s%s",
                message.subject,
                settings.SITE_URL,
                reverse("dev_mailbox:letter", args=[letter_id]),
            )
        return len(email_messages)


@dataclass(frozen=True)
class Letter:
    id: str
    sent_at: datetime
    message: ParsedMessage

    @property
    def subject(self) -> str:
        return str(self.message["subject"] or "")

    @property
    def to(self) -> str:
        return str(self.message["to"] or "")

    @property
    def sender(self) -> str:
        return str(self.message["from"] or "")

    def _part(self, subtype: str) -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        return part.get_content() if part is not None else ""

    @property
    def text(self) -> str:
        return self._part("plain")

    @property
    def html(self) -> str:
        """The HTML part with its links opening in the page around it, not inside the frame."""
        html = self._part("html")
        return '<base target="_top">' + html if html else ""

    @property
    def attachments(self) -> list[str]:
        return [part.get_filename() or "без имени" for part in self.message.iter_attachments()]


def _letter(path: Path) -> Letter:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    sent_at = datetime.strptime(path.stem[:15], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    return Letter(id=path.stem, sent_at=sent_at, message=message)


def letters() -> list[Letter]:
    """Every letter in the mailbox, the newest first."""
    mailbox = _mailbox()
    if not mailbox.is_dir():
        return []
    paths = [path for path in mailbox.glob("*.eml") if LETTER_ID.fullmatch(path.stem)]
    return [_letter(path) for path in sorted(paths, reverse=True)]


def letter(letter_id: str) -> Letter | None:
    if not LETTER_ID.fullmatch(letter_id):
        return None
    path = _mailbox() / f"{letter_id}.eml"
    return _letter(path) if path.is_file() else None
