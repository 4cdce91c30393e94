"""The printable destruction act: whose data (a reference), what, where, why, when, who."""

import re

import pytest
from django.urls import reverse

from feedback import services as feedback_services
from feedback.models import FeedbackMessage
from pdrequests.models import Action, SubjectRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def destroyed(alice, file_request, act):
    request = act(file_request(alice, SubjectRequest.Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
    return act(request, Action.DESTROY, comment="Согласие отозвано.")


def test_the_act_prints_everything_an_inspector_asks_for(as_staff, auditor, pd_officer, destroyed):
    act = destroyed.destruction_act
    url = reverse("admin:pdrequests_destructionact_print", args=[act.pk])

    response = as_staff(auditor).get(url)

    page = response.content.decode()
    assert f"Акт об уничтожении персональных данных № {act.pk}" in page
    assert act.subject_reference in page
    assert destroyed.number in page
    assert "Согласие отозвано." in page
    for item in (*act.categories, *act.systems):
        assert item in page
    assert "Сотрудникова Ольга" in page  # who did it
    assert 'href="/static/css/print.css" media="print"' in page
    assert "Иванова" not in page


def test_the_act_names_every_kind_of_record_it_touched_in_words(
    as_staff, auditor, alice, file_request, act
):
    feedback_services.feedback_message_create(
        kind=FeedbackMessage.Kind.QUESTION, subject="Вопрос", text="Текст вопроса.", user=alice
    )
    request = act(file_request(alice, SubjectRequest.Kind.WITHDRAWAL), Action.TAKE_INTO_WORK)
    destruction_act = act(request, Action.DESTROY, comment="Согласие отозвано.").destruction_act

    url = reverse("admin:pdrequests_destructionact_print", args=[destruction_act.pk])
    page = as_staff(auditor).get(url).content.decode()

    assert destruction_act.counts["сообщения в обратную связь (тексты уничтожены)"] == 1
    assert "сообщения в обратную связь (тексты уничтожены): 1" in page
    # A signed document says what in words, as the registry declares them, never a column name.
    assert all(re.search("[а-я]", label) for label in destruction_act.counts)


def test_the_act_list_links_to_the_print_view(as_staff, auditor, destroyed):
    page = as_staff(auditor).get(reverse("admin:pdrequests_destructionact_changelist"))

    url = reverse("admin:pdrequests_destructionact_print", args=[destroyed.destruction_act.pk])
    assert url in page.content.decode()


def test_acts_are_not_changed_or_deleted(as_staff, admin_user, destroyed):
    act = destroyed.destruction_act
    client = as_staff(admin_user)

    assert (
        client.post(
            reverse("admin:pdrequests_destructionact_change", args=[act.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:pdrequests_destructionact_delete", args=[act.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_staff_without_the_right_do_not_open_it(as_staff, clerk, destroyed):
    url = reverse("admin:pdrequests_destructionact_print", args=[destroyed.destruction_act.pk])

    assert as_staff(clerk).get(url).status_code == 403
