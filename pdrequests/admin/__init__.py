"""The PD-requests desk in the admin: the requests with their dashboard and journal export, and
the destruction acts."""

from pdrequests.admin import destruction_acts, requests

__all__ = ["destruction_acts", "requests"]
