"""Personal-data incidents (policy 5.3; 152-FZ art. 21 part 3.1) and who was told of them.

An incident is a loss or unlawful disclosure of personal data. From the moment it is detected
the operator has 24 hours to inform Roskomnadzor of it and 72 hours to report the results of its
investigation; the people affected are told by email and by a notice in the portal.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessLog
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User, subject_label
from incidents.subjects import subject_list_parse
from pdrequests.models import SubjectRequest

AUTHORITY_NOTICE_WITHIN = timedelta(hours=24)
INVESTIGATION_REPORT_WITHIN = timedelta(hours=72)


class DataCategory(models.TextChoices):
    """What the portal holds (policy 3.2–3.3, and what the cabinet adds)."""

    FULL_NAME = "full_name", _("фамилия, имя, отчество")
    PHONE = "phone", _("номер телефона")
    EMAIL = "email", _("адрес электронной почты")
    SUPPLY_ADDRESS = "supply_address", _("адрес объекта поставки")
    ACCOUNT = "account", _("лицевой счёт, показания и начисления")
    CREDENTIALS = "credentials", _("данные для входа в кабинет")
    VISITS = "visits", _("статистика посещений (IP-адрес, браузер, cookie)")
    REQUESTS = "requests", _("обращения и запросы")


@dataclass(frozen=True)
class Deadline:
    """A notice to Roskomnadzor due by `due_at`; `done_at` is when it was sent, if it was."""

    due_at: datetime
    done_at: datetime | None

    def is_overdue(self, now: datetime) -> bool:
        return self.done_at is None and now > self.due_at

    @property
    def was_late(self) -> bool:
        return self.done_at is not None and self.done_at > self.due_at


class IncidentQuerySet(models.QuerySet["Incident"]):
    def overdue(self, now: datetime) -> "IncidentQuerySet":
        """Incidents with a notice to Roskomnadzor past its deadline and still not sent."""
        return self.filter(
            Q(authority_notified_at__isnull=True, detected_at__lt=now - AUTHORITY_NOTICE_WITHIN)
            | Q(
                investigation_reported_at__isnull=True,
                detected_at__lt=now - INVESTIGATION_REPORT_WITHIN,
            )
        )

    def with_notification_progress(self) -> "IncidentQuerySet":
        """Adds `notified_count` (notices in the portal) and `emailed_count` (letters sent)."""
        return self.annotate(
            notified_count=Count("notifications"),
            emailed_count=Count("notifications", filter=Q(notifications__emailed_at__isnull=False)),
        )


class Incident(models.Model):
    """One incident in the register: what happened, to whose data, and what was done about it."""

    class Kind(models.TextChoices):
        LOSS = "loss", _("утрата")
        DISCLOSURE = "disclosure", _("разглашение, неправомерная передача или доступ")

    class Subjects(models.TextChoices):
        ALL = "all", _("все потребители")
        LIST = "list", _("список адресов электронной почты или номеров пользователей")
        LOGGED_IN = "logged_in", _("все, кто входил на портал в указанный период")

    title = models.CharField(_("краткое название"), max_length=200)
    kind = models.CharField(_("что произошло с данными"), max_length=20, choices=Kind.choices)
    description = models.TextField(
        _("описание инцидента"), help_text=_("Что произошло, как и когда обнаружено.")
    )
    detected_at = models.DateTimeField(
        _("выявлен"), help_text=_("От этого момента считаются сроки уведомления Роскомнадзора.")
    )
    data_categories = ArrayField(
        models.CharField(max_length=20, choices=DataCategory.choices),
        verbose_name=_("какие данные затронуты"),
    )
    subjects = models.CharField(
        _("чьи данные затронуты"), max_length=20, choices=Subjects.choices, default=Subjects.ALL
    )
    subject_list = models.TextField(
        _("список затронутых"),
        blank=True,
        help_text=_(
            "Адреса электронной почты или номера пользователей через пробел, запятую или "
            "с новой строки."
        ),
    )
    logged_in_from = models.DateTimeField(_("входили на портал с"), null=True, blank=True)
    logged_in_until = models.DateTimeField(_("по"), null=True, blank=True)
    causes = models.TextField(_("предполагаемые причины"), blank=True)
    harm = models.TextField(_("предполагаемый вред правам субъектов"), blank=True)
    measures = models.TextField(_("принятые меры по устранению последствий"), blank=True)
    contact_person = models.CharField(
        _("лицо, уполномоченное на взаимодействие с Роскомнадзором"),
        max_length=255,
        blank=True,
        help_text=_("ФИО, должность, телефон и адрес электронной почты."),
    )
    investigation_results = models.TextField(
        _("результаты внутреннего расследования"),
        blank=True,
        help_text=_("Включая сведения о лицах, действия которых стали причиной инцидента."),
    )
    authority_notified_at = models.DateTimeField(
        _("уведомление в Роскомнадзор направлено"),
        null=True,
        blank=True,
        help_text=_("Первичное уведомление: в течение 24 часов с момента выявления."),
    )
    investigation_reported_at = models.DateTimeField(
        _("результаты расследования направлены"),
        null=True,
        blank=True,
        help_text=_("В течение 72 часов с момента выявления."),
    )
    notice_text = models.TextField(
        _("сообщение затронутым пользователям"),
        blank=True,
        help_text=_(
            "Простыми словами: что случилось, какие данные затронуты, что сделано и что "
            "советуем сделать. Уходит письмом и показывается в кабинете."
        ),
    )
    created_at = models.DateTimeField(_("внесён в реестр"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    notification_started_at = models.DateTimeField(
        _("уведомление пользователей начато"), null=True, editable=False
    )
    notification_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("начал уведомление"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    notification_total = models.PositiveIntegerField(
        _("затронуто пользователей"), default=0, editable=False
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("инцидент с персональными данными")
        verbose_name_plural = _("инциденты с персональными данными")
        ordering = ["-detected_at", "-pk"]
        permissions = [("notify_subjects", _("Может уведомлять затронутых пользователей"))]
        indexes = [models.Index(fields=["-detected_at"], name="incidents_detected")]
        constraints = [
            models.CheckConstraint(
                condition=Q(logged_in_from__isnull=True)
                | Q(logged_in_until__isnull=True)
                | Q(logged_in_from__lte=models.F("logged_in_until")),
                name="incidents_login_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def authority_notice(self) -> Deadline:
        return Deadline(self.detected_at + AUTHORITY_NOTICE_WITHIN, self.authority_notified_at)

    @property
    def investigation_report(self) -> Deadline:
        return Deadline(
            self.detected_at + INVESTIGATION_REPORT_WITHIN, self.investigation_reported_at
        )

    def data_category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(code, code)) for code in self.data_categories]

    def affected_users(self) -> models.QuerySet[User]:
        """The accounts whose data the incident touched, by the subjects chosen.

        «Logged in between A and B» reads django-axes' AccessLog, which the login itself writes
        in its own request (one row per successful sign-in, kept for AXES_LOG_RETENTION_DAYS). The
        visits app's page views are buffered in memory, may lose the last seconds in a crash,
        are deleted after VISIT_RETENTION_DAYS and record activity rather than sign-ins.
        """
        # Whose data was destroyed since has nothing left to lose, and only a dead address.
        users = User.objects.exclude(
            pk__in=SubjectRequest.objects.filter(destroyed_at__isnull=False).values("subject")
        )
        if self.subjects == self.Subjects.ALL:
            return users.filter(is_staff=False)
        if self.subjects == self.Subjects.LIST:
            return subject_list_parse(self.subject_list).users(users)
        if self.logged_in_from is None or self.logged_in_until is None:
            return users.none()
        sign_ins = AccessLog.objects.filter(
            attempt_time__range=(self.logged_in_from, self.logged_in_until)
        )
        # AccessLog keeps the login name (the address as stored) rather than the account.
        return users.filter(email__in=sign_ins.values("username"))


class IncidentNotificationQuerySet(models.QuerySet["IncidentNotification"]):
    def unread_for(self, user) -> "IncidentNotificationQuerySet":
        """The portal notices the person has not dismissed yet, newest first (for the banner)."""
        return (
            self.filter(user=user, read_at__isnull=True)
            .select_related("incident")
            .order_by("-created_at", "-pk")
        )


class IncidentNotification(models.Model):
    """One affected person told of one incident: never two for the same pair (a re-run of the
    notification skips whoever already has one)."""

    incident = models.ForeignKey(
        Incident,
        verbose_name=_("инцидент"),
        on_delete=models.PROTECT,
        related_name="notifications",
        db_index=False,  # the unique constraint below starts with `incident`
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("пользователь"),
        on_delete=models.PROTECT,
        related_name="incident_notifications",
    )
    created_at = models.DateTimeField(_("уведомлён в кабинете"), default=timezone.now)
    emailed_at = models.DateTimeField(_("письмо отправлено"), null=True, blank=True)
    read_at = models.DateTimeField(_("прочитано в кабинете"), null=True, blank=True)

    objects = IncidentNotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("уведомление об инциденте")
        verbose_name_plural = _("уведомления об инцидентах")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="incidents_notified_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident} — {subject_label(self.user_id)}"
