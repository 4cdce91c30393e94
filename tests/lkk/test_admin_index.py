"""The admin's index starts with the staff's work, not with the libraries' models."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from pytest_django.asserts import assertContains

from servicerequests.models import RequestKind

pytestmark = pytest.mark.django_db


def test_the_index_starts_with_the_desk_requests_claims_and_incidents(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:index"))

    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[:4] == ["pdrequests", "feedback", "servicerequests", "incidents"]
    assert labels[-3:] == ["lkk", "axes", "django_tasks_database"]


def test_recent_actions_lead_to_what_was_changed(client, admin_user):
    kind = RequestKind.objects.first()
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[kind], action_flag=CHANGE, change_message="Изменено."
    )
    client.force_login(admin_user)

    response = client.get(reverse("admin:index"))

    assertContains(response, "Последние действия")
    assertContains(
        response, f'href="{reverse("admin:servicerequests_requestkind_change", args=[kind.pk])}"'
    )
