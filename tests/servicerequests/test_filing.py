"""Filing a request: the fields of its kind, files checked by content, one open request per
kind and meter, one request per submission, a daily limit; every refusal in Russian."""

import datetime
import io
import re
import uuid

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.models import CaseAction, CaseEvent
from servicerequests import services
from servicerequests.files import file_check
from servicerequests.models import Attachment, ServiceRequest
from tests.servicerequests.conftest import (
    CLAIM,
    PDF_BYTES,
    RECALCULATION,
    REPLACEMENT,
    jpeg_bytes,
    png_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


def create_url(code: str) -> str:
    return reverse("servicerequests:create", args=[code])


def test_alice_files_a_meter_replacement_with_a_photo(
    client, alice, alices_meter, replacement_form
):
    client.force_login(alice)

    response = client.post(
        create_url(REPLACEMENT),
        {**replacement_form(), "files": [upload("meter.jpg", jpeg_bytes())]},
    )

    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("servicerequests:detail", args=[request.pk])
    assert request.number.startswith("ЗВ-")
    assert (request.meter, request.account, request.contact_phone) == (
        alices_meter,
        alices_meter.account,
        "+79161234567",
    )
    assert request.due_on > request.received_at.date()
    assert [event.action for event in request.history()] == [CaseAction.FILED, CaseAction.FILE]
    (attachment,) = request.attachments.all()
    assert attachment.content_type == Attachment.Type.JPEG


def test_a_photo_is_stored_without_its_exif(
    client, alice, replacement_form, django_capture_on_commit_callbacks
):
    original = jpeg_bytes(with_exif=True)
    assert Image.open(io.BytesIO(original)).getexif()  # the test photo does carry EXIF
    client.force_login(alice)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            create_url(REPLACEMENT), {**replacement_form(), "files": [upload("m.jpg", original)]}
        )

    stored = Attachment.objects.get().file.open("rb").read()
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"Phone maker" not in stored


