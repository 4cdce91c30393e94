"""The electronic receipt: the choice, its export to billing, and one letter per person,
account and month, never to someone whose data is blocked."""

import datetime
import io

import pytest
from django.urls import reverse

from billing.models import AccountLink
from bills import services
from bills.importer import charges_import
from bills.models import ElectronicReceiptChoice, ReceiptChoiceExport, ReceiptLetter
from lkk import bulk_mail
from tests.bills.conftest import charges_file, month_rows

pytestmark = pytest.mark.django_db

NOVEMBER = datetime.date(2026, 11, 1)


@pytest.fixture
def electronic(client):
    def choose(user, link, value: str = "1"):
        client.force_login(user)
        return client.post(
            reverse("bills:electronic_receipt", args=[link.pk]), {"electronic": value}
        )

    return choose


def import_november(capture, rows=None):
    with capture(execute=True):
        charges_import(charges_file(rows or month_rows("1000000001", "11.2026")))


def test_the_choice_is_recorded_with_its_time(client, alice, link, electronic):
    response = electronic(alice, link)

    assert response.status_code == 302
    choice = ElectronicReceiptChoice.objects.get()
    assert (choice.user, choice.account, choice.electronic) == (alice, link.account, True)
    page = client.get(reverse("bills:charges", args=[link.pk])).content.decode()
    assert "Сейчас выбрано: электронная квитанция" in page


def test_choosing_the_same_again_records_nothing(alice, link, electronic):
    electronic(alice, link)
    electronic(alice, link)

    assert ElectronicReceiptChoice.objects.count() == 1


def test_a_new_month_sends_one_letter_with_the_receipt(
    alice, link, electronic, django_capture_on_commit_callbacks, mailoutbox
):
    electronic(alice, link)

    import_november(django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    letter = mailoutbox[0]
    assert letter.to == ["alice@example.ru"]
    assert "Квитанция за ноябрь 2026" in letter.subject
    assert "****0001" in letter.subject
    name, content, mimetype = letter.attachments[0]
    assert (name, mimetype) == ("kvitanciya-1000000001-2026-11.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert ReceiptLetter.objects.get().sent_at is not None


def test_letters_go_exactly_once_per_person_and_month(
    alice, link, electronic, django_capture_on_commit_callbacks, mailoutbox
):
    electronic(alice, link)
    import_november(django_capture_on_commit_callbacks)

    # The same month again, a correction of it, and the letters started again by hand.
    import_november(django_capture_on_commit_callbacks)
    import_november(
        django_capture_on_commit_callbacks, month_rows("1000000001", "11.2026", day_amount="1,00")
    )
    services.receipt_letters_start(period=NOVEMBER)

    assert len(mailoutbox) == 1
    assert ReceiptLetter.objects.count() == 1


def test_a_paper_receipt_gets_no_letter(
    alice, link, electronic, django_capture_on_commit_callbacks, mailoutbox
):
    electronic(alice, link)
    electronic(alice, link, "0")

    import_november(django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_nobody_whose_data_is_blocked_gets_a_letter(
    alice, link, electronic, file_request, django_capture_on_commit_callbacks, mailoutbox
):
    from pdrequests.models import SubjectRequest

    electronic(alice, link)
    blocking = file_request(alice, SubjectRequest.Kind.BLOCKING)
    SubjectRequest.objects.filter(pk=blocking.pk).update(blocked_at=blocking.received_at)

    import_november(django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_letters_go_in_batches(
    monkeypatch, alice, link, electronic, django_user_model, make_month, mailoutbox
):
    from billing.models import PersonalAccount

    monkeypatch.setattr(bulk_mail, "BATCH_SIZE", 2)
    make_month(link.account, NOVEMBER)
    electronic(alice, link)
    for index in range(2, 6):
        user = django_user_model.objects.create_user(f"c{index}@example.ru", "x")
        account = PersonalAccount.objects.create(
            number=f"100000000{index}", holder_name="Б. Б.", address="г. Пушкино"
        )
        AccountLink.objects.create(user=user, account=account, factor="surname")
        make_month(account, NOVEMBER)
        ElectronicReceiptChoice.objects.create(account=account, user=user, electronic=True)

    queued = services.receipt_letters_start(period=NOVEMBER)

    assert queued == 5
    assert len(mailoutbox) == 5


def test_choices_are_exported_once_and_a_batch_can_be_written_again(alice, link, electronic):
    electronic(alice, link)
    first, again = io.StringIO(), io.StringIO()

    assert services.receipt_choices_export(out=first) == 1
    assert services.receipt_choices_export(out=again) == 0

    lines = first.getvalue().splitlines()
    assert lines[0] == "Лицевой счёт;Электронная квитанция;Время выбора"
    assert lines[1].startswith("1000000001;да;")
    batch = ReceiptChoiceExport.objects.order_by("pk").first()
    rewritten = io.StringIO()
    services.receipt_choices_export(out=rewritten, batch=batch)
    assert rewritten.getvalue() == first.getvalue()


def test_an_unconfirmed_address_gets_no_letter_and_is_told_why(
    client, alice, link, electronic, django_capture_on_commit_callbacks, mailoutbox
):
    alice.awaiting_email_confirmation = True
    alice.save()

    response = electronic(alice, link)
    import_november(django_capture_on_commit_callbacks)

    page = client.get(response["Location"]).content.decode()
    assert "когда вы подтвердите адрес alice@example.ru" in page
    assert mailoutbox == []


def test_a_person_with_two_accounts_gets_one_letter_with_both_receipts(
    alice, link, electronic, django_capture_on_commit_callbacks, mailoutbox
):
    from billing.models import PersonalAccount

    second = AccountLink.objects.create(
        user=alice,
        account=PersonalAccount.objects.create(
            number="1000000002", holder_name="Иванова А. П.", address="г. Пушкино"
        ),
        factor="surname",
    )
    electronic(alice, link)
    electronic(alice, second)

    import_november(
        django_capture_on_commit_callbacks,
        month_rows("1000000001", "11.2026") + month_rows("1000000002", "11.2026"),
    )

    [letter] = mailoutbox
    assert letter.subject.startswith(
        "Квитанции за ноябрь 2026 по лицевым счетам ****0001, ****0002"
    )
    assert [name for name, _content, _type in letter.attachments] == [
        "kvitanciya-1000000001-2026-11.pdf",
        "kvitanciya-1000000002-2026-11.pdf",
    ]
    assert ReceiptLetter.objects.get().user == alice
