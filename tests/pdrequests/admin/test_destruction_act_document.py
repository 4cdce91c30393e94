"""The destruction act per Roskomnadzor's Order № 179: the performer's position, the processors,
the extract from the event log, kept three years, printable and as PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lkk import personal_data
from pdrequests.act_document import LEGACY_COUNT_LABELS, act_document
from pdrequests.models import Action, DestructionAct, SubjectRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def destroyed_act(alice, file_request, act):
    request = act(file_request(alice, SubjectRequest.Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
    request = act(
        request, Action.DESTROY, comment="Согласие отозвано.", position="специалист по ПДн"
    )
    return request.destruction_act


def test_the_act_names_the_performers_position_and_the_processors(destroyed_act):
    rows = dict(act_document(destroyed_act).rows)

    assert destroyed_act.performer_position == "специалист по ПДн"
    assert rows["Уничтожение выполнил"] == ["Сотрудникова Ольга, специалист по ПДн"]
    assert rows["Лица, обрабатывающие персональные данные по поручению оператора"] == list(
        personal_data.PROCESSORS
    )


def test_the_extract_comes_from_the_journal_and_the_erase_counts(destroyed_act):
    extract = act_document(destroyed_act).extract

    events = [row[1] for row in extract]
    assert events[:3] == ["обращение подано", "взято в работу", "данные уничтожены"]
    counted = {row[1]: row[4] for row in extract[3:]}
    for label, count in destroyed_act.counts.items():
        if count:
            assert counted[f"уничтожено: {label}"] == str(count)
    assert all(row[3] == destroyed_act.subject_reference for row in extract)
    assert "Иванова" not in repr(extract)


def test_an_old_act_with_english_keys_shows_them_in_russian(destroyed_act, as_staff, auditor):
    # Acts made before the registry stored keys such as "consent_records"; an act never
    # changes, so such a row is written as it was then.
    old = DestructionAct.objects.create(
        request=destroyed_act.request.__class__.objects.create(
            number="ПДн-2026-999999",
            kind=SubjectRequest.Kind.WITHDRAWAL,
            subject=destroyed_act.request.subject,
            filed_by_user=destroyed_act.request.subject,
            due_on=destroyed_act.request.due_on,
        ),
        subject_reference=destroyed_act.subject_reference,
        reason="Отзыв согласия.",
        performed_by=destroyed_act.performed_by,
        counts={"consent_records": 2, "visits": 5, "login_records": 0},
    )

    page = as_staff(auditor).get(_print_url(old)).content.decode()

    assert f"{LEGACY_COUNT_LABELS['consent_records']}: 2" in page
    assert f"{LEGACY_COUNT_LABELS['visits']}: 5" in page
    assert "consent_records" not in page
    assert "login_records" not in page


def _print_url(act) -> str:
    return reverse("admin:pdrequests_destructionact_print", args=[act.pk])


def test_the_printable_act_has_the_extract(destroyed_act, as_staff, auditor):
    page = as_staff(auditor).get(_print_url(destroyed_act)).content.decode()

    assert "Выгрузка из журнала регистрации событий" in page
    assert "специалист по ПДн" in page
    assert "не менее трёх лет" in page


def test_the_act_downloads_as_pdf(destroyed_act, as_staff, auditor):
    url = reverse("admin:pdrequests_destructionact_pdf", args=[destroyed_act.pk])

    response = as_staff(auditor).get(url)

    assert response["Content-Type"] == "application/pdf"
    assert f"akt-unichtozheniya-pdn-{destroyed_act.pk}.pdf" in response["Content-Disposition"]
    pages = PdfReader(io.BytesIO(response.getvalue())).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert f"Акт об уничтожении персональных данных № {destroyed_act.pk}" in text
    assert destroyed_act.subject_reference in text
    assert "Выгрузка из журнала" in text


def test_staff_without_the_right_get_no_pdf(destroyed_act, as_staff, clerk):
    url = reverse("admin:pdrequests_destructionact_pdf", args=[destroyed_act.pk])

    assert as_staff(clerk).get(url).status_code == 403


def test_retention_keeps_acts_for_at_least_three_years(destroyed_act):
    three_years_later = timezone.now() + datetime.timedelta(days=3 * 366)

    for _category, _counts in personal_data.expire_all(three_years_later):
        pass

    assert DestructionAct.objects.filter(pk=destroyed_act.pk).exists()
