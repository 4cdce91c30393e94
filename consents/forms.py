from django import forms
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
    accept = forms.BooleanField(
        label=_(
            "Я ознакомился(-ась) с новой редакцией Политики конфиденциальности и даю согласие "
            "на обработку моих персональных данных на её условиях"
        ),
        error_messages={
            "required": _("Чтобы продолжить работу в личном кабинете, отметьте согласие.")
        },
    )
