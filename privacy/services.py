"""Workflows of policy versions: importing an operator's text, publishing a draft."""

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.markdown import prepare_imported_text
from privacy.models import PolicyVersion
from privacy.public_pages import public_pages_changed

if TYPE_CHECKING:
    # The configured user model, which django-stubs resolves from AUTH_USER_MODEL: accounts (same
    # layer) reads privacy, not the other way, so privacy names no accounts module.
    from django.contrib.auth.models import _User as User


@transaction.atomic
def policy_publish(*, version: PolicyVersion, by: "User | None") -> PolicyVersion:
    """Publish a draft: from now on its text is fixed (the database refuses any change).

    `by` is the administrator who published it; None when it was published from the command
    line. The version takes effect on its effective date; until then it is listed as future.
    """
    draft = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if draft.is_published:
        raise ValidationError(
            _("Редакция %(label)s уже опубликована."),
            code="already_published",
            params={"label": draft.label},
        )
    PolicyVersion.validate_publication_date(draft.effective_date)
    draft.status = PolicyVersion.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = by
    draft.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    public_pages_changed()
    return draft


@transaction.atomic
def policy_import(
    *,
    text: str,
    label: str,
    effective_date: date,
    title: str = "",
    publish: bool = False,
    by: "User | None" = None,
) -> PolicyVersion:
    """A new version from an operator's Markdown document, as a draft or published at once.

    Raises ValidationError, with nothing saved, when the text is empty, has no title, or the
    label is taken or malformed.
    """
    if not text.strip():
        raise ValidationError({"body": _("Текст политики пуст.")})
    imported = prepare_imported_text(text, title=title)
    if not imported.body:
        raise ValidationError(
            {"body": _("В тексте нет ничего, кроме заголовка: импортировать нечего.")}
        )
    if not imported.title:
        raise ValidationError(
            {"title": _("Первая строка текста не похожа на заголовок: укажите заголовок явно.")}
        )
    version = PolicyVersion(
        label=label.strip(),
        title=imported.title,
        body=imported.body,
        effective_date=effective_date,
    )
    version.full_clean()
    version.save()
    if publish:
        version = policy_publish(version=version, by=by)
    return version
