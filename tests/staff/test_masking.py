"""Masks tell people apart in a list and nothing more."""

from staff.masking import mask_email, mask_name, mask_phone, subject_reference


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
