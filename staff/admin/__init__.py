"""The staff desk in the admin: the PD access journal, the PD-requests desk with its dashboard
and journal export, and the destruction acts."""

from staff.admin import access_log, destruction_acts, requests, third_party

__all__ = ["access_log", "destruction_acts", "requests", "third_party"]