class _RolledBack(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_files_of_a_request_whose_transaction_rolls_back_are_not_left_on_disk(
    alice, alices_meter, kind, private_files
):
    """The service returns, and then the caller's transaction fails: no file may stay behind
    without its row (it would hold personal data nobody can find or destroy)."""
    photo = file_check(upload("meter.jpg", jpeg_bytes()))

    def file() -> ServiceRequest:
        request, _created = services.service_request_file(
            user=alice,
            kind=kind(REPLACEMENT),
            submission_key=uuid.uuid4(),
            fields={"meter": alices_meter, "contact_phone": "+79161234567"},
            files=[photo],
        )
        return request

    with pytest.raises(_RolledBack), transaction.atomic():
        file()
        raise _RolledBack

    assert not ServiceRequest.objects.exists()
    assert not [path for path in private_files.rglob("*") if path.is_file()]
    stored = file().attachments.get().file
    assert stored.open("rb").read() == photo.content  # once committed, the file is there


def test_a_png_and_a_pdf_are_accepted(client, alice, replacement_form):
    client.force_login(alice)
    client.post(
        create_url(REPLACEMENT),
        {
            **replacement_form(),
            "files": [upload("a.png", png_bytes(), "image/png"), upload("passport.pdf", PDF_BYTES)],
        },
    )

    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


@pytest.mark.parametrize(
    "name, content",
    [
        ("photo.jpg", b"<html><script>alert(1)</script></html>"),  # the name lies
        ("doc.pdf", b"MZ\x90\x00 not a pdf"),
        ("photo.gif", b"GIF89a\x01\x00\x01\x00"),
    ],
)
def test_a_file_of_a_wrong_type_is_refused_whatever_its_name(
    client, alice, replacement_form, name, content
):
    client.force_login(alice)

    response = client.post(
        create_url(REPLACEMENT), {**replacement_form(), "files": [upload(name, content)]}
    )

    assert response.status_code == 200
    assert "можно приложить только фотографию в JPEG или PNG или документ в PDF" in (
        response.content.decode()
    )
    assert not ServiceRequest.objects.exists()


def test_a_broken_image_and_a_truncated_pdf_are_refused(client, alice, replacement_form):
    client.force_login(alice)

    response = client.post(
        create_url(REPLACEMENT),
        {
            **replacement_form(),
            "files": [
                upload("bad.jpg", jpeg_bytes()[:40]),
                upload("cut.pdf", PDF_BYTES[:20], "application/pdf"),
            ],
        },
    )

    page = response.content.decode()
    assert "не открывается как изображение" in page
    assert "повреждённый PDF" in page
    assert not ServiceRequest.objects.exists()


def test_too_big_and_too_many_files_are_refused(client, alice, replacement_form, settings):
    settings.SERVICE_REQUEST_FILE_MAX_MB = 1
    client.force_login(alice)

    big = client.post(
        create_url(REPLACEMENT),
        {**replacement_form(), "files": [upload("big.pdf", PDF_BYTES + b"0" * 1024 * 1024)]},
    )
    settings.SERVICE_REQUEST_FILES_MAX = 2
    many = client.post(
        create_url(REPLACEMENT),
        {**replacement_form(), "files": [upload(f"{n}.png", png_bytes()) for n in range(3)]},
    )

    assert "больше 1,0" in big.content.decode()
    assert "не больше 2 файлов" in many.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_double_submit_makes_one_request(client, alice, replacement_form):
    client.force_login(alice)
    data = replacement_form()

    first = client.post(create_url(REPLACEMENT), data)
    second = client.post(create_url(REPLACEMENT), data)

    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_second_open_request_of_a_kind_for_the_meter_is_refused_naming_the_open_one(
    client, alice, replacement_form
):
    client.force_login(alice)
    client.post(create_url(REPLACEMENT), replacement_form())
    open_one = ServiceRequest.objects.get()

    response = client.post(create_url(REPLACEMENT), replacement_form())

    page = response.content.decode()
    assert "По этому прибору учёта уже есть открытая заявка того же вида" in page
    assert open_one.number in page
    assert ServiceRequest.objects.count() == 1


def test_another_kind_for_the_same_meter_and_a_new_one_after_the_first_is_withdrawn_are_accepted(
    client, alice, replacement_form
):
    client.force_login(alice)
    client.post(create_url(REPLACEMENT), replacement_form())
    client.post(create_url("poverka-schetchika"), replacement_form())
    first = ServiceRequest.objects.get(kind__code=REPLACEMENT)
    client.post(reverse("servicerequests:withdraw", args=[first.pk]))

    client.post(create_url(REPLACEMENT), replacement_form())

    assert ServiceRequest.objects.filter(kind__code=REPLACEMENT).count() == 2
    assert ServiceRequest.objects.open().count() == 2


def test_the_database_refuses_two_open_requests_of_a_kind_for_one_meter(
    alice, alices_meter, file_service_request
):
    from django.db import IntegrityError

    first = file_service_request(alice, meter=alices_meter)
    with pytest.raises(IntegrityError):
        ServiceRequest.objects.create(
            number="ЗВ-2026-999999",
            kind=first.kind,
            user=alice,
            due_on=first.due_on,
            meter=alices_meter,
        )


def test_bobs_meter_cannot_be_chosen_by_alice(client, alice, bobs_meter, replacement_form):
    client.force_login(alice)

    response = client.post(create_url(REPLACEMENT), replacement_form(meter=str(bobs_meter.pk)))

    assert "Такого счётчика нет среди счётчиков ваших лицевых счетов." in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_meter_named_in_the_address_is_chosen_in_advance(client, alice, alices_meter):
    client.force_login(alice)

    response = client.get(create_url(REPLACEMENT), {"meter": alices_meter.pk})

    assert response.context["form"]["meter"].value() == alices_meter.pk
    assert f'<option value="{alices_meter.pk}" selected>' in response.content.decode()


def test_only_the_consumers_own_meter_is_chosen_in_advance(client, alice, alices_meter, bobs_meter):
    client.force_login(alice)

    for value in (str(bobs_meter.pk), "чепуха", "-1", "9" * 40, ""):
        response = client.get(create_url(REPLACEMENT), {"meter": value})

        assert response.status_code == 200
        assert response.context["form"]["meter"].value() is None
        page = response.content.decode()
        assert not re.search(r'<option value="\d+" selected>', page)
        assert bobs_meter.serial_number not in page


def test_a_consumer_may_file_only_so_many_requests_a_day(client, alice, settings, claim_form):
    settings.SERVICE_REQUESTS_PER_DAY = 2
    client.force_login(alice)
    for _ in range(2):
        client.post(create_url(CLAIM), claim_form())

    response = client.post(create_url(CLAIM), claim_form())

    assert "За сутки можно подать не больше 2 заявок" in response.content.decode()
    assert "(мск) или позвонить нам" in response.content.decode()
    assert ServiceRequest.objects.count() == 2


def test_the_daily_limit_counts_the_last_24_hours(client, alice, settings, claim_form):
    settings.SERVICE_REQUESTS_PER_DAY = 2
    client.force_login(alice)
    for _ in range(2):
        client.post(create_url(CLAIM), claim_form())
    ServiceRequest.objects.update(received_at=timezone.now() - datetime.timedelta(hours=25))

    client.post(create_url(CLAIM), claim_form())

    assert ServiceRequest.objects.count() == 3


def test_a_supply_quality_claim_keeps_its_fields_and_has_its_own_term(
    client, alice, alices_meter, claim_form
):
    client.force_login(alice)

    client.post(create_url(CLAIM), claim_form())

    claim = ServiceRequest.objects.get()
    assert claim.account == alices_meter.account
    assert claim.claimant_name == "Иванова Алиса Петровна"
    assert claim.address.startswith("г. Иваново")
    assert claim.violation_started_at < claim.violation_ended_at
    assert claim.kind.term_working_days == 3
    assert claim.meter is None


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"violation_started_at": ""}, "Укажите дату и время начала нарушения."),
        ({"text": ""}, "Заполните поле"),
        ({"claimant_name": ""}, "Обязательное поле."),
        ({"account": ""}, "Выберите лицевой счёт."),
        ({"violation_started_at": "2999-01-01T10:00"}, "Начало нарушения не может быть в будущем."),
    ],
)
def test_a_claim_with_bad_fields_is_refused_with_a_message(
    client, alice, claim_form, overrides, message
):
    client.force_login(alice)

    response = client.post(create_url(CLAIM), claim_form(**overrides))

    assert message in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_claim_whose_violation_ended_before_it_began_is_refused(client, alice, claim_form):
    client.force_login(alice)
    data = claim_form()
    data["violation_started_at"], data["violation_ended_at"] = (
        data["violation_ended_at"],
        data["violation_started_at"],
    )

    response = client.post(create_url(CLAIM), data)

    assert "Нарушение не может закончиться раньше, чем началось." in response.content.decode()


