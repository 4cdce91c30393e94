"""Deleting old rows of a busy table a batch at a time (retention of visits, link attempts)."""

from django.db import models

BATCH_SIZE = 10_000


def delete_in_batches(queryset: models.QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    """Delete the rows of `queryset` and return how many were deleted.

    Deliberately not one transaction: batches of short deletes never hold a long lock on a table
    the site writes to, and a run stopped half-way has still done its part.
    """
    deleted = 0
    while True:
        batch = queryset.values("pk")[:batch_size]
        count, _ = queryset.model.objects.filter(pk__in=batch).delete()
        deleted += count
        if count < batch_size:
            return deleted
