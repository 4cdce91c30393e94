"""The staff foundation in the admin: the PD access journal, the third parties' access, the
journal of destruction by retention period and the notification to Roskomnadzor."""

from staff.admin import access_log, notification, retention, third_party

__all__ = ["access_log", "notification", "retention", "third_party"]
