"""Demo meters for `make run`: a two-zone meter with 24 months of history, idempotent."""

import pytest
from django.urls import reverse

from billing.demo import seed_accounts
from meters.demo import DEMO_MONTHS, seed_meters
from meters.models import Meter, MonthlyVolume, Reading, ReadingOutcome

pytestmark = pytest.mark.django_db


def test_the_demo_consumer_gets_a_two_zone_meter_with_two_years_of_history(client, alice):
    seed_accounts()
    seed_meters(consumer=alice)
    seed_meters(consumer=alice)

    meter = Meter.objects.get()
    assert meter.zones == 2
    assert Reading.objects.filter(meter=meter).count() == DEMO_MONTHS
    assert MonthlyVolume.objects.filter(meter=meter).count() == DEMO_MONTHS
    assert ReadingOutcome.objects.filter(accepted=False).count() == 2
    client.force_login(alice)
    page = client.get(reverse("meters:history", args=[meter.pk])).content.decode()
    assert "не учтено: показания поступили после закрытия расчётного периода" in page
    assert '<svg class="meter-chart"' in page
