"""Staff of each role, and requests filed and worked the way the services do it."""

import pytest
from django.contrib.auth.models import Group, Permission

from pdrequests.models import Action
from pdrequests.workflow import subject_request_transition
from staff.roles import AUDITOR, PD_OFFICER, SITE_ADMINISTRATOR

STAFF_PASSWORD = "Пароль-сотрудника-2026"


def _staff_member(django_user_model, email: str, *, group: str | None = None, **names):
    user = django_user_model.objects.create_user(email, STAFF_PASSWORD, is_staff=True, **names)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return django_user_model.objects.get(pk=user.pk)  # permissions are cached per instance


@pytest.fixture
def pd_officer(django_user_model):
    """Works PD requests: «Ответственный за ПДн»."""
    return _staff_member(
        django_user_model,
        "officer@ivsbyt.ru",
        group=PD_OFFICER,
        last_name="Сотрудникова",
        first_name="Ольга",
    )


@pytest.fixture
def other_officer(django_user_model):
    """A second PD officer, not the assignee of the request at hand."""
    return _staff_member(
        django_user_model, "officer2@ivsbyt.ru", group=PD_OFFICER, last_name="Второва"
    )


@pytest.fixture
def auditor(django_user_model):
    """Reads the journal and the access log: «Аудитор»."""
    return _staff_member(
        django_user_model, "auditor@ivsbyt.ru", group=AUDITOR, last_name="Ревизоров"
    )


@pytest.fixture
def site_admin(django_user_model):
    """«Администратор сайта»: every permission, but not a superuser."""
    return _staff_member(
        django_user_model, "siteadmin@ivsbyt.ru", group=SITE_ADMINISTRATOR, last_name="Админова"
    )


@pytest.fixture
def clerk(django_user_model):
    """Staff without PD rights who may still open the user and request lists."""
    user = django_user_model.objects.create_user("clerk@ivsbyt.ru", STAFF_PASSWORD, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["accounts", "pdrequests"],
            codename__in=["view_user", "view_subjectrequest"],
        )
    )
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def act(pd_officer):
    """Take an action on a request through the state machine, as the PD officer by default."""

    def take(request, action: Action, *, actor=None, comment: str = "Проверено.", **data):
        return subject_request_transition(
            request=request, action=action, actor=actor or pd_officer, comment=comment, **data
        )

    return take


@pytest.fixture
def as_staff(client):
    """The test client signed in as the given member of staff."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
