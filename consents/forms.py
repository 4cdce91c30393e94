from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import EmailAddressField, MobilePhoneField
from consents.models import ConsentPurpose, SubjectRequest
from lkk.validators import validate_person_name
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


class SubjectRequestForm(forms.Form):
    """A consumer's request about their PD. Withdrawing consent is not offered here: it is done
    on «Мои согласия», which files the withdrawal request by itself."""

    KINDS = [
        (kind.value, kind.label)
        for kind in (
            SubjectRequest.Kind.BLOCKING,
            SubjectRequest.Kind.CORRECTION,
            SubjectRequest.Kind.ACCESS,
            SubjectRequest.Kind.STOP_PROCESSING,
            SubjectRequest.Kind.OTHER,
        )
    ]
    # The person's data a correction request may name, with how each label reads.
    CORRECTION_LABELS = {
        "last_name": _("Правильная фамилия"),
        "first_name": _("Правильное имя"),
        "patronymic": _("Правильное отчество"),
        "email": _("Правильный адрес электронной почты"),
        "phone": _("Правильный номер мобильного телефона"),
    }

    kind = forms.ChoiceField(
        label=_("Что вы просите"),
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите, о чём обращение.")},
    )
    reason = forms.ChoiceField(
        label=_("Почему данные нужно заблокировать"),
        choices=SubjectRequest.Reason.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Только для блокирования."),
    )
    details = forms.CharField(
        label=_("Суть обращения"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Что именно не так, о каких данных речь, что вы просите сделать."),
    )
    correct_last_name = forms.CharField(
        max_length=150, required=False, validators=[validate_person_name]
    )
    correct_first_name = forms.CharField(
        max_length=150, required=False, validators=[validate_person_name]
    )
    correct_patronymic = forms.CharField(
        max_length=150, required=False, validators=[validate_person_name]
    )
    correct_email = EmailAddressField(required=False)
    correct_phone = MobilePhoneField(required=False)
    is_representative = forms.BooleanField(
        label=_("Я — законный представитель и подаю обращение от имени представляемого лица"),
        required=False,
    )
    representative_name = forms.CharField(
        label=_("ФИО законного представителя"),
        max_length=255,
        required=False,
        validators=[validate_person_name],
    )
    representative_basis_type = forms.CharField(
        label=_("Документ, подтверждающий полномочия"),
        max_length=255,
        required=False,
        help_text=_("Например: свидетельство о рождении, решение органа опеки, доверенность."),
    )
    representative_basis_number = forms.CharField(
        label=_("Серия и номер документа"), max_length=100, required=False
    )

    def __init__(self, *args, subject, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.subject = subject
        for field, label in self.CORRECTION_LABELS.items():
            current = getattr(subject, field) or _("не указано")
            self.fields[f"correct_{field}"].label = label
            # Help text is rendered as HTML: the person's own value goes in escaped.
            self.fields[f"correct_{field}"].help_text = format_html(gettext("Сейчас: {}."), current)

    def correction_fields(self) -> list[forms.BoundField]:
        return [self[f"correct_{field}"] for field in self.CORRECTION_LABELS]

    def representative_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "is_representative",
                "representative_name",
                "representative_basis_type",
                "representative_basis_number",
            )
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == SubjectRequest.Kind.BLOCKING and not cleaned.get("reason"):
            self.add_error("reason", _("Укажите, почему данные нужно заблокировать."))
        if kind != SubjectRequest.Kind.BLOCKING:
            cleaned["reason"] = ""
        if kind in (SubjectRequest.Kind.BLOCKING, SubjectRequest.Kind.OTHER) and not cleaned.get(
            "details"
        ):
            self.add_error("details", _("Опишите, что не так: без этого обращение не проверить."))
        if kind == SubjectRequest.Kind.CORRECTION:
            for field in self.CORRECTION_LABELS:
                value = cleaned.get(f"correct_{field}")
                if value and value == getattr(self.subject, field):
                    self.add_error(f"correct_{field}", _("Так и указано сейчас."))
            # A value refused next to its field already says what is wrong.
            refused = any(self.has_error(f"correct_{field}") for field in self.CORRECTION_LABELS)
            if not self.corrections and not refused:
                self.add_error(
                    None,
                    _(
                        "Укажите хотя бы одно значение, которое нужно исправить, "
                        "и каким оно должно быть."
                    ),
                )
        if cleaned.get("is_representative"):
            for name in ("representative_name", "representative_basis_type"):
                if not cleaned.get(name):
                    self.add_error(name, _("Обязательное поле для законного представителя."))
        return cleaned

    @property
    def corrections(self) -> dict[str, str]:
        """{field: the value it should have}, for a correction request; empty otherwise."""
        if self.cleaned_data.get("kind") != SubjectRequest.Kind.CORRECTION:
            return {}
        return {
            field: value
            for field in self.CORRECTION_LABELS
            if (value := self.cleaned_data.get(f"correct_{field}"))
            and value != getattr(self.subject, field)
        }

    @property
    def filing(self) -> dict:
        """The keyword arguments of `subject_request_file` this form stands for."""
        data = self.cleaned_data
        representative = data.get("is_representative")
        return {
            "kind": data["kind"],
            "reason": data["reason"],
            "details": data["details"],
            "corrections": self.corrections,
            "filed_by": SubjectRequest.FiledBy.REPRESENTATIVE
            if representative
            else SubjectRequest.FiledBy.SUBJECT,
            "representative_name": data["representative_name"] if representative else "",
            "representative_basis_type": data["representative_basis_type"]
            if representative
            else "",
            "representative_basis_number": data["representative_basis_number"]
            if representative
            else "",
        }
