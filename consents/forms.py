from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from consents.models import ConsentPurpose
from privacy.models import PolicyVersion


class ConsentWithdrawForm(forms.Form):
    """Withdrawing a required consent closes the account, so the person confirms it knowingly."""

    confirm = forms.BooleanField(
        label=_(
            "Я понимаю, что учётная запись будет закрыта, а мои персональные данные уничтожены"
        ),
        error_messages={
            "required": _("Отметьте, что понимаете последствия, или вернитесь к согласиям.")
        },
    )

    def __init__(self, *args, purpose: ConsentPurpose, **kwargs):
        super().__init__(*args, **kwargs)
        if not purpose.is_required:
            del self.fields["confirm"]  # an optional consent is withdrawn with one click


class PolicyVersionForm(forms.Form):
    """Acts on the policy version the person was shown, not on one published since."""

    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, policy_version: PolicyVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy_version = policy_version
        self.fields["version"].initial = policy_version.label

    def clean_version(self) -> str:
        label = self.cleaned_data["version"]
        if label != self.policy_version.label:
            raise forms.ValidationError(
                _(
                    "Пока страница была открыта, вступила в силу другая редакция. "
                    "Ознакомьтесь с ней."
                )
            )
        return label


class PolicyAcceptForm(PolicyVersionForm):
    """Reading the policy and consenting are two statements with two ticks: since 01.09.2025 the
    consent is a document of its own (152-FZ art. 9 p. 1), not a clause of the policy."""

    acknowledged = forms.BooleanField(
        label=_("Я ознакомился(-ась) с новой редакцией Политики обработки персональных данных"),
        error_messages={
            "required": _("Чтобы продолжить, подтвердите, что ознакомились с новой редакцией.")
        },
    )
    accept = forms.BooleanField(
        error_messages={
            "required": _("Чтобы продолжить работу в личном кабинете, отметьте согласие.")
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accept"].label = format_html(
            '{} (<a href="{}" target="_blank" rel="noopener">{}</a>)',
            _("Я даю согласие на обработку моих персональных данных"),
            reverse("consents:document", args=[ConsentPurpose.ACCOUNT]),
            _("текст согласия"),
        )
