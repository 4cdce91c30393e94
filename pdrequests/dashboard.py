"""The staff dashboard's numbers: requests by status, and open ones by how soon they are due.

A fixed number of queries whatever the number of requests: one for the calendar, two
aggregates.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from accounts.models import User
from cases.models import soon_limit
from pdrequests.models import SubjectRequest


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class DueCounts:
    overdue: int
    today: int
    next_days: int  # due on one of the next `cases.models.SOON_WORKING_DAYS` working days
    later: int
    mine: int  # open and assigned to the person looking

    @property
    def open(self) -> int:
        return self.overdue + self.today + self.next_days + self.later


def requests_by_status() -> list[StatusCount]:
    counts = dict(
        SubjectRequest.objects.order_by().values_list("status").annotate(count=Count("pk"))
    )
    return [
        StatusCount(status=status, label=str(label), count=counts.get(status, 0))
        for status, label in SubjectRequest.Status.choices
    ]


def open_requests_by_due_date(*, today: datetime.date, viewer: User) -> DueCounts:
    limit = soon_limit(today)
    counts = SubjectRequest.objects.open().aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
        next_days=Count("pk", filter=Q(due_on__gt=today, due_on__lte=limit)),
        later=Count("pk", filter=Q(due_on__gt=limit)),
        mine=Count("pk", filter=Q(assignee=viewer)),
    )
    return DueCounts(**counts)
