"""System checks: the payee's requisites must be complete and pass their checksums before a
deployment (`manage.py check --deploy`); given ones are checked on every start."""

from django.core.checks import CheckMessage, Error, Tags, register

from bills.requisites import Payee


@register(Tags.compatibility)
def payee_requisites_well_formed(app_configs=None, **kwargs) -> list[CheckMessage]:
    payee = Payee.from_settings()
    if not any((payee.inn, payee.account, payee.bic)):
        return []  # not configured yet: the deploy check below says so
    return [Error(problem, id="bills.E001") for problem in payee.problems()]


@register(Tags.security, deploy=True)
def payee_requisites_given(app_configs=None, **kwargs) -> list[CheckMessage]:
    payee = Payee.from_settings()
    if any((payee.inn, payee.account, payee.bic)):
        return []  # the check above covers given requisites
    return [
        Error(
            "The payee's bank requisites are not set: receipts and payment QR codes need "
            "BILLS_PAYEE_INN, _KPP, _ACCOUNT, _BANK, _BIC and _CORR_ACCOUNT.",
            id="bills.E002",
        )
    ]
