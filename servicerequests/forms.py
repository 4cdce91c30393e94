"""The request form, built per kind from its declared fields, and the author's comment form.
They validate; services act."""

import datetime
import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.forms import MobilePhoneField
from billing.models import AccountLink, PersonalAccount
from lkk.russian import plural
from meters.models import Meter
from servicerequests.files import CheckedFile, FileRefused, file_check
from servicerequests.models import Field, RequestKind
from workcalendar.terms import moscow_date

# How far ahead a consumer may ask for a visit, and how far back a recalculation or a claim goes.
VISIT_HORIZON_DAYS = 60
MONTHS_BACK = 12
ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once, each checked by content (`servicerequests.files`)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedFile]:
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(file_check(upload))
            except FileRefused as refused:
                errors.append(refused.message)
        if errors:
            raise forms.ValidationError(errors)
        if len(checked) > settings.SERVICE_REQUEST_FILES_MAX:
            raise forms.ValidationError(
                _("Можно приложить не больше %(max)d %(files)s.")
                % {
                    "max": settings.SERVICE_REQUEST_FILES_MAX,
                    "files": plural(
                        settings.SERVICE_REQUEST_FILES_MAX, "файла", "файлов", "файлов"
                    ),
                }
            )
        return checked


def files_help() -> str:
    return _("JPEG, PNG или PDF, до %(count)d %(files)s, каждый до %(size)s.") % {
        "count": settings.SERVICE_REQUEST_FILES_MAX,
        "files": plural(settings.SERVICE_REQUEST_FILES_MAX, "файла", "файлов", "файлов"),
        "size": filesizeformat(settings.SERVICE_REQUEST_FILE_MAX_MB * 1024 * 1024),
    }


def month_choices(today: datetime.date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    choices = []
    for _step in range(MONTHS_BACK):
        choices.append((first.isoformat(), date_format(first, "F Y").lower()))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class MeterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meter) -> str:
        return _("№ %(serial)s — лицевой счёт %(account)s, %(address)s") % {
            "serial": obj.serial_number,
            "account": obj.account.number,
            "address": obj.account.address,
        }


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PersonalAccount) -> str:
        return f"{obj.number} — {obj.address}"


