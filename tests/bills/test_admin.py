"""Staff: an account's months, payments and receipts; people masked unless PD may be seen; a
receipt (holder's name and address) only for those who may, recorded in the access journal."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from bills.importer import charges_import, payments_import
from bills.models import BillsImport, Charge, ElectronicReceiptChoice, Payment
from staff.models import PersonalDataAccess
from tests.bills.conftest import charges_file, month_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(django_user_model):
    """Staff who may view bills but not personal data."""
    user = django_user_model.objects.create_user("clerk@ivsbyt.ru", "x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="bills", codename__startswith="view_")
    )
    return user


@pytest.fixture
def month(link, make_month):
    return make_month(link.account, datetime.date(2026, 11, 1))


def test_staff_find_an_accounts_months_by_its_number(client, clerk, month):
    client.force_login(clerk)

    page = client.get(reverse("admin:bills_charge_changelist"), {"q": "1000 000 001"})

    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [month]
    detail = client.get(reverse("admin:bills_charge_change", args=[month.pk]))
    assert "Электроэнергия" in detail.content.decode()


def test_without_pd_rights_the_receipt_is_refused(client, clerk, month):
    client.force_login(clerk)

    response = client.get(reverse("admin:bills_charge_receipt", args=[month.pk]))

    assert response.status_code == 403


def test_a_receipt_opened_by_staff_is_recorded_against_the_owner(client, admin_user, alice, month):
    client.force_login(admin_user)

    response = client.get(reverse("admin:bills_charge_receipt", args=[month.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    entry = PersonalDataAccess.objects.get()
    assert (entry.staff_user, entry.subject, entry.object_label) == (
        admin_user,
        alice,
        f"квитанция № {month.pk}",
    )


def test_the_receipt_choice_masks_the_consumer(client, clerk, alice, link):
    ElectronicReceiptChoice.objects.create(account=link.account, user=alice, electronic=True)
    client.force_login(clerk)

    listing = client.get(reverse("admin:bills_electronicreceiptchoice_changelist"))
    choice = ElectronicReceiptChoice.objects.get()
    detail = client.get(reverse("admin:bills_electronicreceiptchoice_change", args=[choice.pk]))

    for page in (listing, detail):
        text = page.content.decode()
        assert "И***** А. П." in text
        assert "Иванова" not in text
        assert "alice@example.ru" not in text


def test_an_imports_summary_is_listed(client, clerk, account):
    charges_import(charges_file(month_rows("1000000001", "11.2026")), file_name="nov.csv")
    client.force_login(clerk)

    page = client.get(reverse("admin:bills_billsimport_changelist")).content.decode()

    record = BillsImport.objects.get()
    assert "nov.csv" in page
    assert (record.accounts, record.created) == (1, 1)
    assert Charge.objects.count() == 1


def test_a_corrected_payment_shows_its_earlier_values(client, clerk, account):
    sent = (
        "Номер платежа;Лицевой счёт;Дата платежа;Сумма;Способ;Зачтён за\r\n"
        "П-1;1000000001;08.11.2026;{};банк;10.2026\r\n"
    )
    payments_import(io.BytesIO(sent.format("1995,00").encode()))
    payments_import(io.BytesIO(sent.format("1959,00").encode()))
    client.force_login(clerk)

    payment = Payment.objects.get()
    page = client.get(reverse("admin:bills_payment_change", args=[payment.pk])).content.decode()

    assert "1959,00" in page
    assert "1995,00" in page  # the earlier value, in «Прежние версии платежей»
    assert "Прежние версии платежей" in page
