"""Masks tell people apart in a list and nothing more."""

from pdrequests.destruction import subject_reference
from staff.masking import (
    mask_address,
    mask_email,
    mask_full_name,
    mask_ip_address,
    mask_name,
    mask_phone,
)


def test_a_name_keeps_the_surnames_first_letter_and_the_initials():
    assert mask_name(last_name="Иванова", first_name="Алиса", patronymic="Петровна") == (
        "И***** А. П."
    )


def test_a_masked_surname_does_not_reveal_its_length():
    short = mask_name(last_name="Ли", first_name="", patronymic="")
    long = mask_name(last_name="Константинопольская", first_name="", patronymic="")

    assert len(short) == len(long)


def test_an_empty_name_is_a_dash():
    assert mask_name(last_name="", first_name="", patronymic="") == "—"


def test_an_email_keeps_its_first_letter_and_domain():
    assert mask_email("alice@example.ru") == "a***@example.ru"
    assert mask_email("") == "—"


def test_a_phone_keeps_its_last_four_digits():
    assert mask_phone("+79161234567") == "+7 *** ***-45-67"
    assert mask_phone("") == "—"


def test_a_subject_reference_is_the_account_number_only():
    assert subject_reference(17) == "субъект-17"


def test_an_ip_address_keeps_its_network_only():
    assert mask_ip_address("192.168.10.77") == "192.168.*.*"
    assert mask_ip_address("2001:db8:85a3::8a2e") == "2001:db8:*"
    assert mask_ip_address(None) == "—"


def test_a_name_kept_as_one_string_is_masked_like_a_users():
    assert mask_full_name("Иванова Алиса Петровна") == "И***** А. П."
    assert mask_full_name("") == "—"


def test_an_address_keeps_the_town_only():
    assert mask_address("г. Иваново, ул. Ленина, д. 5, кв. 12") == "г. Иваново, *****"
    assert mask_address("ул. Ленина 5") == "*****"
