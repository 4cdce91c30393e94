"""Forms of the second sign-in step, the second factor's settings and «Где выполнен вход»."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class CodeForm(forms.Form):
    """The second sign-in step: the app's six digits or one recovery code."""

    code = forms.CharField(
        label=_("Код"),
        max_length=32,
        help_text=_(
            "Шесть цифр из приложения-аутентификатора. Если телефона нет под рукой, введите "
            "один из резервных кодов: каждый действует один раз."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": _("Введите код.")},
    )


class CurrentPasswordForm(forms.Form):
    """A change to how the person signs in asks for the password again: a session left open on
    someone else's computer must not be enough."""

    password = forms.CharField(
        label=_("Текущий пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Введите текущий пароль.")},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Неверный пароль."), code="wrong_password")
        return password


class EnrolmentForm(CurrentPasswordForm):
    """Turning the app on: a code it shows proves the QR code was scanned."""

    code = forms.CharField(
        label=_("Код из приложения"),
        max_length=16,
        help_text=_("Шесть цифр, которые приложение показывает сейчас."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Введите код из приложения.")},
    )
    field_order = ["code", "password"]
