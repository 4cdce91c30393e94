"""The meters block of the account page and the reminders setting of «Мои данные»: included
by those pages' templates, so the billing and accounts apps need not know about meters."""

import datetime

from django import template
from django.db.models import Exists, OuterRef

from billing.models import PersonalAccount
from meters.forms import ReadingForm, ReminderPreferenceForm
from meters.models import Meter, Reading, ReminderPreference
from meters.services import meter_refusal
from meters.window import reading_window

register = template.Library()

# The next verification date is flagged from this many months before it.
VERIFICATION_WARNING_DAYS = 92


@register.inclusion_tag("meters/_account_meters.html")
def account_meters(account: PersonalAccount) -> dict:
    """Every meter of the account with its form, in one query whatever their number."""
    window = reading_window()
    meters = list(
        Meter.objects.filter(account=account)
        .annotate(
            reading_in=Exists(Reading.objects.filter(meter=OuterRef("pk"), period=window.period))
        )
        .order_by("status", "serial_number")
    )
    warn_from = window.today + datetime.timedelta(days=VERIFICATION_WARNING_DAYS)
    cards = []
    for meter in meters:
        meter.account = account  # the account is the page's: no query per meter
        refusal = meter_refusal(meter, window=window)
        cards.append(
            {
                "meter": meter,
                "refusal": refusal,
                "form": None if refusal else ReadingForm(meter=meter, averages={}),
                "verification_overdue": bool(
                    meter.verification_due and meter.verification_due < window.today
                ),
                "verification_soon": bool(
                    meter.verification_due and window.today <= meter.verification_due <= warn_from
                ),
            }
        )
    return {"cards": cards, "window": window}


@register.inclusion_tag("meters/_profile_reminders.html")
def reminder_setting(user) -> dict:
    enabled = not ReminderPreference.objects.filter(user=user, reminders=False).exists()
    return {"form": ReminderPreferenceForm(initial={"reminders": enabled})}