def test_a_visit_date_range_must_be_in_the_future_and_in_order(client, alice, replacement_form):
    client.force_login(alice)
    data = replacement_form()

    past = client.post(create_url(REPLACEMENT), {**data, "visit_from": "2020-01-01"})
    reversed_range = client.post(
        create_url(REPLACEMENT),
        {**data, "visit_from": data["visit_to"], "visit_to": data["visit_from"]},
    )

    assert "не раньше завтрашнего дня" in past.content.decode()
    assert "не может быть раньше первого" in reversed_range.content.decode()


def test_a_recalculation_records_its_months_and_reason(client, alice, alices_meter):
    client.force_login(alice)
    page = client.get(create_url(RECALCULATION))
    form = page.context["form"]
    months = [value for value, _label in form.fields["months"].choices[:2]]

    client.post(
        create_url(RECALCULATION),
        {
            "submission_key": form.initial["submission_key"],
            "account": alices_meter.account_id,
            "months": months,
            "text": "Начислено по нормативу.",
        },
    )

    request = ServiceRequest.objects.get()
    assert [month.isoformat() for month in request.months] == months


def test_a_new_kind_added_as_data_shows_its_fields(client, alice, admin_user):
    from servicerequests.models import RequestKind

    RequestKind.objects.create(
        code="perenos-schetchika",
        title="Перенос счётчика",
        what_happens_next="Специалист оценит возможность переноса.",
        term_working_days=7,
        fields=["address", "contact_phone", "text"],
        text_label="Куда перенести",
        text_required=True,
    )
    client.force_login(alice)

    form = client.get(create_url("perenos-schetchika")).context["form"]

    assert list(form.fields) == ["submission_key", "contact_phone", "address", "text", "files"]
    assert form.fields["text"].label == "Куда перенести"
    assert not CaseEvent.objects.exists()
