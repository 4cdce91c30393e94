"""The staff desk in the admin: the PD access journal, the PD-requests desk with its dashboard
and journal export, the destruction acts and the journal of destruction by retention period."""

from staff.admin import (
    access_log,
    destruction_acts,
    notification,
    requests,
    retention,
    third_party,
)

__all__ = [
    "access_log",
    "destruction_acts",
    "notification",
    "requests",
    "retention",
    "third_party",
]
