"""The payee's bank requisites (settings) and their checksums, as the Bank of Russia defines
them: a mistyped account number would send consumers' money nowhere."""

from dataclasses import dataclass

from django.conf import settings

_WEIGHTS = (7, 1, 3) * 8


def _key_ok(digits: str) -> bool:
    return (
        sum(
            int(digit) * weight % 10
            for digit, weight in zip(digits, _WEIGHTS[: len(digits)], strict=True)
        )
        % 10
        == 0
    )


def settlement_account_ok(account: str, bic: str) -> bool:
    return _key_ok(bic[-3:] + account)


def correspondent_account_ok(account: str, bic: str) -> bool:
    return _key_ok("0" + bic[4:6] + account)


def inn_ok(inn: str) -> bool:
    """A legal entity's ИНН: ten digits, the last a checksum."""
    if len(inn) != 10 or not inn.isdigit():
        return False
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)
    return sum(int(d) * w for d, w in zip(inn[:9], weights, strict=True)) % 11 % 10 == int(inn[9])


@dataclass(frozen=True)
class Payee:
    name: str
    inn: str
    kpp: str
    account: str
    bank: str
    bic: str
    corr_account: str

    @classmethod
    def from_settings(cls) -> "Payee":
        return cls(**settings.BILLS_PAYEE)

    def problems(self) -> list[str]:
        """What is missing or malformed, in words for the person deploying."""
        found = []
        for field, length in (
            ("inn", 10),
            ("kpp", 9),
            ("account", 20),
            ("bic", 9),
            ("corr_account", 20),
        ):
            value = getattr(self, field)
            if not (len(value) == length and value.isascii() and value.isdigit()):
                found.append(f"BILLS_PAYEE_{field.upper()}: {length} digits expected")
        for field in ("name", "bank"):
            if not getattr(self, field).strip():
                found.append(f"BILLS_PAYEE_{field.upper()}: required")
            if "|" in getattr(self, field):
                found.append(f"BILLS_PAYEE_{field.upper()}: «|» is not allowed (QR code format)")
        if found:
            return found
        if not inn_ok(self.inn):
            found.append("BILLS_PAYEE_INN: checksum does not match")
        if not settlement_account_ok(self.account, self.bic):
            found.append("BILLS_PAYEE_ACCOUNT: control key does not match the BIC")
        if not correspondent_account_ok(self.corr_account, self.bic):
            found.append("BILLS_PAYEE_CORR_ACCOUNT: control key does not match the BIC")
        return found
