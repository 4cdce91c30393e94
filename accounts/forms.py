"""Forms of registration, sign-in and the profile. They validate; services and views act."""

import phonenumbers
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import User
from consents.models import ConsentPurpose
from consents.services import Representative
from lkk.request_info import client_ip
from lkk.validators import validate_person_name


class MobilePhoneField(forms.CharField):
    """A Russian mobile number in any usual spelling, cleaned to +7XXXXXXXXXX."""

    default_error_messages = {
        "invalid": _("Введите номер мобильного телефона, например +7 916 123-45-67."),
        "not_russian": _("Укажите российский номер: он начинается с +7 или 8."),
        "not_mobile": _(
            "Это не мобильный номер. Укажите номер мобильного телефона (+7 9XX …): "
            "на него будут приходить уведомления."
        ),
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        kwargs.setdefault("help_text", _("Например: +7 916 123-45-67 или 8 916 123-45-67."))
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        value = super().clean(value)
        if value in self.empty_values:
            return value
        try:
            number = phonenumbers.parse(value, "RU")
        except phonenumbers.NumberParseException:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not phonenumbers.is_valid_number(number):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if phonenumbers.region_code_for_number(number) != "RU":
            raise ValidationError(self.error_messages["not_russian"], code="not_russian")
        if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
            raise ValidationError(self.error_messages["not_mobile"], code="not_mobile")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class EmailAddressField(forms.EmailField):
    """The login address: compared and stored lower-cased, like `UserManager` does."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Электронная почта"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        return User.objects.normalize_email(super().clean(value))


def _consent_label(purpose_code: str, wording: str, *, with_policy: bool) -> str:
    """A checkbox label linking to the consent's own document (and the policy), in a new tab
    so that the half-filled form is not lost."""
    document = format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("consents:document", args=[purpose_code]),
        _("текст согласия"),
    )
    if not with_policy:
        return format_html("{} ({})", wording, document)
    policy = format_html(
        '<a href="{}" target="_blank" rel="noopener">{}</a>',
        reverse("privacy:current"),
        _("Политикой обработки персональных данных"),
    )
    return format_html("{} ({}) и подтверждаю, что ознакомлен(а) с {}", wording, document, policy)


class RegistrationForm(SetPasswordMixin, forms.Form):
    """Everything registration asks for, and the consents given with it (152-FZ art. 9)."""

    REPRESENTATIVE_FIELDS = (
        "representative_name",
        "represented_name",
        "basis_document_type",
        "basis_document_number",
    )

    last_name = forms.CharField(
        label=_("Фамилия"),
        max_length=150,
        validators=[validate_person_name],
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    first_name = forms.CharField(
        label=_("Имя"),
        max_length=150,
        validators=[validate_person_name],
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    patronymic = forms.CharField(
        label=_("Отчество"),
        max_length=150,
        required=False,
        validators=[validate_person_name],
        help_text=_("Если есть."),
        widget=forms.TextInput({"autocomplete": "additional-name"}),
    )
    email = EmailAddressField(
        help_text=_("На этот адрес придёт письмо со ссылкой для подтверждения.")
    )
    phone = MobilePhoneField(label=_("Мобильный телефон"))
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Пароль"), label2=_("Пароль ещё раз")
    )
    consent_account = forms.BooleanField(
        error_messages={
            "required": _(
                "Без согласия на обработку персональных данных кабинет открыть нельзя: "
                "отметьте его, чтобы продолжить."
            )
        },
    )
    consent_mailings = forms.BooleanField(required=False)
    is_representative = forms.BooleanField(
        label=_("Я — законный представитель и регистрирую кабинет от имени представляемого лица"),
        required=False,
    )
    representative_name = forms.CharField(
        label=_("ФИО законного представителя"),
        max_length=255,
        required=False,
        validators=[validate_person_name],
    )
    represented_name = forms.CharField(
        label=_("ФИО представляемого лица"),
        max_length=255,
        required=False,
        validators=[validate_person_name],
    )
    basis_document_type = forms.CharField(
        label=_("Документ, подтверждающий полномочия"),
        max_length=255,
        required=False,
        help_text=_(
            "Например: свидетельство о рождении, решение органа опеки и попечительства, "
            "доверенность."
        ),
    )
    basis_document_number = forms.CharField(
        label=_("Серия и номер документа"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The labels hold links: they are built per form, once URLs can be reversed.
        self.fields["consent_account"].label = _consent_label(
            ConsentPurpose.ACCOUNT,
            _("Я даю согласие на обработку моих персональных данных"),
            with_policy=True,
        )
        self.fields["consent_mailings"].label = _consent_label(
            ConsentPurpose.MAILINGS,
            _(
                "Я хочу получать новости и рекламные предложения по электронной почте и в SMS "
                "— необязательно"
            ),
            with_policy=False,
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        self.validate_passwords()
        # Similarity to the name and the address is judged on the person as typed in.
        self.validate_password_for_user(
            User(
                email=cleaned.get("email", ""),
                last_name=cleaned.get("last_name", ""),
                first_name=cleaned.get("first_name", ""),
                patronymic=cleaned.get("patronymic", ""),
            )
        )
        if cleaned.get("is_representative"):
            for name in self.REPRESENTATIVE_FIELDS:
                if not cleaned.get(name):
                    self.add_error(name, _("Обязательное поле для законного представителя."))
        return cleaned

    @property
    def representative(self) -> Representative | None:
        """The representative's statement, recorded with the consents; None if not ticked."""
        if not self.cleaned_data.get("is_representative"):
            return None
        return Representative(
            **{name: self.cleaned_data[name] for name in self.REPRESENTATIVE_FIELDS}
        )

    @property
    def has_representative_errors(self) -> bool:
        return any(
            name in self.errors for name in ("is_representative", *self.REPRESENTATIVE_FIELDS)
        )


class LoginForm(AuthenticationForm):
    """Email and password. A closed or unconfirmed account is named only to whoever typed its
    password: the answer then reveals nothing the password check itself would not."""

    username = EmailAddressField(
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Неверный адрес электронной почты или пароль. Проверьте раскладку клавиатуры "
            "и клавишу Caps Lock."
        ),
        "unverified": _(
            "Адрес электронной почты ещё не подтверждён. Откройте ссылку из письма, которое мы "
            "отправили при регистрации, или запросите новое письмо."
        ),
        "inactive": _(
            "Учётная запись закрыта. Если это ошибка, обратитесь к оператору по адресу "
            "электронной почты, указанному внизу страницы."
        ),
    }

    def get_invalid_login_error(self) -> ValidationError:
        # A locked-out attempt is answered by the lockout page whatever the form says.
        if not getattr(self.request, "axes_locked_out", False):
            user = services.inactive_user_with_password(
                email=self.cleaned_data["username"], password=self.cleaned_data["password"]
            )
            if user is not None:
                code = "unverified" if user.awaiting_email_confirmation else "inactive"
                return ValidationError(self.error_messages[code], code=code)
        return super().get_invalid_login_error()


