"""Demo staff for `make run`: a PD officer and an auditor, to try the roles in the admin."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from staff.roles import AUDITOR, PD_OFFICER

DEMO_PASSWORD = "demo-staff-2026"  # noqa: S105 — printed for the developer on purpose
DEMO_STAFF = [
    ("officer@example.ru", "Ответственная", "Ольга", PD_OFFICER),
    ("auditor@example.ru", "Аудитов", "Антон", AUDITOR),
]


def seed_staff() -> list[tuple[str, str]]:
    """Create the demo staff once; returns (email, group) pairs to print with the password."""
    User = get_user_model()
    for email, last_name, first_name, group in DEMO_STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email, DEMO_PASSWORD, last_name=last_name, first_name=first_name, is_staff=True
            )
        user.groups.add(Group.objects.get(name=group))
    return [(email, group) for email, _last, _first, group in DEMO_STAFF]
