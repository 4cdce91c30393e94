"""The staff page of the notification to Roskomnadzor (152-FZ art. 22)."""

import pytest
from django.urls import reverse

from lkk.models import NotificationFiling

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:lkk_notificationfiling_changelist")


def test_the_pd_officer_sees_what_the_notification_states(as_staff, pd_officer):
    page = as_staff(pd_officer).get(PAGE).content.decode()

    assert "Сведения для уведомления Роскомнадзора" in page
    assert "Журнал входа в личный кабинет" in page  # a category from the registry
    assert "Место нахождения базы данных" in page
    assert "Подача уведомления ещё не записана" in page


def test_a_filing_is_recorded_and_later_changes_are_flagged(as_staff, pd_officer, settings):
    client = as_staff(pd_officer)
    response = client.post(PAGE, {"filed_on": "02.11.2026", "reference": "12-3456"})

    assert response.status_code == 302
    filing = NotificationFiling.objects.get()
    assert (filing.reference, filing.recorded_by) == ("12-3456", pd_officer)
    assert "Сведения не изменились" in client.get(PAGE).content.decode()

    settings.VISIT_RETENTION_DAYS = 90
    page = client.get(PAGE).content.decode()

    assert "Изменения с подачи уведомления 02.11.2026" in page
    assert "Сведения изменились (1)" in page
    assert "90 дн." in page


def test_a_filing_date_in_the_future_is_refused(as_staff, pd_officer):
    response = as_staff(pd_officer).post(PAGE, {"filed_on": "01.01.2099"})

    assert "Дата подачи не может быть позже сегодняшней." in response.content.decode()
    assert not NotificationFiling.objects.exists()


def test_the_auditor_reads_but_records_nothing(as_staff, auditor):
    client = as_staff(auditor)

    assert client.get(PAGE).status_code == 200
    assert "Записать подачу" not in client.get(PAGE).content.decode()
    assert client.post(PAGE, {"filed_on": "02.11.2026"}).status_code == 403
    assert not NotificationFiling.objects.exists()


def test_staff_without_the_right_get_no_page(as_staff, clerk):
    assert as_staff(clerk).get(PAGE).status_code == 403
