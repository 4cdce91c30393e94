"""Forms of the PD-requests desk. They validate; the state machine and the services act."""

import datetime

from django import forms
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import EmailAddressField, MobilePhoneField
from accounts.models import User
from accounts.services import PERSONAL_DATA_FIELDS
from pdrequests.models import Action, SubjectRequest
from pdrequests.workflow import STEPS
from staff.roles import WORK_REQUESTS
from workcalendar.terms import moscow_date

COMMENT_HELP = _("Что сделано и на каком основании. Видно в истории обращения и аудитору.")
# How the desk names each item of the person's data (the model's own names).
FIELD_LABELS = {field: User._meta.get_field(field).verbose_name for field in PERSONAL_DATA_FIELDS}


def request_workers() -> QuerySet[User]:
    """Active staff allowed to work PD requests: the assignees one can choose."""
    app_label, codename = WORK_REQUESTS.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class TransitionForm(forms.Form):
    """What an action needs from the person taking it: always a comment, and per action the
    assignee, the corrected values, or the answer to the applicant."""

    comment = forms.CharField(
        label=_("Комментарий"),
        help_text=COMMENT_HELP,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Напишите комментарий: без него действие не выполняется.")},
    )

    def __init__(self, *args, action: Action, subject_request: SubjectRequest, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.subject_request = subject_request
        step = STEPS[action]
        comment = self.fields["comment"]
        comment.label = step.comment_label or comment.label
        if step.asks == "assignee":
            self.fields["assignee"] = forms.ModelChoiceField(
                label=_("Исполнитель"),
                queryset=request_workers(),
                empty_label=None,
                error_messages={"invalid_choice": _("Выберите исполнителя из списка.")},
            )
        elif step.asks == "changes":
            self._add_correction_fields()
        elif step.asks == "answer":
            self.fields["answer"] = forms.CharField(
                label=_("Ответ заявителю"),
                help_text=_("Его увидят в личном кабинете и в письме.")
                if subject_request.subject_id
                else _("У субъекта нет учётной записи: направьте ответ по адресу из документа."),
                max_length=8000,
                widget=forms.Textarea(attrs={"rows": 8}),
                error_messages={"required": _("Напишите ответ заявителю.")},
            )
        elif step.asks == "position":
            self.fields["position"] = forms.CharField(
                label=_("Ваша должность"),
                help_text=_("Указывается в акте об уничтожении (приказ Роскомнадзора № 179)."),
                max_length=255,
                error_messages={"required": _("Укажите должность: она нужна для акта.")},
            )
            self.fields["confirm"] = forms.BooleanField(
                label=_("Понимаю, что персональные данные субъекта будут уничтожены безвозвратно"),
                error_messages={"required": _("Подтвердите уничтожение отметкой.")},
            )

    def _add_correction_fields(self) -> None:
        """One field per item of personal data: the value asked for, else the current one."""
        subject = self.subject_request.subject
        asked = {c["field"]: c["requested"] for c in self.subject_request.corrections}
        for field in PERSONAL_DATA_FIELDS:
            label = _("Новое значение: %(field)s") % {"field": FIELD_LABELS[field]}
            if field == "email":  # the login: an account cannot be without it
                form_field = EmailAddressField(label=label)
            elif field == "phone":
                form_field = MobilePhoneField(label=label, required=False)
            else:
                max_length = User._meta.get_field(field).max_length
                form_field = forms.CharField(label=label, required=False, max_length=max_length)
            form_field.initial = asked.get(field, getattr(subject, field))
            # Help text is rendered as HTML: the person's own value goes in escaped.
            form_field.help_text = format_html(
                gettext("Сейчас: {}."), getattr(subject, field) or _("не указано")
            )
            self.fields[f"new_{field}"] = form_field

    def correction_changes(self) -> dict[str, str]:
        subject = self.subject_request.subject
        return {
            field: self.cleaned_data[f"new_{field}"]
            for field in PERSONAL_DATA_FIELDS
            if self.cleaned_data[f"new_{field}"] != getattr(subject, field)
        }

    def transition_data(self) -> dict:
        """The keyword arguments of `subject_request_transition` beyond the comment: what the
        action asks for (`Step.asks`), a confirmation aside."""
        asks = STEPS[self.action].asks
        if asks == "changes":
            return {"changes": self.correction_changes()}
        if asks in ("assignee", "answer", "position"):
            return {asks: self.cleaned_data[asks]}
        return {}


class AuthorityRequestForm(forms.Form):
    """A request Roskomnadzor sent by letter, registered by staff on its behalf."""

    KINDS = [
        (kind.value, kind.label)
        for kind in SubjectRequest.Kind
        if kind != SubjectRequest.Kind.WITHDRAWAL  # a consent is withdrawn by its subject
    ]

    subject_email = EmailAddressField(
        label=_("Адрес электронной почты субъекта (учётной записи в ЛКК)"),
        error_messages={"required": _("Укажите адрес учётной записи субъекта.")},
    )
    kind = forms.ChoiceField(label=_("Вид обращения"), choices=KINDS)
    reason = forms.ChoiceField(
        label=_("Основание блокирования"),
        choices=[("", "—"), *SubjectRequest.Reason.choices],
        required=False,
        help_text=_("Только для блокирования."),
    )
    details = forms.CharField(
        label=_("Суть требования"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Перескажите требование органа.")},
    )
    authority_letter_number = forms.CharField(
        label=_("Номер входящего письма"),
        max_length=100,
        error_messages={"required": _("Укажите номер письма Роскомнадзора.")},
    )
    authority_email = EmailAddressField(
        label=_("Адрес органа для ответа"),
        help_text=_(
            "Электронная почта из письма Роскомнадзора: письма о запросе уходят туда, а "
            "субъекту — только то, что требует закон (уточнение, снятие блокирования, "
            "уничтожение)."
        ),
        error_messages={"required": _("Укажите адрес Роскомнадзора для ответа.")},
    )
    authority_letter_date = forms.DateField(
        label=_("Дата письма"),
        help_text=_("ДД.ММ.ГГГГ"),
        error_messages={
            "required": _("Укажите дату письма."),
            "invalid": _("Введите дату в виде ДД.ММ.ГГГГ."),
        },
    )

    def clean_subject_email(self) -> User:
        email = self.cleaned_data["subject_email"]
        subject = User.objects.filter(email=email).first()
        if subject is None:
            raise forms.ValidationError(_("Учётной записи с таким адресом нет."))
        return subject

    def clean_authority_letter_date(self) -> datetime.date:
        date = self.cleaned_data["authority_letter_date"]
        if date > moscow_date(timezone.now()):
            raise forms.ValidationError(_("Дата письма не может быть позже сегодняшней."))
        return date

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == SubjectRequest.Kind.BLOCKING:
            if not cleaned.get("reason"):
                self.add_error("reason", _("Укажите основание блокирования."))
        else:
            cleaned["reason"] = ""
        return cleaned


class JournalExportForm(forms.Form):
    """The period of an inspector's journal: requests received from one date to another."""

    FORMATS = [("xlsx", _("Excel (XLSX)")), ("csv", _("CSV (разделитель «;»)"))]

    received_from = forms.DateField(
        label=_("Получены с"),
        help_text=_("ДД.ММ.ГГГГ"),
        error_messages={
            "required": _("Укажите начало периода."),
            "invalid": _("Введите дату в виде ДД.ММ.ГГГГ."),
        },
    )
    received_to = forms.DateField(
        label=_("Получены по"),
        help_text=_("ДД.ММ.ГГГГ, включительно"),
        error_messages={
            "required": _("Укажите конец периода."),
            "invalid": _("Введите дату в виде ДД.ММ.ГГГГ."),
        },
    )
    file_format = forms.ChoiceField(label=_("Формат"), choices=FORMATS, initial="xlsx")

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("Конец периода раньше его начала."))
        return cleaned


class ReceivedRequestForm(forms.Form):
    """A request or a consent withdrawal that came on paper or by email, registered by staff for
    a person with or without a portal account."""

    VIA = [
        (via.value, via.label)
        for via in SubjectRequest.ReceivedVia
        if via != SubjectRequest.ReceivedVia.PORTAL
    ]
    FILED_BY = [
        (who.value, who.label)
        for who in SubjectRequest.FiledBy
        if who != SubjectRequest.FiledBy.AUTHORITY  # Roskomnadzor's letters have their own form
    ]

    received_via = forms.ChoiceField(
        label=_("Как получено"), choices=VIA, widget=forms.RadioSelect, initial="paper"
    )
    document_number = forms.CharField(
        label=_("Входящий номер документа"),
        max_length=100,
        error_messages={"required": _("Укажите входящий номер документа.")},
    )
    document_date = forms.DateField(
        label=_("Дата документа"),
        help_text=_(
            "ДД.ММ.ГГГГ. Срок исполнения считается с регистрации: регистрируйте в день получения."
        ),
        error_messages={
            "required": _("Укажите дату документа."),
            "invalid": _("Введите дату в виде ДД.ММ.ГГГГ."),
        },
    )
    kind = forms.ChoiceField(label=_("Вид обращения"), choices=SubjectRequest.Kind.choices)
    reason = forms.ChoiceField(
        label=_("Основание блокирования"),
        choices=[("", "—"), *SubjectRequest.Reason.choices],
        required=False,
        help_text=_("Только для блокирования."),
    )
    subject_email = EmailAddressField(
        label=_("Адрес учётной записи субъекта в ЛКК"),
        required=False,
        help_text=_("Если у субъекта есть учётная запись. Иначе укажите ФИО и адрес для ответа."),
    )
    applicant_name = forms.CharField(
        label=_("ФИО субъекта (без учётной записи)"), max_length=255, required=False
    )
    applicant_contact = forms.CharField(
        label=_("Адрес для ответа"),
        max_length=500,
        required=False,
        help_text=_("Почтовый адрес или электронная почта из документа."),
    )
    filed_by = forms.ChoiceField(
        label=_("Кто подал"), choices=FILED_BY, initial=SubjectRequest.FiledBy.SUBJECT
    )
    representative_name = forms.CharField(
        label=_("Законный представитель (ФИО)"), max_length=255, required=False
    )
    representative_basis_type = forms.CharField(
        label=_("Документ-основание полномочий"), max_length=255, required=False
    )
    representative_basis_number = forms.CharField(
        label=_("Номер документа-основания"), max_length=100, required=False
    )
    details = forms.CharField(
        label=_("Суть обращения"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Перескажите, что просит заявитель.")},
    )

    def clean_document_date(self) -> datetime.date:
        date = self.cleaned_data["document_date"]
        if date > moscow_date(timezone.now()):
            raise forms.ValidationError(_("Дата документа не может быть позже сегодняшней."))
        return date

    def clean(self) -> dict:
        cleaned = super().clean()
        email = cleaned.get("subject_email")
        cleaned["subject"] = None
        if email:
            cleaned["subject"] = User.objects.filter(email=email).first()
            if cleaned["subject"] is None:
                self.add_error(
                    "subject_email",
                    _("Учётной записи с таким адресом нет: оставьте поле пустым и укажите ФИО."),
                )
            cleaned["applicant_name"] = cleaned["applicant_contact"] = ""
        else:
            if not cleaned.get("applicant_name"):
                self.add_error("applicant_name", _("Укажите ФИО субъекта."))
            if not cleaned.get("applicant_contact"):
                self.add_error("applicant_contact", _("Укажите, куда направить ответ."))
        if cleaned.get("kind") == SubjectRequest.Kind.BLOCKING:
            if not cleaned.get("reason"):
                self.add_error("reason", _("Укажите основание блокирования."))
        else:
            cleaned["reason"] = ""
        if cleaned.get("filed_by") == SubjectRequest.FiledBy.REPRESENTATIVE:
            if not cleaned.get("representative_name"):
                self.add_error("representative_name", _("Укажите ФИО представителя."))
            if not cleaned.get("representative_basis_type"):
                self.add_error(
                    "representative_basis_type", _("Укажите документ, дающий полномочия.")
                )
        else:
            cleaned["representative_name"] = ""
            cleaned["representative_basis_type"] = cleaned["representative_basis_number"] = ""
        return cleaned

    def registration_data(self) -> dict:
        """The keyword arguments of `subject_request_register` beyond who registers it."""
        data = dict(self.cleaned_data)
        del data["subject_email"]
        return data
