from django import template

from billing.numbers import mask_account_number

register = template.Library()


@register.filter
def masked_account(number: str) -> str:
    """`{{ number|masked_account }}` → `****5678`."""
    return mask_account_number(number)
