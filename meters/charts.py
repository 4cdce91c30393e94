"""The monthly consumption chart of a meter: bars per month, one colour per zone, drawn on the
server as SVG by the visits app's chart geometry (no scripts). The same numbers are in the
table beside it."""

from meters.models import Meter, MonthlyVolume
from visits.charts import BLUE, ORANGE, PURPLE, Chart, Series, daily_chart

ZONE_COLORS = {1: BLUE, 2: PURPLE, 3: ORANGE}


def consumption_chart(meter: Meter, volumes: list[MonthlyVolume]) -> Chart:
    """`volumes` oldest first, at most 36 months."""
    return daily_chart(
        title=f"Расход по месяцам, кВт·ч — счётчик № {meter.serial_number}",
        days=[volume.month for volume in volumes],
        stacked=[
            Series(
                meter.zone_name(zone).capitalize(),
                ZONE_COLORS[zone],
                [
                    float(v) if (v := volume.volume(zone)) is not None else None
                    for volume in volumes
                ],
            )
            for zone in meter.zone_numbers
        ],
        label_format="%m.%Y",
    )
