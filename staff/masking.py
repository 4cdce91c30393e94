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


def mask_ip_address(ip_address: str | None) -> str:
    """`192.168.*.*`: the network, not the household."""
    if not ip_address:
        return "—"
    if ":" in ip_address:
        return ":".join(ip_address.split(":")[:2]) + ":*"
    return ".".join(ip_address.split(".")[:2]) + ".*.*"


def mask_full_name(full_name: str) -> str:
    """A name kept as one string (`Иванова Алиса Петровна`), masked like a user's."""
    last_name, first_name, patronymic = ([*full_name.split(), "", "", ""])[:3]
    return mask_name(last_name=last_name, first_name=first_name, patronymic=patronymic)


def mask_address(address: str) -> str:
    """`г. Иваново, *****`: the town, not the flat."""
    town, comma, _rest = (address or "").partition(",")
    return f"{town}, {HIDDEN}" if comma else HIDDEN
