from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meters import services
from meters.models import Meter


class ReadingForm(forms.Form):
    """One field per zone of the meter; every check answers next to its field.

    A consumption above METERS_JUMP_FACTOR times the monthly average is not refused: the form
    asks for `confirm_jump`, shown only once a jump has been found.
    """

    confirm_jump = forms.BooleanField(
        label=_("Показание верное: расход действительно такой"), required=False
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        meter: Meter,
        averages: dict[int, Decimal | None],
    ) -> None:
        super().__init__(data, prefix=f"m{meter.pk}")
        self.meter = meter
        self.averages = averages
        self.lines: dict[int, services.ZoneConsumption] = {}
        self.jumps: list[int] = []
        for zone in meter.zone_numbers:
            previous = meter.last_value(zone)
            self.fields[f"t{zone}"] = forms.CharField(
                label=_("%(zone)s (Т%(number)d)")
                % {"zone": meter.zone_name(zone).capitalize(), "number": zone},
                max_length=20,
                error_messages={
                    "required": _("Введите показание."),
                    "max_length": _("Слишком длинное число."),
                },
                help_text=_("Предыдущее учтённое: %(value)s от %(date)s.")
                % {
                    "value": services.kwh(previous),
                    "date": meter.last_value_date.strftime("%d.%m.%Y")
                    if meter.last_value_date
                    else "—",
                }
                if previous is not None
                else _("Учтённых показаний ещё нет."),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        # Last, after the zones.
        self.fields["confirm_jump"] = self.fields.pop("confirm_jump")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for zone in self.meter.zone_numbers:
            name = f"t{zone}"
            if name not in cleaned:
                continue
            try:
                value = services.parse_value(self.meter, cleaned[name])
                self.lines[zone] = services.zone_consumption(self.meter, zone, value)
            except ValidationError as error:
                self.add_error(name, error)
        if self.errors:
            return cleaned
        for zone, line in self.lines.items():
            if services.is_jump(line, self.averages.get(zone)):
                self.jumps.append(zone)
                if not cleaned.get("confirm_jump"):
                    average = self.averages[zone] or Decimal(0)
                    self.add_error(f"t{zone}", services.jump_message(line, average))
        return cleaned

    @property
    def asks_jump_confirmation(self) -> bool:
        return bool(self.jumps)

    @property
    def values(self) -> dict[int, Decimal]:
        return {zone: line.value for zone, line in self.lines.items()}

    @property
    def rollover(self) -> bool:
        return any(line.rollover for line in self.lines.values())


class ReminderPreferenceForm(forms.Form):
    reminders = forms.BooleanField(
        label=_("Напоминать по почте о передаче показаний счётчиков"),
        required=False,
        help_text=_(
            "Служебное уведомление: одно письмо за период, если показания ещё не переданы. "
            "Не зависит от согласия на рекламные рассылки."
        ),
    )
