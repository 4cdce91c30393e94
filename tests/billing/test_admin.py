"""Staff: registry upload, unlinking with a reason, the read-only attempt audit, messages."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from billing import services
from billing.models import AccountLink, LinkAttempt, LinkDispute, PersonalAccount

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:billing_personalaccount_import")
EXPORT = (
    "Лицевой счёт;Адрес;ФИО;Номер счётчика;Статус\r\n"
    "1000000001;г. Ивантеевка, ул. Толмачёва, д. 5;Королёва Н. С.;011552146;активен\r\n"
    "1000000002;г. Пушкино, ул. Горького, д. 1;Семёнов В. П.;;закрыт\r\n"
    "12;г. Пушкино;Иванов П. И.;;\r\n"
)


def upload(client, content: bytes, **data):
    """Upload as staff do; the import task runs once the upload is committed, and the redirect
    leads to the upload's page."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            IMPORT_URL, {"file": SimpleUploadedFile("export.csv", content), **data}
        )
    return client.get(response["Location"]) if response.status_code == 302 else response


@pytest.fixture
def staff_member(django_user_model):
    """Staff without any billing permission."""
    return django_user_model.objects.create_user("staff@ivsbyt.ru", "x", is_staff=True)


def grant(user, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def test_staff_upload_the_registry_and_see_the_summary_and_rejected_rows(client, admin_user):
    client.force_login(admin_user)

    response = upload(client, EXPORT.encode("cp1251"))

    page = response.content.decode()
    assert "Реестр загружен" in page
    assert '<th scope="row">Создано</th><td>2</td>' in page
    assert '<th scope="row">Отклонено строк</th><td>1</td>' in page
    assert "Номер лицевого счёта состоит из 10 цифр." in page
    assert PersonalAccount.objects.count() == 2


def test_staff_upload_a_spreadsheet_too(client, admin_user):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Лицевой счёт", "Адрес", "ФИО"])
    workbook.active.append(["1000000001", "г. Ивантеевка, ул. Толмачёва, д. 5", "Королёва Н. С."])
    content = io.BytesIO()
    workbook.save(content)
    client.force_login(admin_user)

    upload(client, content.getvalue())

    assert list(PersonalAccount.objects.values_list("number", flat=True)) == ["1000000001"]


def test_a_broken_upload_is_explained_and_changes_nothing(client, admin_user, make_account):
    make_account("1000000009")
    client.force_login(admin_user)

    response = upload(client, "Лицевой счёт;ФИО\r\n1000000001;Королёва\r\n".encode(), full="on")

    page = response.content.decode()
    assert "Импорт отменён, реестр не изменён" in page
    assert "нет столбцов: «Адрес»" in page
    assert list(PersonalAccount.objects.values_list("number", "status")) == [
        ("1000000009", "active")
    ]


def test_an_upload_over_the_size_limit_is_refused(client, admin_user, settings):
    settings.BILLING_IMPORT_UPLOAD_MAX_MB = 1
    client.force_login(admin_user)

    response = upload(client, EXPORT.encode() + b" " * 2**20)

    assert "Файл больше 1 МБ" in response.content.decode()
    assert not PersonalAccount.objects.exists()


def test_staff_without_the_import_permission_cannot_upload(client, staff_member):
    grant(staff_member, "view_personalaccount")
    client.force_login(staff_member)

    changelist = client.get(reverse("admin:billing_personalaccount_changelist"))
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("e.csv", EXPORT.encode())})

    assert "Загрузить реестр" not in changelist.content.decode()
    assert response.status_code == 403
    assert not PersonalAccount.objects.exists()


def test_staff_find_an_account_by_its_number(client, admin_user, make_account):
    make_account("1000000001")
    make_account("1000000002")
    client.force_login(admin_user)

    response = client.get(
        reverse("admin:billing_personalaccount_changelist"), {"q": " 1000 000 002 "}
    )

    assert [a.number for a in response.context["cl"].result_list] == ["1000000002"]


@pytest.fixture
def link(alice, account):
    return AccountLink.objects.create(user=alice, account=account, factor="surname")


def test_staff_unlink_an_account_with_a_reason_that_is_kept(client, admin_user, link):
    client.force_login(admin_user)
    unlink_url = reverse("admin:billing_accountlink_unlink", args=[link.pk])
    change_page = client.get(reverse("admin:billing_accountlink_change", args=[link.pk]))

    response = client.post(unlink_url, {"reason": "Обращение № 17: счёт продан"}, follow=True)

    assert unlink_url in change_page.content.decode()
    assert response.status_code == 200
    link.refresh_from_db()
    assert link.unlinked_at is not None
    assert (link.unlinked_by, link.unlink_reason) == (admin_user, "Обращение № 17: счёт продан")


def test_staff_cannot_unlink_without_a_reason(client, admin_user, link):
    client.force_login(admin_user)

    response = client.post(reverse("admin:billing_accountlink_unlink", args=[link.pk]), {})

    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()
    link.refresh_from_db()
    assert link.is_active


def test_staff_who_may_only_view_links_cannot_unlink(client, staff_member, link):
    grant(staff_member, "view_accountlink")
    client.force_login(staff_member)

    response = client.post(
        reverse("admin:billing_accountlink_unlink", args=[link.pk]), {"reason": "x"}
    )

    assert response.status_code == 403
    link.refresh_from_db()
    assert link.is_active


def test_link_attempts_are_visible_to_staff_and_cannot_be_changed(
    client, admin_user, alice, account
):
    services.account_link(
        user=alice, number="1000000001", factor="surname", value="Иванов", ip_address="203.0.113.7"
    )
    attempt = LinkAttempt.objects.get()
    client.force_login(admin_user)

    listing = client.get(reverse("admin:billing_linkattempt_changelist"))
    change = client.post(
        reverse("admin:billing_linkattempt_change", args=[attempt.pk]), {"outcome": "linked"}
    )
    delete = client.post(
        reverse("admin:billing_linkattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    add = client.get(reverse("admin:billing_linkattempt_add"))

    assert "203.0.113.7" in listing.content.decode()
    assert "****0001" in listing.content.decode()
    assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    attempt.refresh_from_db()
    assert attempt.outcome == LinkAttempt.Outcome.FACTOR_MISMATCH


@pytest.mark.parametrize("term", ["1000000009", "203.0.113.7", "ALICE@example.ru"])
def test_staff_find_attempts_by_number_even_a_missing_one_by_ip_or_by_email(
    client, admin_user, alice, bob, term
):
    services.account_link(
        user=alice, number="1000000009", factor="meter", value="1", ip_address="203.0.113.7"
    )
    services.account_link(
        user=bob, number="1000000008", factor="meter", value="1", ip_address="198.51.100.1"
    )
    client.force_login(admin_user)

    response = client.get(reverse("admin:billing_linkattempt_changelist"), {"q": term})

    assert [a.user for a in response.context["cl"].result_list] == [alice]


def test_staff_mark_support_messages_as_dealt_with(client, admin_user, alice, account):
    dispute = LinkDispute.objects.create(user=alice, account=account)
    client.force_login(admin_user)

    client.post(
        reverse("admin:billing_linkdispute_changelist"),
        {"action": "resolve", "_selected_action": [dispute.pk]},
    )

    dispute.refresh_from_db()
    assert dispute.resolved_at is not None
    assert dispute.resolved_by == admin_user
