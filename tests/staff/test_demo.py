"""Demo staff: one member per narrow role, created once."""

import pytest

from accounts.models import User
from staff.demo import DEMO_PASSWORD, seed_staff

pytestmark = pytest.mark.django_db


def test_the_demo_staff_sign_in_with_their_roles_and_are_created_once():
    seed_staff()
    printed = seed_staff()

    assert [email for email, _group in printed] == ["officer@example.ru", "auditor@example.ru"]
    for email, group in printed:
        user = User.objects.get(email=email)
        assert user.is_staff and not user.is_superuser
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [group]
