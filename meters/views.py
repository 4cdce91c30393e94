"""The consumer's pages: pass a reading (form → confirmation with an estimate → receipt), a
meter's history with its chart, the history as CSV, and the reminders setting."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lkk.request_info import client_ip
from lkk.spreadsheets import SafeCsvWriter
from meters import charts, services
from meters.forms import ReadingForm, ReminderPreferenceForm
from meters.models import Meter, MonthlyVolume, Reading
from meters.window import reading_window

HISTORY_PAGE_SIZE = 24
CHART_MONTHS = 36


def _own_meter(request: HttpRequest, pk: int) -> Meter:
    """A meter of an account the consumer holds now; anyone else's is simply not found."""
    return get_object_or_404(services.meters_of(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def reading_pass(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1 checks the values and shows the confirmation with the estimate; step 2 (the
    «Отправить» button, `send`) checks them again and stores the reading."""
    meter = _own_meter(request, pk)
    window = reading_window()
    refusal = services.meter_refusal(meter, window=window)
    context = {"meter": meter, "window": window, "refusal": refusal}
    if refusal:
        return render(request, "meters/reading_form.html", context, status=200)
    averages = services.monthly_averages(meter, before=window.period)
    form = ReadingForm(
        request.POST if request.method == "POST" else None, meter=meter, averages=averages
    )
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        if "send" not in request.POST:
            context["estimate"] = services.estimate(meter, form.lines.values(), on=window.today)
            return render(request, "meters/reading_confirm.html", context)
        try:
            reading = services.reading_submit(
                meter=meter,
                user=request.user,
                values=form.values,
                ip_address=client_ip(request),
                jump_confirmed=bool(form.jumps) and form.cleaned_data["confirm_jump"],
                rollover=form.rollover,
            )
        except services.ReadingRefused as error:
            form.add_error(None, str(error))
        else:
            return redirect("meters:receipt", number=reading.number)
    # A value below the previous one may mean a new meter: the page points to a request.
    context["meter_replaced_hint"] = any(
        form.has_error(f"t{zone}", code="below_previous") for zone in meter.zone_numbers
    )
    return render(request, "meters/reading_form.html", context)


@login_required
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    reading = get_object_or_404(
        services.with_status(Reading.objects.select_related("meter", "meter__account")),
        number=number,
        user=request.user,
    )
    meter = reading.meter
    return render(
        request,
        "meters/receipt.html",
        {
            "reading": reading,
            "meter": meter,
            "values": [
                (meter.zone_name(z), meter.shown(reading.value(z))) for z in meter.zone_numbers
            ],
            "status": services.reading_status(reading),
        },
    )


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    meter = _own_meter(request, pk)
    readings = services.with_status(meter.readings.order_by("-submitted_at", "-pk"))
    page = Paginator(readings, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "reading": reading,
            "values": [meter.shown(reading.value(z)) for z in meter.zone_numbers],
            "status": services.reading_status(reading),
        }
        for reading in page
    ]
    volumes = list(MonthlyVolume.objects.filter(meter=meter).order_by("-month")[:CHART_MONTHS])
    volumes.reverse()
    return render(
        request,
        "meters/history.html",
        {
            "meter": meter,
            "page": page,
            "rows": rows,
            "zones": [meter.zone_name(z) for z in meter.zone_numbers],
            "volumes": [
                {
                    "volume": v,
                    "values": [
                        services.kwh(value) if (value := v.volume(z)) is not None else None
                        for z in meter.zone_numbers
                    ],
                }
                for v in reversed(volumes)
            ],
            "chart": charts.consumption_chart(meter, volumes) if volumes else None,
            "window": reading_window(),
        },
    )


class _Echo:
    """csv.writer into a streaming response: each row is returned, not kept."""

    def write(self, value: str) -> str:
        return value


@login_required
def history_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The full history, streamed: UTF-8 with BOM and `;`, as Excel opens it."""
    meter = _own_meter(request, pk)
    writer = SafeCsvWriter(_Echo(), delimiter=";")
    rows = (writer.writerow(row) for row in services.history_rows(meter))
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="pokazaniya-{meter.serial_number}.csv"'
    return response


@login_required
@require_POST
def reminders(request: HttpRequest) -> HttpResponse:
    form = ReminderPreferenceForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    enabled = bool(form.cleaned_data.get("reminders"))
    services.reminders_set(user=request.user, enabled=enabled)
    messages.success(
        request,
        _("Напоминания о передаче показаний включены.")
        if enabled
        else _("Напоминания о передаче показаний отключены."),
    )
    return redirect("accounts:profile")
