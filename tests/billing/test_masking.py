"""Account numbers in logs and letters are masked: `****5678`."""

import logging

import pytest
from django.template import Context, Template

from billing import services
from billing.numbers import mask_account_number


def test_a_number_is_masked_to_its_last_four_digits():
    assert mask_account_number("1000005678") == "****5678"


def test_templates_mask_numbers_with_a_filter():
    template = Template("{% load billing_tags %}{{ number|masked_account }}")

    assert template.render(Context({"number": "1000005678"})) == "****5678"


@pytest.mark.django_db
def test_link_attempts_are_logged_with_the_number_masked(caplog, alice, account):
    with caplog.at_level(logging.INFO, logger="billing.services"):
        services.account_link(
            user=alice, number=account.number, factor="surname", value="x", ip_address=None
        )

    assert "****0001" in caplog.text
    assert account.number not in caplog.text
