"""The portal on a 390 px phone: wide tables fit the screen and each page's own heading is on its
first screen under the header and the banners; the focus ring stands out wherever it is."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, ViewportSize, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 390, "height": 844}


def wide_table_pages(alice) -> list[str]:
    from billing.models import AccountLink
    from meters.models import Reading

    link = AccountLink.objects.get(user=alice)
    meter_id = Reading.objects.filter(user=alice).values_list("meter_id", flat=True).first()
    return [
        reverse("consents:mine"),
        reverse("pdrequests:requests"),
        reverse("bills:charges", args=[link.pk]),
        reverse("bills:charge", args=[link.pk, 2026, 11]),
        reverse("bills:payments", args=[link.pk]),
        reverse("meters:history", args=[meter_id]),
        reverse("servicerequests:mine"),
        reverse("feedback:mine"),
    ]


def test_wide_tables_fit_a_phone_and_the_heading_is_on_the_first_screen(
    page: Page, live_server, alices_history, browser_login
):
    browser_login(alices_history)
    page.set_viewport_size(PHONE)

    for url in wide_table_pages(alices_history):
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width} px wide"
        heading = page.get_by_role("heading", level=1).bounding_box()
        assert heading and heading["y"] + heading["height"] <= PHONE["height"], url
        expect(page.get_by_role("heading", level=1)).to_be_in_viewport()


def test_a_row_of_the_consent_history_is_a_card_with_its_column_names_on_a_phone(
    page: Page, live_server, alices_history, browser_login
):
    browser_login(alices_history)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("consents:mine"))

    cell = page.locator(".consent-history td[data-label='Действие']").first
    label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Действие"'
    header = page.locator(".consent-history thead tr").bounding_box()
    assert header and header["width"] <= 1  # left for screen readers only


def test_the_menu_folds_on_a_phone_without_scripts_and_is_open_on_a_desktop(
    page: Page, live_server, alice, browser_login
):
    browser_login(alice)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("accounts:profile"))

    menu = page.get_by_role("navigation", name="Основная навигация")
    expect(menu.get_by_role("link", name="Мои заявки")).to_be_hidden()
    menu.get_by_text("Меню").click()
    expect(menu.get_by_role("link", name="Мои заявки")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    expect(menu.get_by_text("Меню")).to_be_hidden()
    expect(menu.get_by_role("link", name="Мои заявки")).to_be_visible()


CONTRAST = """element => {
  const rgb = value => value.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  // The ring is drawn outside the element, on its parent's background.
  let around = element.parentElement;
  const clear = node => rgb(getComputedStyle(node).backgroundColor)[3] === 0;
  while (around && clear(around)) around = around.parentElement;
  const background = around ? rgb(getComputedStyle(around).backgroundColor) : [255, 255, 255];
  const style = getComputedStyle(element);
  if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
  const [a, b] = [luminance(rgb(style.outlineColor)), luminance(background)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_the_focus_ring_has_three_to_one_contrast_on_every_background(page: Page, live_server):
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_role("link", name="Перейти к содержанию").focus()  # the top, not the email field

    ratios = {}
    for _ in range(30):
        focused = page.locator(":focus")
        if not focused.count():
            break
        ratios[focused.evaluate("e => e.outerHTML.slice(0, 60)")] = focused.evaluate(CONTRAST)
        page.keyboard.press("Tab")

    assert any("brand" in element for element in ratios), ratios  # the header
    assert any("input" in element for element in ratios)  # the page
    assert min(ratios.values()) >= 3, ratios
