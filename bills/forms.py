from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PAYMENT = Decimal("1000000")


class PaymentAmountForm(forms.Form):
    """The amount for the QR code, as people type it: «1 234,56», «1234.56», «1234»."""

    amount = forms.CharField(
        label=_("Сумма к оплате, ₽"),
        max_length=20,
        help_text=_("Можно изменить: QR-код пересчитается после нажатия «Пересчитать»."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def clean_amount(self) -> Decimal:
        text = "".join(self.cleaned_data["amount"].split()).replace("₽", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(
                _("Введите сумму цифрами, например 1 234,56."), code="invalid"
            ) from None
        if not amount.is_finite() or amount <= 0:
            raise forms.ValidationError(_("Сумма должна быть больше нуля."), code="min_value")
        if amount > MAX_PAYMENT:
            raise forms.ValidationError(
                _("Сумма не может быть больше 1 000 000 ₽."), code="max_value"
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise forms.ValidationError(
                _("Копейки — не больше двух знаков после запятой."), code="kopecks"
            )
        return amount.quantize(Decimal("0.01"))


class ElectronicReceiptForm(forms.Form):
    electronic = forms.TypedChoiceField(
        label=_("Как получать квитанцию"),
        choices=[
            ("1", _("Электронная квитанция на мой адрес электронной почты")),
            ("0", _("Бумажная квитанция по почте")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите, как получать квитанцию.")},
    )
