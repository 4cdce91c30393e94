"""What the requests hold about a person: exported for them, destroyed with the rest."""

import os

import pytest

from cases.models import CaseEvent
from feedback.models import SpecialistRating
from feedback.services import RatedWork, specialist_rating_create
from servicerequests import personal_data
from servicerequests.files import file_check
from servicerequests.models import Attachment, ServiceRequest
from tests.servicerequests.conftest import CLAIM, jpeg_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_requests(alice, bob, alices_meter, bobs_meter, file_service_request, answered):
    photo = file_check(upload("meter.jpg", jpeg_bytes()))
    replacement = answered(file_service_request(alice, meter=alices_meter, files=[photo]))
    specialist_rating_create(author=alice, work=RatedWork.of(replacement), score=5)
    file_service_request(alice, code=CLAIM, text="Нет света с утра.")
    file_service_request(bob, meter=bobs_meter, files=[photo])
    return replacement


def test_export_gives_the_persons_requests_with_files_and_history(
    alice, alices_requests, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        exported = personal_data.export_for(alice)

    assert [item["kind"] for item in exported] == [
        "Замена прибора учёта",
        "Претензия о качестве или надёжности электроснабжения",
    ]
    assert exported[0]["meter"] == "011234567"
    assert exported[0]["files"][0]["name"] == "meter.jpg"
    assert [step["action"] for step in exported[0]["history"]][:2] == ["подано", "добавлен файл"]
    assert exported[1]["text"] == "Нет света с утра."


def test_erase_destroys_the_requests_history_ratings_and_files_of_one_person(
    alice, bob, alices_requests, django_capture_on_commit_callbacks
):
    alices_file = Attachment.objects.get(request__user=alice).file.path
    bobs_file = Attachment.objects.get(request__user=bob).file.path

    with django_capture_on_commit_callbacks(execute=True):
        erased = personal_data.erase_for(alice)

    assert erased == 2
    assert not ServiceRequest.objects.filter(user=alice).exists()
    assert not SpecialistRating.objects.exists()
    assert not os.path.exists(alices_file)
    assert os.path.exists(bobs_file)
    assert ServiceRequest.objects.filter(user=bob).count() == 1
    assert CaseEvent.objects.filter(actor=alice).count() == 0
    assert CaseEvent.objects.filter(actor=bob).exists()
