"""Staff corrections to the production calendar: a new Government decree needs no release."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workcalendar.official import official_is_working_day


class CalendarOverrideQuerySet(models.QuerySet["CalendarOverride"]):
    def statuses_between(
        self, first: datetime.date, last: datetime.date
    ) -> dict[datetime.date, bool]:
        """`{date: is_working_day}` for the overrides from `first` to `last`, in one query."""
        return dict(self.filter(date__range=(first, last)).values_list("date", "is_working_day"))


class CalendarOverride(models.Model):
    """One day whose status differs from the `holidays` package's Russian calendar.

    Staff add one when a decree moves a day off that the installed package does not know yet
    (or knows wrongly); it takes precedence over the package.
    """

    date = models.DateField(_("дата"), unique=True)
    is_working_day = models.BooleanField(
        _("рабочий день"),
        default=False,
        help_text=_(
            "Отметьте, если в этот день работают (например, перенесённая рабочая суббота). "
            "Без отметки день нерабочий (например, выходной, перенесённый постановлением)."
        ),
    )
    reason = models.CharField(
        _("основание"),
        max_length=500,
        help_text=_(
            "Документ, по которому меняется день, например: «Постановление Правительства РФ "
            "от … № … „О переносе выходных дней в … году“»."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("внесено"), default=timezone.now, editable=False)

    objects = CalendarOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("исключение производственного календаря")
        verbose_name_plural = _("исключения производственного календаря")
        ordering = ["-date"]

    def __str__(self) -> str:
        kind = _("рабочий день") if self.is_working_day else _("нерабочий день")
        return f"{self.date:%d.%m.%Y} — {kind}"

    def clean(self) -> None:
        """Refuse an override that changes nothing: usually the checkbox was set the wrong way."""
        if self.date is None or self.is_working_day != official_is_working_day(self.date):
            return
        message = (
            _("По общему производственному календарю этот день и так рабочий.")
            if self.is_working_day
            else _("По общему производственному календарю этот день и так нерабочий.")
        )
        raise ValidationError({"is_working_day": message})