class ServiceRequestForm(forms.Form):
    """The fields of one kind, in the order of the declared set; the key against double submits."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    meter = MeterChoiceField(
        label=_("Прибор учёта"),
        queryset=Meter.objects.none(),
        empty_label=_("— выберите счётчик —"),
        error_messages={
            "required": _("Выберите прибор учёта."),
            "invalid_choice": _("Такого счётчика нет среди счётчиков ваших лицевых счетов."),
        },
    )
    account = AccountChoiceField(
        label=_("Лицевой счёт"),
        queryset=PersonalAccount.objects.none(),
        empty_label=_("— выберите лицевой счёт —"),
        error_messages={
            "required": _("Выберите лицевой счёт."),
            "invalid_choice": _("Этот лицевой счёт не привязан к вашему кабинету."),
        },
    )
    visit_from = forms.DateField(
        label=_("Первый удобный день визита"),
        widget=DateInput(),
        error_messages={"required": _("Укажите, с какого дня вам удобен визит.")},
    )
    visit_to = forms.DateField(
        label=_("Последний удобный день визита"),
        widget=DateInput(),
        error_messages={"required": _("Укажите, по какой день вам удобен визит.")},
    )
    contact_phone = MobilePhoneField(label=_("Контактный телефон"))
    months = forms.TypedMultipleChoiceField(
        label=_("Месяцы перерасчёта"),
        coerce=datetime.date.fromisoformat,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы один месяц.")},
    )
    claimant_name = forms.CharField(
        label=_("Фамилия, имя, отчество заявителя"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    address = forms.CharField(
        label=_("Адрес, где нарушено электроснабжение"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    violation_started_at = forms.DateTimeField(
        label=_("Когда нарушение началось"),
        widget=DateTimeInput(),
        error_messages={"required": _("Укажите дату и время начала нарушения.")},
    )
    violation_ended_at = forms.DateTimeField(
        label=_("Когда закончилось"),
        widget=DateTimeInput(),
        required=False,
        help_text=_("Оставьте пустым, если нарушение продолжается."),
    )
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    # The metaclass moves declared fields into `base_fields`: no class attribute shadows
    # BaseForm.files, which mypy cannot see.
    files = FilesField(label=_("Фотографии или документы"))  # type: ignore[assignment]

    def __init__(self, *args, kind: RequestKind, user, meter: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.today = moscow_date(timezone.now())
        used: dict[str, tuple[str, ...]] = {
            Field.VISIT_DATES: ("visit_from", "visit_to"),
            Field.VIOLATION_PERIOD: ("violation_started_at", "violation_ended_at"),
        }
        keep = {"submission_key", "files"}
        for field in kind.fields:
            keep.update(used.get(field, (field,)))
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        accounts = PersonalAccount.objects.filter(
            links__in=AccountLink.objects.active().filter(user=user)
        ).order_by("number")
        if isinstance(meter_field := self.fields.get("meter"), forms.ModelChoiceField):
            meter_field.queryset = (
                Meter.objects.active().filter(account__in=accounts).select_related("account")
            )
        if isinstance(account_field := self.fields.get("account"), forms.ModelChoiceField):
            account_field.queryset = accounts
        if isinstance(months_field := self.fields.get("months"), forms.ChoiceField):
            months_field.choices = month_choices(self.today)
        if "text" in self.fields:
            self.fields["text"].label = kind.text_label or _("Комментарий")
            self.fields["text"].required = kind.text_required
            self.fields["text"].error_messages["required"] = _("Заполните поле «%(label)s».") % {
                "label": self.fields["text"].label
            }
        if "contact_phone" in self.fields:
            self.fields["contact_phone"].initial = user.phone
            self.fields["contact_phone"].error_messages["required"] = _(
                "Укажите телефон: специалист позвонит, чтобы договориться о визите."
            )
        if "claimant_name" in self.fields:
            self.fields["claimant_name"].initial = user.get_full_name()
        self.fields["files"].help_text = files_help()
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
            self._preselect_meter(meter)

    def _preselect_meter(self, value: str | None) -> None:
        """`?meter=<pk>` from a meter's page chooses it in advance, if it is one of the
        consumer's active meters; anything else leaves the choice empty."""
        meter_field = self.fields.get("meter")
        if not (value and value.isascii() and value.isdigit() and len(value) <= 18):
            return  # not a key at all (and no number too big for the database's bigint)
        if not isinstance(meter_field, forms.ModelChoiceField):
            return
        if meter_field.queryset is not None and meter_field.queryset.filter(pk=int(value)).exists():
            self.initial["meter"] = int(value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("visit_from"), cleaned.get("visit_to")
        if start and start <= self.today:
            self.add_error("visit_from", _("Визит можно назначить не раньше завтрашнего дня."))
        elif start and end and end < start:
            self.add_error("visit_to", _("Последний удобный день не может быть раньше первого."))
        elif end and end > self.today + datetime.timedelta(days=VISIT_HORIZON_DAYS):
            self.add_error(
                "visit_to",
                _("Визит можно запланировать не дальше чем на %(days)d %(day_word)s вперёд.")
                % {
                    "days": VISIT_HORIZON_DAYS,
                    "day_word": plural(VISIT_HORIZON_DAYS, "день", "дня", "дней"),
                },
            )
        began, ended = cleaned.get("violation_started_at"), cleaned.get("violation_ended_at")
        now = timezone.now()
        if began and began > now:
            self.add_error("violation_started_at", _("Начало нарушения не может быть в будущем."))
        elif began and began < now - datetime.timedelta(days=365):
            self.add_error(
                "violation_started_at",
                _("Претензия принимается о нарушениях за последний год."),
            )
        if ended and ended > now:
            self.add_error("violation_ended_at", _("Окончание нарушения не может быть в будущем."))
        elif began and ended and ended < began:
            self.add_error(
                "violation_ended_at", _("Нарушение не может закончиться раньше, чем началось.")
            )
        return cleaned

    def request_fields(self) -> dict[str, Any]:
        """The model's columns from what was cleaned (the key and the files go separately)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("submission_key", "files")
            and not (value is None or value == "" or value == [])
        }


class AddToRequestForm(forms.Form):
    """A comment and/or files added by the author while the request is open."""

    comment = forms.CharField(
        label=_("Комментарий"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = FilesField(label=_("Файлы"))  # type: ignore[assignment]  # as above

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = files_help()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not cleaned.get("comment", "").strip() and not cleaned.get("files"):
            raise forms.ValidationError(_("Напишите комментарий или выберите файл."))
        return cleaned
