"""The rejected rows an uploaded charges or payments file leaves on its import (cells of billing's
file: account numbers, amounts, a recalculation's reason) are kept for
BILLS_IMPORT_REJECTION_RETENTION_DAYS, then erased by `manage.py apply_retention`; the import's
summary stays, and its page says the rows were erased."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from bills.models import BillsImport
from bills.uploads import bills_upload_start
from lkk import personal_data as pd
from lkk.models import RetentionRecord
from tests.bills.conftest import charges_file, month_rows

pytestmark = pytest.mark.django_db

UNKNOWN_ACCOUNT = "1000000009"


def rejected_upload(by, *, days_ago: float) -> BillsImport:
    """A month of Alice's account and one of an account billing's registry lacks (rejected),
    uploaded and imported `days_ago`."""
    rows = month_rows("1000000001", "11.2026") + month_rows(UNKNOWN_ACCOUNT, "11.2026")
    upload = SimpleUploadedFile("charges.csv", charges_file(rows).read())
    with TestCase.captureOnCommitCallbacks(execute=True):
        record = bills_upload_start(kind=BillsImport.Kind.CHARGES, file=upload, by=by)
    BillsImport.objects.filter(pk=record.pk).update(
        started_at=timezone.now() - timedelta(days=days_ago)
    )
    record.refresh_from_db()
    assert (record.status, record.rejected) == (BillsImport.Status.DONE, 2)
    assert UNKNOWN_ACCOUNT in str(record.rejections)
    return record


def run(*args: str) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_rejected_rows_are_erased_after_the_term_and_the_summary_kept(admin_user, account):
    old = rejected_upload(admin_user, days_ago=91)
    recent = rejected_upload(admin_user, days_ago=89)

    output = run()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.rejections == []
    assert old.rejections_erased_at is not None
    assert (old.rows_read, old.accounts, old.created, old.rejected) == (4, 1, 1, 2)
    assert UNKNOWN_ACCOUNT in str(recent.rejections)
    assert recent.rejections_erased_at is None
    assert RetentionRecord.objects.get(category="bills.import_rejections").count == 1
    assert (
        "загрузки начислений и платежей (отклонённые строки уничтожены): 1 "
        "(срок хранения: 90 дн. — отклонённые строки уничтожаются" in output
    )
    run()  # nothing left to erase: nothing more in the journal
    assert RetentionRecord.objects.filter(category="bills.import_rejections").count() == 1


def test_the_term_is_a_setting(admin_user, account, settings):
    settings.BILLS_IMPORT_REJECTION_RETENTION_DAYS = 10
    record = rejected_upload(admin_user, days_ago=11)

    run()

    record.refresh_from_db()
    assert record.rejections == []


def test_a_dry_run_only_counts(admin_user, account):
    record = rejected_upload(admin_user, days_ago=91)

    output = run("--dry-run")

    record.refresh_from_db()
    assert UNKNOWN_ACCOUNT in str(record.rejections)
    assert record.rejections_erased_at is None
    assert "загрузки начислений и платежей (отклонённые строки уничтожены): 1" in output


def progress_page(client, record: BillsImport) -> str:
    page = client.get(reverse("admin:bills_billsimport_progress", args=[record.pk]))
    return page.content.decode()


def test_the_imports_page_says_until_when_the_rejected_rows_are_kept(client, admin_user, account):
    record = rejected_upload(admin_user, days_ago=89)
    client.force_login(admin_user)

    text = progress_page(client, record)

    until = timezone.localtime(record.started_at + timedelta(days=90)).strftime("%d.%m.%Y")
    assert UNKNOWN_ACCOUNT in text
    assert f"Строки хранятся до {until}, затем уничтожаются; итоги загрузки остаются." in text


def test_the_imports_page_says_the_rejected_rows_were_erased(client, admin_user, account):
    record = rejected_upload(admin_user, days_ago=91)
    run()
    record.refresh_from_db()
    client.force_login(admin_user)

    text = progress_page(client, record)

    erased_on = timezone.localtime(record.rejections_erased_at).strftime("%d.%m.%Y")
    assert '<th scope="row">Отклонено строк</th><td>2</td>' in text
    assert (
        f"Отклонённые строки уничтожены {erased_on} по истечении срока хранения; "
        "итоги загрузки сохранены." in text
    )
    assert UNKNOWN_ACCOUNT not in text


def test_a_destruction_scrubs_the_person_from_the_rejected_rows(admin_user, alice, account):
    record = rejected_upload(admin_user, days_ago=1)
    BillsImport.objects.filter(pk=record.pk).update(
        rejections=[{"row": 3, "column": "Причина перерасчёта", "value": "Иванова", "reason": "…"}]
    )
    erasure = pd.Erasure(user=alice, actor=None, reference="субъект-1", identifiers=["Иванова"])
    [category] = [c for c in pd.categories() if c.key == "bills.import_rejections"]

    counts = category.erase(erasure)

    record.refresh_from_db()
    assert record.rejections[0]["value"] == "субъект-1"
    assert counts == {"загрузки начислений и платежей (отклонённые строки обезличены)": 1}
