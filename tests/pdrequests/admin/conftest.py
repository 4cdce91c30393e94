"""The desk's tests use the staff of each role (`tests/staff/conftest.py`)."""

from tests.staff.conftest import (  # noqa: F401 (fixtures)
    act,
    as_staff,
    auditor,
    clerk,
    other_officer,
    pd_officer,
    site_admin,
)