class VerificationForm(forms.Form):
    """The password chosen at registration: the link proves the mailbox, this the registration."""

    password = forms.CharField(
        label=_("Пароль, указанный при регистрации"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _(
                    "Пароль не тот, что указан при регистрации. Не помните его или "
                    "регистрировались не вы — зарегистрируйтесь заново или отмените регистрацию."
                ),
                code="wrong_password",
            )
        return password


class VerificationResendForm(forms.Form):
    email = EmailAddressField(help_text=_("Адрес, который вы указали при регистрации."))


class PasswordResetRequestForm(PasswordResetForm):
    """Django's form, but the letter is queued after commit instead of sent in the request."""

    email = EmailAddressField()

    def save(self, **kwargs) -> None:
        services.password_reset_request(
            email=self.cleaned_data["email"], ip_address=client_ip(kwargs["request"])
        )


class PhoneChangeForm(forms.ModelForm):
    phone = MobilePhoneField(label=_("Новый номер мобильного телефона"))

    class Meta:
        model = User
        fields = ["phone"]


class EmailChangeForm(forms.Form):
    new_email = EmailAddressField(
        label=_("Новый адрес электронной почты"),
        help_text=_("Адрес изменится, когда вы откроете ссылку из письма, отправленного на него."),
    )
    password = forms.CharField(
        label=_("Текущий пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Чтобы никто, кроме вас, не мог сменить адрес для входа."),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_email(self) -> str:
        new_email = self.cleaned_data["new_email"]
        if new_email == self.user.email:
            raise ValidationError(_("Это ваш текущий адрес. Укажите новый."), code="same_email")
        return new_email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Неверный пароль."), code="wrong_password")
        return password
