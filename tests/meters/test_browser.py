"""What a consumer does in a real browser: pass a reading and get its receipt, be refused a
reading below the previous one, read the consumption chart on a phone."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from meters.models import MonthlyVolume, Reading

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reading_inside_the_window_shows_its_estimate_and_then_its_receipt(
    page: Page, live_server, alice, holding, meter, tariffs, clock, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + reverse("billing:account", args=[holding.pk]))

    expect(page.get_by_text("Показания принимаются с 15 по 25 декабря")).to_be_visible()
    page.get_by_label("День (Т1)").fill("12150,5")
    page.get_by_label("Ночь (Т2)").fill("5080")
    page.get_by_role("button", name="Проверить и передать").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Проверьте показания")
    expect(page.get_by_role("row", name="Итого (оценка)")).to_contain_text("1716,87")
    page.get_by_role("button", name="Отправить показания").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Показания приняты")
    number = Reading.objects.get().number
    expect(page.get_by_role("status")).to_contain_text(number)
    expect(page.get_by_role("status")).to_contain_text("декабрь 2026")


def test_a_reading_below_the_previous_one_is_refused_with_its_message(
    page: Page, live_server, alice, holding, meter, clock, browser_login
):
    browser_login(alice)
    page.goto(live_server.url + reverse("billing:account", args=[holding.pk]))

    page.get_by_label("День (Т1)").fill("11000")
    page.get_by_label("Ночь (Т2)").fill("5080")
    page.get_by_role("button", name="Проверить и передать").click()

    day = page.get_by_label("День (Т1)")
    expect(day).to_have_attribute("aria-invalid", "true")
    expect(
        page.locator(".errorlist").get_by_text("Показание меньше предыдущего учтённого")
    ).to_be_visible()
    assert not Reading.objects.exists()


def test_the_chart_and_the_table_fit_a_phone(
    page: Page, live_server, alice, holding, meter, clock, browser_login
):
    month = datetime.date(2025, 1, 1)
    for n in range(24):
        MonthlyVolume.objects.create(
            meter=meter, month=month, source="consumer", volume_t1=150 + n, volume_t2=80
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(alice)

    page.goto(live_server.url + reverse("meters:history", args=[meter.pk]))

    chart = page.locator("svg.meter-chart")
    expect(chart).to_be_visible()
    # Wider than the phone, the chart scrolls inside its own region; the page does not.
    region = page.get_by_role("region", name="График расхода по месяцам")
    box = region.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    region.scroll_into_view_if_needed()
    region.evaluate("element => element.scrollLeft = element.scrollWidth")
    expect(chart.locator("text", has_text="12.2026")).to_be_in_viewport()
    expect(
        page.get_by_role("table", name="Расход, кВт·ч, и источник объёма по месяцам")
    ).to_be_visible()
    expect(page.get_by_role("rowheader", name="12.2026")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
