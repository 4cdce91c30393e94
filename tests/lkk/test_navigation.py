from unittest import mock

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils.html import format_html

from pdrequests.models import SubjectRequest


def current_links(html: str) -> list[str]:
    return [
        part.split('"')[0]
        for part in html.split('<a href="')[1:]
        if 'aria-current="page"' in part.split(">")[0]
    ]


def test_the_open_page_is_marked_current_in_the_navigation(client, alice):
    client.force_login(alice)

    html = client.get(reverse("accounts:profile")).content.decode()

    assert current_links(html) == [reverse("accounts:profile")]


def test_a_page_inside_a_section_marks_its_section_but_not_the_dashboard(
    client, alice, file_request
):
    client.force_login(alice)
    request = file_request(alice, kind=SubjectRequest.Kind.ACCESS)

    html = client.get(reverse("pdrequests:request_detail", args=[request.pk])).content.decode()

    assert current_links(html) == [reverse("pdrequests:requests")]


def test_the_layouts_addresses_are_worked_out_once_per_process(client, alice):
    client.force_login(alice)
    client.get(reverse("accounts:profile"))

    with mock.patch("lkk.templatetags.portal.reverse", wraps=reverse) as reversing:
        html = client.get(reverse("accounts:profile")).content.decode()

    assert reversing.call_count == 0
    assert f'href="{reverse("consents:mine")}"' in html
    assert f'action="{reverse("accounts:logout")}"' in html


def test_the_layouts_links_are_built_once_per_process_and_still_mark_the_open_page(client, alice):
    client.force_login(alice)
    client.get(reverse("accounts:profile"))
    client.get(reverse("consents:mine"))

    with mock.patch("lkk.templatetags.portal.format_html", wraps=format_html) as building:
        html = client.get(reverse("consents:mine")).content.decode()

    assert building.call_count == 0
    assert current_links(html) == [reverse("consents:mine")]


def test_a_remembered_address_follows_the_script_prefix():
    template = Template("{% url 'privacy:current' %}|{% url 'no:such' as missing %}{{ missing }}")
    policy = reverse("privacy:current")
    assert template.render(Context()) == policy + "|"

    set_script_prefix("/lkk/")
    try:
        assert template.render(Context()) == "/lkk" + policy + "|"
    finally:
        set_script_prefix("/")
    with pytest.raises(NoReverseMatch):  # without `as`, a page there is not is an error
        Template("{% url 'no:such' %}").render(Context())
