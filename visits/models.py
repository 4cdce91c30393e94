"""Page views of the site (policy 3.3–3.4) and their daily aggregates for the statistics page."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A response slower than this counts as slow on the statistics page.
SLOW_RESPONSE_MS = 1000
PATH_MAX_LENGTH = 255
REFERRER_MAX_LENGTH = 255
BROWSER_MAX_LENGTH = 50


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a Moscow day (the site's time zone): statistics count Moscow days."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(day, time.min, tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone),
    )


def traffic_counts() -> dict[str, models.Aggregate]:
    """The aggregates every statistics row holds, for a day or for one page of a day."""
    return {
        "views": Count("pk"),
        "client_errors": Count("pk", filter=Q(status__gte=400, status__lt=500)),
        "server_errors": Count("pk", filter=Q(status__gte=500)),
        "slow_views": Count("pk", filter=Q(duration_ms__gte=SLOW_RESPONSE_MS)),
        "total_duration_ms": Sum("duration_ms", default=0),
        "max_duration_ms": Max("duration_ms", default=0),
    }


class VisitQuerySet(models.QuerySet):
    def for_user(self, user) -> "VisitQuerySet":
        """The subject's page views: what anonymizing or destroying their data must reach."""
        return self.filter(user=user)

    def on_day(self, day: date) -> "VisitQuerySet":
        start, end = day_bounds(day)
        return self.filter(time__gte=start, time__lt=end)

    def older_than(self, moment: datetime) -> "VisitQuerySet":
        return self.filter(time__lt=moment)

    def day_totals(self) -> dict[str, int]:
        return self.aggregate(**traffic_counts(), unique_ips=Count("ip", distinct=True))

    def page_totals(self) -> "VisitQuerySet":
        """One row of counts per path (dictionaries)."""
        return self.order_by().values("path").annotate(**traffic_counts())


class Visit(models.Model):
    """One page view. No query string and no cookie values: nothing typed into a form is kept."""

    time = models.DateTimeField(_("время"))
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    # Set to NULL by the database itself when the account is deleted: no Python-side pass over
    # millions of rows.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.DB_SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        db_index=False,  # a partial index below: most views are anonymous
    )
    path = models.CharField(
        _("страница"),
        max_length=PATH_MAX_LENGTH,
        help_text=_("Шаблон адреса страницы, без значений из адреса; адрес, если он не найден."),
    )
    referrer = models.CharField(_("откуда пришёл"), max_length=REFERRER_MAX_LENGTH, blank=True)
    browser = models.CharField(_("браузер"), max_length=BROWSER_MAX_LENGTH, blank=True)
    status = models.PositiveSmallIntegerField(_("код ответа"))
    duration_ms = models.PositiveIntegerField(_("время ответа, мс"))

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("посещение страницы")
        verbose_name_plural = _("посещения страниц")
        indexes = [
            # Statistics of a day, the live "today" figures and retention all scan by time.
            models.Index(fields=["time"], name="visits_visit_time_idx"),
            models.Index(
                fields=["user"], name="visits_visit_user_idx", condition=Q(user__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} {self.status}"


class TrafficCounts(models.Model):
    """Counts of one Moscow day, for the whole site or one page: the statistics page reads these."""

    day = models.DateField(_("день"))
    views = models.PositiveIntegerField(_("просмотры"), default=0)
    client_errors = models.PositiveIntegerField(_("ошибки 4xx"), default=0)
    server_errors = models.PositiveIntegerField(_("ошибки 5xx"), default=0)
    slow_views = models.PositiveIntegerField(_("медленные ответы"), default=0)
    total_duration_ms = models.BigIntegerField(_("суммарное время ответа, мс"), default=0)
    max_duration_ms = models.PositiveIntegerField(_("наибольшее время ответа, мс"), default=0)

    class Meta:
        abstract = True

    @property
    def avg_duration_ms(self) -> int:
        return round(self.total_duration_ms / self.views) if self.views else 0


class DailyVisitStats(TrafficCounts):
    """The whole site's day, rebuilt by `manage.py aggregate_visits`."""

    unique_ips = models.PositiveIntegerField(_("уникальные IP-адреса"), default=0)

    class Meta:
        verbose_name = _("статистика дня")
        verbose_name_plural = _("статистика по дням")
        constraints = [models.UniqueConstraint(fields=["day"], name="visits_dailyvisitstats_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.views}"

    @property
    def client_error_percent(self) -> float:
        return 100 * self.client_errors / self.views if self.views else 0.0

    @property
    def server_error_percent(self) -> float:
        return 100 * self.server_errors / self.views if self.views else 0.0


class DailyPageStats(TrafficCounts):
    """One page's day. Pages outside a day's leaders are summed under an empty path."""

    path = models.CharField(_("страница"), max_length=PATH_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("статистика страницы за день")
        verbose_name_plural = _("статистика страниц по дням")
        constraints = [
            models.UniqueConstraint(fields=["day", "path"], name="visits_dailypagestats_day_path")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.path}: {self.views}"
