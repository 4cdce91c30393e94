"""Filters for the lockout page, which django-axes renders with a bare cool-off `timedelta`."""

import math
from datetime import datetime, timedelta

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def whole_minutes(delta: timedelta) -> int:
    """Rounded up: "try again in 30 min" must not let the person try a minute too early."""
    return math.ceil(delta.total_seconds() / 60)


@register.filter
def from_now(delta: timedelta) -> datetime:
    """The moment `delta` from now; the `date` filter then shows it in Moscow time."""
    return timezone.now() + delta
