import datetime
from typing import Any

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def export_value(value: Any) -> str:
    """One value of «Мои данные» as the person reads it: Moscow time, «—» for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d.m.Y")
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


@register.filter
def cell(row: dict[str, Any], column: str) -> Any:
    return row.get(column)
