import pytest
from django.core.exceptions import ValidationError

from accounts.forms import MobilePhoneField


@pytest.mark.parametrize(
    "typed",
    [
        "8 916 123-45-67",
        "+7 (916) 123-45-67",
        "89161234567",
        "+79161234567",
        "9161234567",
        " 8-916-123-45-67 ",
    ],
)
def test_usual_spellings_of_a_russian_mobile_number_are_normalized(typed):
    assert MobilePhoneField().clean(typed) == "+79161234567"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("+7 495 123-45-67", "not_mobile"),  # a Moscow landline
        ("8 800 555-35-35", "not_mobile"),  # a toll-free number
        ("+380 50 123 4567", "not_russian"),  # Ukraine
        ("+7 700 123 4567", "not_russian"),  # Kazakhstan shares +7
        ("+7 916 123 45", "invalid"),  # too short
        ("телефон", "invalid"),
    ],
)
def test_numbers_that_are_not_russian_mobiles_are_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as refused:
        MobilePhoneField().clean(typed)

    assert refused.value.code == code


def test_the_refusal_says_what_is_expected_in_russian():
    with pytest.raises(ValidationError) as refused:
        MobilePhoneField().clean("+7 495 123-45-67")

    assert "мобильного телефона" in refused.value.messages[0]
