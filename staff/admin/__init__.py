"""The staff foundation in the admin: the PD access journal, the third parties' access and the
journal of destruction by retention period."""

from staff.admin import access_log, retention, third_party

__all__ = ["access_log", "retention", "third_party"]
