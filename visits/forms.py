from django import forms

from visits.statistics import DEFAULT_PERIOD_DAYS, PERIOD_DAYS


class StatisticsPeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Период",
        choices=[(days, f"последние {days} дней") for days in PERIOD_DAYS],
        coerce=int,
        initial=DEFAULT_PERIOD_DAYS,
    )

    def period_days(self) -> int:
        """The chosen period; the default one when nothing (valid) was chosen."""
        return self.cleaned_data["days"] if self.is_valid() else DEFAULT_PERIOD_DAYS
