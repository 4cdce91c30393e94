"""The inspector's journal: every request of a period, as CSV and XLSX, without personal data."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from pdrequests.models import Action, SubjectRequest
from staff.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

JOURNAL = reverse("admin:pdrequests_subjectrequest_journal")
HEADER = [
    "Номер",
    "Вид обращения",
    "Кто подал",
    "Субъект (псевдоним)",
    "Получено",
    "Срок исполнения",
    "Срок продлён",
    "Закрыто",
    "Состояние",
    "Результат",
]
MOSCOW = datetime.timezone(datetime.timedelta(hours=3))


@pytest.fixture
def period_requests(alice, bob, file_request, act):
    """Two requests in March 2026 (one answered), one on each side of it."""

    def received(request, *args):
        SubjectRequest.objects.filter(pk=request.pk).update(
            received_at=datetime.datetime(*args, tzinfo=MOSCOW)
        )
        request.refresh_from_db()
        return request

    before = received(file_request(alice), 2026, 2, 28, 23, 59)
    first = received(file_request(alice, SubjectRequest.Kind.BLOCKING), 2026, 3, 2, 0, 5)
    answered = act(act(file_request(bob), Action.TAKE_INTO_WORK), Action.COMPLETE, answer="Ок.")
    answered = received(answered, 2026, 3, 31, 23, 30)
    after = received(file_request(bob), 2026, 4, 1, 0, 0)
    return before, first, answered, after


def export(client, file_format: str):
    return client.post(
        JOURNAL,
        {"received_from": "01.03.2026", "received_to": "31.03.2026", "file_format": file_format},
    )


def test_csv_lists_the_periods_requests_with_dates_and_outcomes(as_staff, auditor, period_requests):
    _before, first, answered, _after = period_requests

    response = export(as_staff(auditor), "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="pdn-journal-2026-03-01-2026-03-31.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == [first.number, answered.number]
    assert rows[1][1:5] == [
        "блокирование персональных данных",
        "субъект персональных данных",
        f"субъект-{first.subject_id}",
        "02.03.2026 00:05",
    ]
    assert rows[1][5] == first.due_on.strftime("%d.%m.%Y")
    assert rows[1][7:] == ["", "получено", ""]
    assert rows[2][7].endswith(answered.completed_at.astimezone(MOSCOW).strftime("%H:%M"))
    assert rows[2][8:] == ["исполнено", "дан ответ"]


def test_xlsx_holds_the_same_rows_with_real_dates(as_staff, pd_officer, period_requests):
    _before, first, answered, _after = period_requests

    response = export(as_staff(pd_officer), "xlsx")

    assert 'filename="pdn-journal-2026-03-01-2026-03-31.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [row[0] for row in rows[1:]] == [first.number, answered.number]
    assert rows[1][4] == datetime.datetime(2026, 3, 2, 0, 5)
    assert rows[1][5] == datetime.datetime.combine(first.due_on, datetime.time())
    assert rows[2][9] == "дан ответ"


def test_the_files_hold_no_personal_data(as_staff, auditor, period_requests):
    client = as_staff(auditor)

    content = b"".join(export(client, "csv").streaming_content).decode()
    for value in ("Иванова", "alice@example.ru", "Смирнов", "bob@example.ru", "ошибкой"):
        assert value not in content


def test_the_export_is_recorded_for_each_subject_in_it(
    as_staff, auditor, alice, bob, period_requests
):
    export(as_staff(auditor), "xlsx")

    entries = PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.EXPORTED)
    assert {entry.subject_id for entry in entries} == {alice.pk, bob.pk}
    assert {entry.staff_user_id for entry in entries} == {auditor.pk}
    assert "01.03.2026" in entries[0].object_label


def test_a_reversed_period_is_explained(as_staff, auditor):
    response = as_staff(auditor).post(
        JOURNAL, {"received_from": "31.03.2026", "received_to": "01.03.2026", "file_format": "csv"}
    )

    assert "Конец периода раньше его начала." in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_staff_without_the_right_cannot_export(as_staff, clerk):
    assert as_staff(clerk).get(JOURNAL).status_code == 403
