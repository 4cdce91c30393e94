from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from billing.models import AccountLink, PersonalAccount
from billing.numbers import clean_account_number, validate_account_number
from lkk.russian import plural

DISPUTE_SIGNING_SALT = "billing.LinkDispute"
DISPUTE_TOKEN_MAX_AGE = 60 * 60  # seconds: the message is sent right after the attempt


class AccountLinkForm(forms.Form):
    number = forms.CharField(
        label=_("Номер лицевого счёта"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    factor = forms.ChoiceField(
        label=_("Чем подтвердить, что счёт ваш"),
        choices=[
            (AccountLink.Factor.SURNAME, _("Фамилия владельца счёта")),
            (AccountLink.Factor.METER, _("Заводской номер счётчика")),
        ],
        initial=AccountLink.Factor.SURNAME,
        widget=forms.RadioSelect,
    )
    value = forms.CharField(
        label=_("Фамилия владельца или номер счётчика"),
        max_length=100,
        help_text=_(
            "Как в квитанции: только фамилию, без имени и отчества, или заводской номер "
            "счётчика. Регистр, пробелы и буквы ё/е не важны."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        length = settings.BILLING_ACCOUNT_NUMBER_LENGTH
        self.fields["number"].help_text = _("%(length)d %(digits)s, как в квитанции.") % {
            "length": length,
            "digits": plural(length, "цифра", "цифры", "цифр"),
        }

    def clean_number(self) -> str:
        number = clean_account_number(self.cleaned_data["number"])
        validate_account_number(number)
        return number


class LinkDisputeForm(forms.Form):
    """The message to support; the token proves the consumer matched the factor just now."""

    token = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Комментарий (необязательно)"),
        required=False,
        max_length=1000,
        help_text=_("Например, как с вами удобнее связаться."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    @staticmethod
    def token_for(*, user, account: PersonalAccount) -> str:
        return signing.dumps({"user": user.pk, "account": account.pk}, salt=DISPUTE_SIGNING_SALT)

    def clean_token(self) -> PersonalAccount:
        try:
            data = signing.loads(
                self.cleaned_data["token"], salt=DISPUTE_SIGNING_SALT, max_age=DISPUTE_TOKEN_MAX_AGE
            )
        except signing.BadSignature as error:
            raise forms.ValidationError(
                _("Время на отправку обращения истекло. Привяжите счёт ещё раз."), code="expired"
            ) from error
        account = PersonalAccount.objects.filter(pk=data.get("account")).first()
        if data.get("user") != self.user.pk or account is None:
            raise forms.ValidationError(_("Обращение не распознано."), code="invalid")
        return account
