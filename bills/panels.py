"""The dashboard's block under each account: the balance in words and the last payment."""

from collections.abc import Sequence

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from billing.models import AccountLink
from bills.balance import account_summaries


def balance_panel(request: HttpRequest, links: Sequence[AccountLink]) -> dict[int, SafeString]:
    """Rendered without the request: the block needs none of the page's context processors,
    which would otherwise run again (with their queries) for every account."""
    summaries = account_summaries(link.account_id for link in links)
    return {
        link.pk: mark_safe(  # noqa: S308 — a template rendered with autoescape
            render_to_string(
                "bills/_balance_panel.html",
                {"link": link, "summary": summaries[link.account_id]},
            )
        )
        for link in links
    }
