from functools import lru_cache

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import (
    NoReverseMatch,
    URLResolver,
    get_resolver,
    get_script_prefix,
    get_urlconf,
    reverse,
)
from django.utils.html import conditional_escape, format_html

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
    url = _address(context, view_name)
    if url is None:
        raise NoReverseMatch(view_name)
    request = context.get("request")
    path = request.path if request is not None else ""
    return _link(url, label, current=path == url or (section and path.startswith(url)))


@lru_cache(maxsize=256)
def _link(url: str, label: str, *, current: bool) -> str:
    """A link of the layout, built once per process: the labels are the layout's own words."""
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.tag
def url(parser, token) -> URLNode:
    """Django's `{% url %}`, an address without arguments worked out once per process.

    Such an address is the same on every page, and the layout alone has a dozen: reversing
    each (some 10 µs) was a tenth of a signed-in page's time.
    """
    node = django_url(parser, token)
    return _RememberedURLNode(node.view_name, node.args, node.kwargs, node.asvar)


class _RememberedURLNode(URLNode):
    def render(self, context) -> str:
        name = self.view_name
        if self.args or self.kwargs or name.filters or not isinstance(name.var, str):
            return super().render(context)
        address = _address(context, name.var)
        if self.asvar:
            context[self.asvar] = address or ""  # as Django: "" for a page there is not
            return ""
        if address is None:
            return super().render(context)  # Django's NoReverseMatch
        return conditional_escape(address) if context.autoescape else address


def _address(context, view_name: str) -> str | None:
    """The address of a view without arguments, None if there is none.

    What the address depends on besides the name (the request's application, the URL
    configuration, the script prefix) is looked up once per template rendered: each of these
    thread-local lookups costs more than the remembered address itself.
    """
    where = context.render_context.get(_address)
    if where is None:
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        current_app = getattr(request, "current_app", match.namespace if match else None)
        urlconf = get_urlconf()
        where = (current_app, urlconf, get_resolver(urlconf), get_script_prefix())
        context.render_context[_address] = where
    return _remembered_address(view_name, *where)


@lru_cache(maxsize=512)
def _remembered_address(
    view_name: str,
    current_app: str | None,
    urlconf: str | None,
    resolver: URLResolver,  # in the key only: URLs loaded again (tests) give a new resolver
    script_prefix: str,
) -> str | None:
    try:
        return reverse(view_name, urlconf=urlconf, current_app=current_app)
    except NoReverseMatch:
        return None


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
