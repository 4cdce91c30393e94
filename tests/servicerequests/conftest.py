"""Fixtures for service requests: Alice's account and meter, staff, files, requests filed the
way the form files them."""

import datetime
import io
import uuid

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from billing.models import AccountLink, PersonalAccount
from meters.models import Meter
from servicerequests import services
from servicerequests.models import RequestKind, ServiceRequest
from tests.conftest import PASSWORD
from workcalendar.terms import moscow_date

REPLACEMENT = "zamena-schetchika"
CLAIM = "kachestvo-elektrosnabzheniya"
RECALCULATION = "pereraschet"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Each test stores attachments in a directory of its own."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
    return settings.PRIVATE_FILES_ROOT


@pytest.fixture
def kind():
    def get(code: str) -> RequestKind:
        return RequestKind.objects.get(code=code)

    return get


def _account_with_meter(user, *, number: str, serial: str) -> Meter:
    account = PersonalAccount.objects.create(
        number=number,
        address="г. Иваново, ул. Лежневская, д. 5, кв. 12",
        holder_name="Иванова А. П.",
    )
    AccountLink.objects.create(user=user, account=account, factor=AccountLink.Factor.SURNAME)
    return Meter.objects.create(account=account, serial_number=serial)


@pytest.fixture
def alices_meter(alice) -> Meter:
    return _account_with_meter(alice, number="3700000001", serial="011234567")


@pytest.fixture
def bobs_meter(bob) -> Meter:
    return _account_with_meter(bob, number="3700000002", serial="099999999")


@pytest.fixture
def specialist(django_user_model):
    """A member of staff who handles requests and may see consumers' data."""
    user = django_user_model.objects.create_user(
        "specialist@ivsbyt.ru", PASSWORD, last_name="Сергеева", first_name="Ольга", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="servicerequests",
            codename__in=["view_servicerequest", "change_servicerequest"],
        )
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="staff", codename="view_personal_data")
    )
    return user


@pytest.fixture
def clerk(django_user_model):
    """Staff who may work the desk but not see personal data."""
    user = django_user_model.objects.create_user(
        "clerk@ivsbyt.ru", PASSWORD, last_name="Кротов", first_name="Илья", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="servicerequests",
            codename__in=["view_servicerequest", "change_servicerequest"],
        )
    )
    return user


def jpeg_bytes(*, with_exif: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "Phone maker"  # Make
        exif[0x8825] = {2: (55.0, 45.0, 0.0)}  # GPS latitude
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def replacement_form(alices_meter):
    """What Alice types into the meter-replacement form."""

    def data(**overrides) -> dict:
        today = moscow_date(timezone.now())
        return {
            "submission_key": str(uuid.uuid4()),
            "meter": str(alices_meter.pk),
            "visit_from": (today + datetime.timedelta(days=2)).isoformat(),
            "visit_to": (today + datetime.timedelta(days=9)).isoformat(),
            "contact_phone": "+7 916 123-45-67",
            "text": "Счётчик не крутится.",
            **overrides,
        }

    return data


@pytest.fixture
def claim_form(alices_meter):
    def data(**overrides) -> dict:
        now = timezone.localtime()
        return {
            "submission_key": str(uuid.uuid4()),
            "account": str(alices_meter.account_id),
            "claimant_name": "Иванова Алиса Петровна",
            "address": "г. Иваново, ул. Лежневская, д. 5, кв. 12",
            "violation_started_at": (now - datetime.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "violation_ended_at": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "text": "Напряжение 170 В, мигает свет.",
            **overrides,
        }

    return data


@pytest.fixture
def file_service_request(kind, django_capture_on_commit_callbacks):
    """File a request as the form does: a replacement for the meter unless told otherwise.
    What waits for the commit (the files, written only then) runs as the request's would."""

    def file(user, *, code: str = REPLACEMENT, files=(), **fields) -> ServiceRequest:
        if code == REPLACEMENT:
            fields.setdefault("contact_phone", "+79161234567")
        with django_capture_on_commit_callbacks(execute=True):
            request, _created = services.service_request_file(
                user=user,
                kind=kind(code),
                submission_key=uuid.uuid4(),
                fields=fields,
                files=list(files),
            )
        return request

    return file


@pytest.fixture
def answered(specialist):
    def answer(request: ServiceRequest, text: str = "Счётчик заменён.") -> ServiceRequest:
        return services.service_request_answer(request=request, by=specialist, answer_text=text)

    return answer
