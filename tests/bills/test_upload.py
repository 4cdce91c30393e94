"""Charges and payments files uploaded by staff in the admin: the request only stores the file,
a background task imports it (the mechanism of every admin upload, `lkk.exchange_upload`), and
the upload's page shows the progress and then the summary — accounts charged, the total, the
rejected rows."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from bills.models import BillsImport, Charge, Payment
from bills.uploads import bills_upload_run
from tests.bills.conftest import charges_file, month_rows

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("admin:bills_billsimport_upload")
PAYMENTS = (
    "Номер платежа;Лицевой счёт;Дата платежа;Сумма;Способ;Зачтён за\r\n"
    "П-1;1000000001;08.11.2026;1995,00;банк;10.2026\r\n"
    "П-2;1000000009;09.11.2026;100,50;онлайн;10.2026\r\n"
)


def progress_url(record: BillsImport) -> str:
    return reverse("admin:bills_billsimport_progress", args=[record.pk])


def post(client, kind: str, content: bytes, name: str = "charges.csv"):
    return client.post(UPLOAD_URL, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def uploaded(client, kind: str, content: bytes, name: str = "charges.csv") -> BillsImport:
    """Upload and let the task run, as the worker would after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        post(client, kind, content, name)
    return BillsImport.objects.get()


@pytest.fixture
def importer(django_user_model):
    """Staff who load billing's files but may not see personal data."""
    user = django_user_model.objects.create_user("importer@ivsbyt.ru", "x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="bills", codename__in=["import_bills", "view_billsimport"]
        )
    )
    return user


def test_the_request_only_stores_the_file_and_queues_the_import(client, importer, account):
    client.force_login(importer)
    listing = client.get(reverse("admin:bills_billsimport_changelist")).content.decode()
    assert UPLOAD_URL in listing  # «Загрузить начисления или платежи»

    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = post(client, "charges", charges_file(month_rows("1000000001", "11.2026")).read())

    record = BillsImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == progress_url(record)
    assert len(queued) == 1  # the task, after commit
    assert (record.status, record.uploaded_by, record.file_name) == (
        BillsImport.Status.QUEUED,
        importer,
        "charges.csv",
    )
    assert not Charge.objects.exists()
    page = client.get(progress_url(record)).content.decode()
    assert "Файл ждёт своей очереди" in page
    assert 'http-equiv="refresh"' in page


def test_a_months_charges_are_imported_and_the_summary_shown(client, importer, account):
    client.force_login(importer)
    rows = month_rows("1000000001", "11.2026") + month_rows("1000000009", "11.2026")

    record = uploaded(client, "charges", charges_file(rows).read())

    page = client.get(progress_url(record)).content.decode()
    assert record.status == BillsImport.Status.DONE
    assert Charge.objects.get().account == account
    assert "Начисления загружены" in page
    assert '<th scope="row">Лицевых счетов</th><td>1</td>' in page
    assert '<th scope="row">Сумма, ₽</th><td>1995,00</td>' in page
    assert '<th scope="row">Новых месяцев</th><td>1</td>' in page
    assert '<th scope="row">Отклонено строк</th><td>2</td>' in page
    assert "Такого лицевого счёта нет в реестре" in page
    assert "скрыто: нет права на просмотр персональных данных" in page  # the account number
    assert 'http-equiv="refresh"' not in page
    assert bytes(record.content) == b""  # the file is not kept once read
    assert record.uploaded_by == importer


def test_payments_are_imported_the_same_way(client, importer, account):
    client.force_login(importer)

    record = uploaded(client, "payments", PAYMENTS.encode(), "payments.csv")

    page = client.get(progress_url(record)).content.decode()
    assert (record.kind, record.status, record.created, record.rejected) == (
        BillsImport.Kind.PAYMENTS,
        BillsImport.Status.DONE,
        1,
        1,
    )
    assert Payment.objects.get().external_id == "П-1"
    assert "Платежи загружены" in page
    assert '<th scope="row">Новых платежей</th><td>1</td>' in page


def test_the_page_shows_the_progress_while_the_task_reads(client, importer):
    record = BillsImport.objects.create(
        kind=BillsImport.Kind.CHARGES,
        file_name="big.csv",
        uploaded_by=importer,
        status=BillsImport.Status.RUNNING,
        rows_read=5000,
        percent=40,
        phase="Запись начислений…",
    )
    client.force_login(importer)

    page = client.get(progress_url(record)).content.decode()

    assert "прочитано строк — 5000; Запись начислений…" in page
    assert '<progress max="100" value="40">' in page
    assert 'http-equiv="refresh"' in page


def test_a_file_that_cannot_be_read_fails_with_its_reason_and_changes_nothing(
    client, importer, account
):
    client.force_login(importer)

    record = uploaded(client, "charges", "Лицевой счёт;Сумма\r\n1000000001;1\r\n".encode())

    page = client.get(progress_url(record)).content.decode()
    assert record.status == BillsImport.Status.FAILED
    assert "В первой строке нет столбцов" in record.message
    assert "Загрузка отменена, данные не изменены." in page
    assert not Charge.objects.exists()
    assert bytes(record.content) == b""


def test_a_task_delivered_twice_imports_once(client, importer, account):
    client.force_login(importer)
    record = uploaded(client, "charges", charges_file(month_rows("1000000001", "11.2026")).read())
    Charge.objects.all().delete()

    bills_upload_run(import_id=record.pk)

    assert not Charge.objects.exists()


def test_staff_without_the_import_permission_can_neither_upload_nor_watch(
    client, importer, admin_user, django_user_model, account
):
    client.force_login(importer)
    record = uploaded(client, "charges", charges_file(month_rows("1000000001", "11.2026")).read())
    viewer = django_user_model.objects.create_user("viewer@ivsbyt.ru", "x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_billsimport"))
    client.force_login(viewer)

    assert client.get(UPLOAD_URL).status_code == 403
    assert client.get(progress_url(record)).status_code == 403
    listing = client.get(reverse("admin:bills_billsimport_changelist")).content.decode()
    assert UPLOAD_URL not in listing
