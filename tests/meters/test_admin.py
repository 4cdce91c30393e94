"""Staff: a reading dictated on the phone is recorded as theirs, with the same checks; the
readings list never shows the consumer's data to staff without the right."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from meters.models import Reading

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(django_user_model):
    """A call-centre operator: may enter readings, may not see personal data."""
    user = django_user_model.objects.create_user(
        "operator@ivsbyt.ru", "x", is_staff=True, last_name="Операторова"
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_reading", "view_reading", "view_meter"],
            content_type__app_label="meters",
        )
    )
    return user


def test_staff_enter_a_reading_for_the_holder_with_the_source_recorded(
    client, operator, meter, holding, clock, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    url = reverse("admin:meters_meter_enter_reading", args=[meter.pk])

    page = client.get(url).content.decode()
    assert "И***** А. П." in page and "Иванова" not in page

    refused = client.post(url, {f"m{meter.pk}-t1": "100", f"m{meter.pk}-t2": "5050"})
    assert "Показание меньше предыдущего учтённого" in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {f"m{meter.pk}-t1": "12100", f"m{meter.pk}-t2": "5050"})

    assert response.status_code == 302
    reading = Reading.objects.get()
    assert (reading.source, reading.entered_by, reading.user) == (
        Reading.Source.STAFF_PHONE,
        operator,
        holding.user,
    )
    assert reading.value_t1 == Decimal(12100)


def test_staff_without_the_right_cannot_enter_readings(client, django_user_model, meter, holding):
    clerk = django_user_model.objects.create_user("clerk@ivsbyt.ru", "x", is_staff=True)
    client.force_login(clerk)

    response = client.get(reverse("admin:meters_meter_enter_reading", args=[meter.pk]))

    assert response.status_code == 403


def test_the_readings_list_masks_the_consumer(client, operator, meter, holding, clock):
    from meters import services

    services.reading_submit(
        meter=meter, user=holding.user, values={1: Decimal(12100), 2: Decimal(5050)}
    )
    client.force_login(operator)

    page = client.get(reverse("admin:meters_reading_changelist")).content.decode()

    assert "ПП-2026-" in page
    assert "alice@example.ru" not in page and "Иванова" not in page
