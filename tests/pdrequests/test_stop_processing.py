"""A demand to stop processing (152-FZ art. 21 p. 5.1) is a request kind of its own: 10 working
days, extendable once by five with a reason."""

from datetime import date

import pytest
from django.urls import reverse

from pdrequests.models import Action, SubjectRequest

pytestmark = pytest.mark.django_db


def test_a_consumer_files_a_demand_to_stop_processing(client, alice):
    client.force_login(alice)

    page = client.get(reverse("pdrequests:request_new")).content.decode()
    client.post(
        reverse("pdrequests:request_new"),
        {"kind": "stop_processing", "details": "Прошу прекратить обработку моих данных."},
    )

    assert "Требование прекратить обработку" in page
    request = SubjectRequest.objects.get()
    assert request.kind == SubjectRequest.Kind.STOP_PROCESSING
    assert request.get_kind_display().startswith("требование прекратить обработку")


def test_it_is_due_in_ten_working_days_and_extends_by_five(alice, file_request, act, frozen_now):
    frozen_now(2025, 12, 12, 10, 0)  # Friday; 31.12.2025–11.01.2026 are off

    request = file_request(alice, SubjectRequest.Kind.STOP_PROCESSING)
    assert request.due_on == date(2025, 12, 26)

    request = act(request, Action.TAKE_INTO_WORK)
    request = act(request, Action.EXTEND, comment="Нужно проверить данные в биллинге.")

    assert request.due_on == date(2026, 1, 14)  # 29.12, 30.12, 12.01, 13.01, 14.01
