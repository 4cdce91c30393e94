from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, view_name: str, label: str, *, section: bool = True) -> str:
    """A navigation link that tells assistive technology which page is open (`aria-current`).

    With `section`, every page below the link's address counts as its page too (a request's
    page belongs to «Обращения по ПДн»); without it only the address itself does.
    """
    url = reverse(view_name)
    path = context["request"].path
    current = path == url or (section and path.startswith(url))
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.filter(is_safe=True)
def squash(value: object) -> str:
    """Every run of whitespace as one space, the ends trimmed: lets a letter's paragraph be
    written over several lines of a template (`{% filter squash %}…{% endfilter %}`)."""
    return " ".join(str(value).split())
