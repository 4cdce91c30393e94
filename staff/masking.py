"""How personal data looks to staff who may not see it: enough to tell people apart in a list,
too little to identify or contact anyone.

Masks have a fixed shape (five asterisks whatever the length of the surname), so that the mask
itself tells nothing about the value.
"""

HIDDEN = "*****"


def mask_name(*, last_name: str, first_name: str, patronymic: str) -> str:
    """`И***** А. П.`"""
    parts = [f"{last_name[:1]}{HIDDEN}" if last_name else ""]
    parts += [f"{name[:1]}." for name in (first_name, patronymic) if name]
    return " ".join(part for part in parts if part) or "—"


def mask_email(email: str) -> str:
    """`a***@example.ru`"""
    local, at, domain = (email or "").partition("@")
    if not at:
        return "—"
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str) -> str:
    """`+7 *** ***-45-67`: the last four digits, as on a bank's card."""
    digits = "".join(character for character in phone or "" if character.isdigit())
    if len(digits) < 4:
        return "—"
    return f"+7 *** ***-{digits[-4:-2]}-{digits[-2:]}"


def subject_reference(user_id: int) -> str:
    """A pseudonymous reference to a subject: the account's number, no personal data.

    Used where the subject must be named but their data is not needed (the request journal,
    the access log): it leads back to the person only inside the operator's systems. The same
    shape as the reference a destruction leaves in the kept records (`субъект-17`), so that an
    inspector can match the journal, the access log and the destruction acts.
    """
    return f"субъект-{user_id}"
