"""What the requests hold about a person, through the registry of personal data: exported for
them, destroyed with the rest (files included), and deleted past their retention."""

import datetime
import os

import pytest
from django.utils import timezone

from cases.models import CaseEvent
from feedback.models import SpecialistRating
from feedback.services import RatedWork, specialist_rating_create
from lkk import personal_data
from servicerequests.files import file_check
from servicerequests.models import Attachment, ServiceRequest
from tests.servicerequests.conftest import CLAIM, jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def _category() -> personal_data.Category:
    [category] = [c for c in personal_data.categories() if c.key == "servicerequests.requests"]
    return category


def _erase(user, admin_user) -> personal_data.Counts:
    erasure = personal_data.Erasure(
        user=user,
        actor=admin_user,
        reference=f"субъект-{user.pk}",
        identifiers=personal_data.subject_identifiers(user),
    )
    return _category().erase(erasure)


@pytest.fixture
def alices_requests(alice, bob, alices_meter, bobs_meter, file_service_request, answered):
    photo = file_check(upload("meter.jpg", jpeg_bytes()))
    replacement = answered(file_service_request(alice, meter=alices_meter, files=[photo]))
    specialist_rating_create(author=alice, work=RatedWork.of(replacement), score=5)
    file_service_request(alice, code=CLAIM, text="Нет света с утра.")
    file_service_request(bob, meter=bobs_meter, files=[photo])
    return replacement


def test_the_requests_are_declared_with_their_files(alice):
    category = _category()

    assert set(category.models) == {
        "servicerequests.ServiceRequest",
        "servicerequests.Attachment",
    }
    assert category.retention.setting == "SERVICE_REQUEST_RETENTION_DAYS"


def test_export_gives_the_persons_requests_in_words_with_files_and_history(
    alice, alices_requests, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        exported = _category().export(alice)

    assert [row["Вид"] for row in exported] == [
        "Замена прибора учёта",
        "Претензия о качестве или надёжности электроснабжения",
    ]
    assert exported[0]["Счётчик"] == "011234567"
    assert exported[0]["Файлы"].startswith("meter.jpg (JPEG, ")
    assert "подано" in exported[0]["История"]
    assert "добавлен файл" in exported[0]["История"]
    assert "Счётчик заменён." in exported[0]["Ответ"]
    assert exported[1]["Текст"] == "Нет света с утра."


def test_erase_destroys_the_requests_history_ratings_and_files_of_one_person(
    alice, bob, admin_user, alices_requests, django_capture_on_commit_callbacks
):
    alices_file = Attachment.objects.get(request__user=alice).file.path
    bobs_file = Attachment.objects.get(request__user=bob).file.path

    with django_capture_on_commit_callbacks(execute=True):
        erased = _erase(alice, admin_user)

    assert erased == {"заявки с историей и приложенными файлами (удалены)": 2}
    assert not ServiceRequest.objects.filter(user=alice).exists()
    assert not SpecialistRating.objects.exists()
    assert not os.path.exists(alices_file)
    assert os.path.exists(bobs_file)
    assert ServiceRequest.objects.filter(user=bob).count() == 1
    assert CaseEvent.objects.filter(actor=alice).count() == 0
    assert CaseEvent.objects.filter(actor=bob).exists()


def test_the_files_stay_on_disk_if_the_destruction_rolls_back(
    alice, admin_user, alices_requests, django_capture_on_commit_callbacks
):
    alices_file = Attachment.objects.get(request__user=alice).file.path

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _erase(alice, admin_user)

    assert callbacks  # the removal waits for the commit
    assert os.path.exists(alices_file)


def test_retention_deletes_requests_done_long_ago_with_their_files(
    alice, alices_requests, settings, django_capture_on_commit_callbacks
):
    settings.SERVICE_REQUEST_RETENTION_DAYS = 30
    old_file = Attachment.objects.get(request=alices_requests).file.path
    ServiceRequest.objects.filter(pk=alices_requests.pk).update(
        answered_at=timezone.now() - datetime.timedelta(days=31)
    )
    expire = _category().expire
    assert expire is not None

    assert expire(timezone.now(), True) == {"заявки с историей и файлами (удалены)": 1}
    assert ServiceRequest.objects.filter(pk=alices_requests.pk).exists()  # dry run
    with django_capture_on_commit_callbacks(execute=True):
        assert expire(timezone.now(), False) == {"заявки с историей и файлами (удалены)": 1}

    assert not ServiceRequest.objects.filter(pk=alices_requests.pk).exists()
    assert not CaseEvent.objects.filter(case_id=alices_requests.pk).exists()
    assert not os.path.exists(old_file)
    assert ServiceRequest.objects.filter(user=alice).count() == 1  # the open claim stays
