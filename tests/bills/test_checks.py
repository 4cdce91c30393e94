"""The payee's requisites are checked before a deployment: a typo would send money nowhere."""

from django.core.checks import Error

from bills.checks import payee_requisites_given, payee_requisites_well_formed
from bills.requisites import Payee

GOOD = {
    "name": "АО «ИЭК»",
    "inn": "5016000005",
    "kpp": "501601001",
    "account": "40702810600000012345",
    "bank": "ПАО «Демо-банк»",
    "bic": "044525999",
    "corr_account": "30101810600000000999",
}


def test_good_requisites_pass(settings):
    settings.BILLS_PAYEE = GOOD

    assert payee_requisites_well_formed() == []
    assert payee_requisites_given() == []


def test_an_account_whose_key_does_not_match_the_bic_is_refused(settings):
    settings.BILLS_PAYEE = {**GOOD, "account": "40702810700000012345"}

    errors = payee_requisites_well_formed()

    assert [error.msg for error in errors] == [
        "BILLS_PAYEE_ACCOUNT: control key does not match the BIC"
    ]
    assert all(isinstance(error, Error) for error in errors)


def test_a_wrong_inn_and_a_short_bic_are_refused():
    payee = Payee(**{**GOOD, "inn": "5016000006"})
    assert payee.problems() == ["BILLS_PAYEE_INN: checksum does not match"]
    payee = Payee(**{**GOOD, "bic": "04452599"})
    assert payee.problems() == ["BILLS_PAYEE_BIC: 9 digits expected"]


def test_a_deployment_without_requisites_is_refused(settings):
    settings.BILLS_PAYEE = {**dict.fromkeys(GOOD, ""), "name": "АО «ИЭК»"}

    assert payee_requisites_well_formed() == []
    assert [error.id for error in payee_requisites_given()] == ["bills.E002"]


def test_check_deploy_fails_in_production_without_the_payee():
    from tests.lkk.test_settings import PRODUCTION_ENV, manage

    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("BILLS_PAYEE_")}

    result = manage("check", "--deploy", env=env)

    assert result.returncode != 0
    assert "bills.E002" in result.stderr


def test_production_refuses_to_start_with_a_mistyped_account():
    from tests.lkk.test_settings import PRODUCTION_ENV, manage

    result = manage("check", env={**PRODUCTION_ENV, "BILLS_PAYEE_ACCOUNT": "40702810700000012345"})

    assert result.returncode != 0
    assert "BILLS_PAYEE_ACCOUNT: control key does not match the BIC" in result.stderr
