"""The feedback form and the rating form. They validate; services act."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.forms import MobilePhoneField
from accounts.models import User
from feedback.models import FeedbackMessage
from feedback.services import Guest, RatedWork
from lkk.validators import validate_person_name, validate_single_line

GUEST_FIELDS = ("guest_name", "guest_email", "guest_phone", "consent")


class FeedbackForm(forms.Form):
    """A message or a written claim. A signed-in consumer is known by their account; a guest
    gives a name and a way to answer them, and consents to the processing of what they type."""

    kind = forms.ChoiceField(
        label=_("Вид обращения"),
        choices=[
            (FeedbackMessage.Kind.QUESTION, _("Вопрос, предложение или отзыв")),
            (FeedbackMessage.Kind.CLAIM, _("Письменная претензия")),
        ],
        initial=FeedbackMessage.Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Тема"), max_length=200, validators=[validate_single_line])
    text = forms.CharField(
        label=_("Текст обращения"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "До 5000 знаков. Если вопрос о лицевом счёте, укажите его номер и адрес объекта."
        ),
    )
    guest_name = forms.CharField(
        label=_("Фамилия, имя, отчество"),
        max_length=255,
        validators=[validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    guest_email = forms.EmailField(
        label=_("Электронная почта"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("На этот адрес придёт ответ."),
    )
    guest_phone = MobilePhoneField(
        label=_("Мобильный телефон"),
        required=False,
        help_text=_("Если удобнее, чтобы мы позвонили. Например: +7 916 123-45-67."),
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _(
                "Без согласия на обработку персональных данных мы не сможем принять и "
                "рассмотреть обращение: отметьте его или войдите в личный кабинет."
            )
        },
    )
    # A trap for bots, which fill in every field they find; people never see it (site.css).
    website = forms.CharField(
        label=_("Не заполняйте это поле"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.is_guest = not user.is_authenticated
        if not self.is_guest:
            for name in GUEST_FIELDS:
                del self.fields[name]
            return
        # The label holds a link: built per form, once URLs can be reversed. A new tab keeps
        # the half-filled form.
        self.fields["consent"].label = format_html(
            '{} (<a href="{}" target="_blank" rel="noopener">{}</a>)',
            _("Я даю согласие на обработку моих персональных данных для ответа на обращение"),
            reverse("feedback:consent"),
            _("текст согласия"),
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _(
                    "Обращение не отправлено: поле «Не заполняйте это поле» должно остаться "
                    "пустым. Очистите его и отправьте снова."
                ),
                code="honeypot",
            )
        if self.is_guest and "guest_email" not in self.errors and "guest_phone" not in self.errors:
            email, phone = cleaned.get("guest_email"), cleaned.get("guest_phone")
            if cleaned.get("kind") == FeedbackMessage.Kind.CLAIM and not email:
                self.add_error(
                    "guest_email",
                    _(
                        "Для письменной претензии укажите адрес электронной почты: на него "
                        "придёт письменный ответ."
                    ),
                )
            elif not email and not phone:
                self.add_error(
                    "guest_email",
                    _(
                        "Укажите адрес электронной почты или мобильный телефон — иначе мы не "
                        "сможем вам ответить."
                    ),
                )
        return cleaned

    def clean_guest_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["guest_email"])

    def guest(self, *, ip_address: str | None, user_agent: str) -> Guest | None:
        """The guest as typed in, with where the consent came from; None for a consumer."""
        if not self.is_guest:
            return None
        return Guest(
            name=self.cleaned_data["guest_name"],
            email=self.cleaned_data["guest_email"],
            phone=self.cleaned_data["guest_phone"],
            ip_address=ip_address,
            user_agent=user_agent,
        )


class SpecialistRatingForm(forms.Form):
    """A score from 1 to 5 and a comment, once, for completed work, by its owner."""

    score = forms.TypedChoiceField(
        label=_("Ваша оценка"),
        choices=[
            (5, _("5 — отлично")),
            (4, _("4 — хорошо")),
            (3, _("3 — удовлетворительно")),
            (2, _("2 — плохо")),
            (1, _("1 — очень плохо")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Комментарий"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Необязательно. Что было хорошо, что можно улучшить."),
    )

    def __init__(self, *args, author, work: RatedWork, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.author = author
        self.work = work

    def clean(self) -> dict:
        cleaned = super().clean()
        refusal = self.work.refusal(author=self.author)
        if refusal is not None:
            raise forms.ValidationError(refusal, code="refused")
        return cleaned
