"""Who reaches a request and its files: its author; staff allowed to see personal data (and the
look is recorded); nobody else, whatever the URL they try."""

import pytest
from django.conf import settings
from django.urls import reverse

from feedback.models import SpecialistRating
from pdrequests.models import SubjectRequest
from servicerequests.models import Attachment, private_files
from staff.models import PersonalDataAccess
from tests.servicerequests.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_request(alice, alices_meter, file_service_request):
    from servicerequests.files import file_check

    return file_service_request(
        alice, meter=alices_meter, files=[file_check(upload("meter.jpg", jpeg_bytes()))]
    )


def test_bob_gets_404_for_alices_request_its_files_and_its_rating(
    client, bob, alices_request, answered
):
    answered(alices_request)
    attachment = alices_request.attachments.get()
    client.force_login(bob)
    pk = alices_request.pk

    assert client.get(reverse("servicerequests:detail", args=[pk])).status_code == 404
    assert (
        client.get(reverse("servicerequests:attachment", args=[pk, attachment.pk])).status_code
        == 404
    )
    assert client.get(reverse("servicerequests:rate", args=[pk])).status_code == 404
    assert client.post(reverse("servicerequests:rate", args=[pk]), {"score": 1}).status_code == 404
    assert (
        client.post(reverse("servicerequests:add", args=[pk]), {"comment": "x"}).status_code == 404
    )
    assert client.post(reverse("servicerequests:withdraw", args=[pk])).status_code == 404
    assert not SpecialistRating.objects.exists()


def test_a_file_is_not_reached_through_another_request_of_ones_own(
    client, bob, bobs_meter, alices_request, file_service_request
):
    """Bob owns request 2 and guesses that Alice's file 1 might be served under it."""
    bobs = file_service_request(bob, meter=bobs_meter)
    attachment = alices_request.attachments.get()
    client.force_login(bob)

    response = client.get(reverse("servicerequests:attachment", args=[bobs.pk, attachment.pk]))

    assert response.status_code == 404


def test_a_stored_file_has_no_public_url_and_lives_outside_media_and_static(alices_request):
    attachment = alices_request.attachments.get()
    path = attachment.file.path

    assert path.startswith(str(settings.PRIVATE_FILES_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert attachment.file.name.startswith("servicerequests/")
    assert "meter" not in attachment.file.name  # a random name, not the consumer's
    with pytest.raises(ValueError):
        private_files.url(attachment.file.name)


def test_the_author_gets_her_file_privately(client, alice, alices_request):
    attachment = alices_request.attachments.get()
    client.force_login(alice)

    response = client.get(
        reverse("servicerequests:attachment", args=[alices_request.pk, attachment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_guest_is_sent_to_sign_in(client, alices_request):
    attachment = alices_request.attachments.get()

    response = client.get(
        reverse("servicerequests:attachment", args=[alices_request.pk, attachment.pk])
    )

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_staff_see_a_file_only_with_the_pd_right_and_the_look_is_recorded(
    client, specialist, clerk, alice, alices_request
):
    attachment = alices_request.attachments.get()
    url = reverse("servicerequests:attachment", args=[alices_request.pk, attachment.pk])

    client.force_login(clerk)
    assert client.get(url).status_code == 404
    client.force_login(specialist)
    assert client.get(url).status_code == 200

    look = PersonalDataAccess.objects.get()
    assert (look.staff_user, look.subject_id) == (specialist, alice.pk)
    assert alices_request.number in look.object_label


def test_a_deleted_file_row_cannot_be_served_by_its_old_url(client, alice, alices_request):
    attachment = alices_request.attachments.get()
    url = reverse("servicerequests:attachment", args=[alices_request.pk, attachment.pk])
    Attachment.objects.filter(pk=attachment.pk).delete()
    client.force_login(alice)

    assert client.get(url).status_code == 404


def test_while_a_pd_request_blocks_alices_data_only_its_assignee_sees_her_files(
    client, specialist, alice, alices_request, file_request
):
    blocking = file_request(alice, kind=SubjectRequest.Kind.BLOCKING)
    assert blocking.blocking_in_force
    attachment = alices_request.attachments.get()
    url = reverse("servicerequests:attachment", args=[alices_request.pk, attachment.pk])
    client.force_login(specialist)

    assert client.get(url).status_code == 404
    SubjectRequest.objects.filter(pk=blocking.pk).update(assignee=specialist)
    assert client.get(url).status_code == 200


def test_no_url_serves_the_private_files_directory(client, alice, alices_request):
    stored = alices_request.attachments.get().file.name
    client.force_login(alice)

    for guess in (
        f"/private-files/{stored}",
        f"/media/{stored}",
        f"/static/{stored}",
        f"/{stored}",
    ):
        assert client.get(guess).status_code == 404
