from django.urls import reverse

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
