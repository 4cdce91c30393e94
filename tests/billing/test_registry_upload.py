"""A registry file uploaded by staff is imported by a background task, within limits: the web
request only stores it, and a ZIP bomb, an endless sheet or a giant cell is refused with a
Russian message, leaving the registry as it was."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from billing.models import PersonalAccount, RegistryUpload
from billing.uploads import registry_upload_run

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:billing_personalaccount_import")
EXPORT = (
    "Лицевой счёт;Адрес;ФИО;Номер счётчика;Статус\r\n"
    "1000000001;г. Ивантеевка, ул. Толмачёва, д. 5;Королёва Н. С.;011552146;активен\r\n"
    "1000000002;г. Пушкино, ул. Горького, д. 1;Семёнов В. П.;;закрыт\r\n"
)


def status_url(upload: RegistryUpload) -> str:
    return reverse("admin:billing_personalaccount_import_status", args=[upload.pk])


def post(client, content: bytes, name: str = "export.csv"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def uploaded(client, content: bytes, name: str = "export.csv") -> RegistryUpload:
    """Upload and let the task run, as the worker would after the commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        post(client, content, name)
    return RegistryUpload.objects.get()


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A valid workbook whose first sheet is replaced by `sheet_xml`."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["Лицевой счёт", "Адрес", "ФИО"])
    original = io.BytesIO()
    workbook.save(original)
    result = io.BytesIO()
    with (
        zipfile.ZipFile(original) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(member.filename, data)
    return result.getvalue()


def test_the_request_only_stores_the_file_and_queues_the_import(client, admin_user):
    client.force_login(admin_user)

    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        response = post(client, EXPORT.encode())

    upload = RegistryUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == status_url(upload)
    assert len(queued) == 1  # the task, after commit
    assert upload.status == RegistryUpload.Status.QUEUED
    assert not PersonalAccount.objects.exists()
    page = client.get(status_url(upload)).content.decode()
    assert "Файл ждёт своей очереди" in page
    assert 'http-equiv="refresh"' in page


def test_the_task_imports_the_file_shows_the_summary_and_forgets_the_file(client, admin_user):
    client.force_login(admin_user)

    upload = uploaded(client, EXPORT.encode("cp1251"))

    page = client.get(status_url(upload)).content.decode()
    assert upload.status == RegistryUpload.Status.DONE
    assert PersonalAccount.objects.count() == 2
    assert "Реестр загружен" in page
    assert '<th scope="row">Создано</th><td>2</td>' in page
    assert 'http-equiv="refresh"' not in page
    assert bytes(upload.content) == b""  # holders' names and addresses are not kept


def test_the_page_shows_the_progress_while_the_task_reads(client, admin_user):
    upload = RegistryUpload.objects.create(
        uploaded_by=admin_user,
        file_name="big.csv",
        content=b"",
        status=RegistryUpload.Status.RUNNING,
        rows_read=5000,
        percent=40,
        phase="Обновление реестра…",
    )
    client.force_login(admin_user)

    page = client.get(status_url(upload)).content.decode()

    assert "прочитано строк — 5000" in page
    assert '<progress max="100" value="40">' in page
    assert 'http-equiv="refresh"' in page


def test_a_task_delivered_twice_imports_once(client, admin_user):
    client.force_login(admin_user)
    upload = uploaded(client, EXPORT.encode())
    PersonalAccount.objects.all().delete()

    registry_upload_run(upload_id=upload.pk)

    assert not PersonalAccount.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, admin_user, settings):
    settings.BILLING_IMPORT_UPLOAD_MAX_UNPACKED_MB = 5
    padding = b" " * (6 * 1024 * 1024)  # packs to a few kilobytes
    client.force_login(admin_user)

    upload = uploaded(client, xlsx_with_sheet(b"<worksheet>" + padding + b"</worksheet>"))

    assert upload.status == RegistryUpload.Status.FAILED
    assert "в распакованном виде больше 5 МБ" in upload.error
    page = client.get(status_url(upload)).content.decode()
    assert "Импорт отменён, реестр не изменён." in page


def test_a_sheet_packed_beyond_belief_is_refused(client, admin_user):
    padding = b" " * (4 * 1024 * 1024)  # under the size limit, but packed ~1000 times
    client.force_login(admin_user)

    upload = uploaded(client, xlsx_with_sheet(b"<worksheet>" + padding + b"</worksheet>"))

    assert upload.status == RegistryUpload.Status.FAILED
    assert "«ZIP-бомбу»" in upload.error


def test_a_file_with_too_many_rows_is_refused_and_changes_nothing(client, admin_user, settings):
    settings.BILLING_IMPORT_UPLOAD_MAX_ROWS = 1
    client.force_login(admin_user)

    upload = uploaded(client, EXPORT.encode())

    assert upload.status == RegistryUpload.Status.FAILED
    assert "В файле больше 1 строк" in upload.error
    assert not PersonalAccount.objects.exists()


def test_a_giant_cell_is_refused(client, admin_user, settings):
    settings.BILLING_IMPORT_UPLOAD_MAX_CELL_CHARS = 50
    client.force_login(admin_user)

    upload = uploaded(client, (EXPORT + "1000000003;" + "д" * 60 + ";Ф;;\r\n").encode())

    assert upload.status == RegistryUpload.Status.FAILED
    assert "Строка 4: в ячейке больше 50 символов" in upload.error
    assert not PersonalAccount.objects.exists()


def test_rejected_values_show_only_to_staff_with_the_pd_right(
    client, admin_user, django_user_model
):
    from django.contrib.auth.models import Permission

    client.force_login(admin_user)
    upload = uploaded(client, (EXPORT + "12;г. Шуя, ул. Секретная;Тайнова Т. Т.;;\r\n").encode())
    importer = django_user_model.objects.create_user("importer@ivsbyt.ru", "x", is_staff=True)
    importer.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_personalaccount", "view_personalaccount"])
    )

    assert "12" in client.get(status_url(upload)).content.decode()
    client.force_login(importer)
    page = client.get(status_url(upload)).content.decode()
    assert "Номер лицевого счёта состоит из 10 цифр." in page
    assert "скрыто: нет права на просмотр персональных данных" in page


def test_staff_without_the_import_permission_cannot_see_an_upload(
    client, admin_user, django_user_model
):
    client.force_login(admin_user)
    upload = uploaded(client, EXPORT.encode())
    other = django_user_model.objects.create_user("other@ivsbyt.ru", "x", is_staff=True)
    client.force_login(other)

    assert client.get(status_url(upload)).status_code == 403
