from django import template
from django.urls import reverse
from django.utils.html import format_html

from lkk import russian, validators
from lkk.moscow import moscow_time

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, view_name: str, label: str, *, section: bool = True) -> str:
    """A navigation link that tells assistive technology which page is open (`aria-current`).

    With `section`, every page below the link's address counts as its page too (a request's
    page belongs to «Обращения по ПДн»); without it only the address itself does. A page
    rendered without the request (Django's own error handlers) has no open page.
    """
    url = reverse(view_name)
    request = context.get("request")
    path = request.path if request is not None else ""
    current = path == url or (section and path.startswith(url))
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.filter
def one_line(value: str) -> str:
    """User text printed inside a line of ours (a letter's «Тема: …»): never a second line."""
    return validators.one_line(str(value))


@register.filter
def quoted(value: str) -> str:
    """User text quoted in a plain-text letter: every line starts with «> », so nothing the
    user wrote can pass for the letter's own words."""
    return "\n".join(f"> {line}".rstrip() for line in str(value).splitlines() or [""])


@register.filter(is_safe=True)
def squash(value: object) -> str:
    """Every run of whitespace as one space, the ends trimmed: lets a letter's paragraph be
    written over several lines of a template (`{% filter squash %}…{% endfilter %}`)."""
    return " ".join(str(value).split())


@register.filter
def plural(count: int, forms: str) -> str:
    """The noun for a count: `{{ n }} {{ n|plural:"обращение,обращения,обращений" }}`."""
    one, few, many = forms.split(",")
    return russian.plural(int(count), one, few, many)


@register.filter
def msk(moment, seconds: str = "") -> str:
    """A moment in Moscow time, «1 декабря 2026, 14:05 (мск)»; `|msk:"seconds"` adds seconds."""
    if not moment:
        return ""
    return moscow_time(moment, seconds=seconds == "seconds")


@register.filter
def phone(number: str) -> str:
    """A phone number as people read it: +7 903 777-88-99."""
    return russian.phone(number)
