"""Letters of the meters app, sent in the background by `django.tasks` after commit: the receipt
of a reading and the reminder to pass one. They take ids, not addresses (see `lkk.letters`)."""

import datetime

from lkk.letters import WhenBlocked, greeting_name, letter_send, letter_task, site_link


@letter_task(when_blocked=WhenBlocked.DROP)  # the receipt is on its page
def reading_receipt_send(*, reading_id: int) -> None:
    """The receipt: number, meter, values and period, to the consumer's account address."""
    from meters.models import Reading

    reading = (
        Reading.objects.select_related("user", "meter", "meter__account")
        .filter(pk=reading_id)
        .first()
    )
    if reading is None or not reading.user.is_active:
        return
    meter = reading.meter
    letter_send(
        to=reading.user,
        subject=f"Показания приняты, № {reading.number}",
        template="emails/meters/receipt",
        reading=reading,
        meter=meter,
        values=[
            (meter.zone_name(zone), meter.shown(reading.value(zone))) for zone in meter.zone_numbers
        ],
        name=greeting_name(reading.user),
        link=site_link("meters:receipt", reading.number),
    )


@letter_task(when_blocked=WhenBlocked.DROP)
def reading_reminder_send(*, user_id: int, period: str) -> None:
    """A reminder that this period's readings are not in yet; rechecked when it goes out."""
    from meters.services import reminder_recipients
    from meters.window import reading_window

    window = reading_window()
    if window.period.isoformat() != period or not window.is_open:
        return  # the window closed meanwhile: a reminder now would mislead
    user = reminder_recipients(window).filter(pk=user_id).first()
    if user is None:
        return  # passed the readings, turned reminders off, or blocked since
    letter_send(
        to=user,
        subject="Пора передать показания счётчика",
        template="emails/meters/reminder",
        name=greeting_name(user),
        period=datetime.date.fromisoformat(period),
        closes=window.closes,
        link=site_link("billing:dashboard"),
        settings_link=site_link("accounts:profile"),
    )
