"""Service requests (заявки): a meter to replace, verify or put into service, a control
reading, a recalculation, a claim about the quality of supply — and any kind a site
administrator adds as data.

A kind says which fields the consumer fills in, from the declared set below (`Field`); each
field has its own typed column on the request, so a kind added in the admin needs no code.
A request is a case (`cases`): numbered, assigned, answered, with its history.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import PersonalAccount
from cases.models import OPEN_STATUSES, CaseMixin, CaseQuerySetMixin, CaseStatus
from lkk.db import serial_number
from meters.models import Meter

NUMBER_PREFIX = "ЗВ"
NUMBER_SEQUENCE = "servicerequests_number_seq"


class Field(models.TextChoices):
    """The fields a kind may show the consumer; each is a column of ServiceRequest."""

    METER = "meter", _("прибор учёта (из счётчиков лицевого счёта)")
    ACCOUNT = "account", _("лицевой счёт")
    VISIT_DATES = "visit_dates", _("удобные даты визита (с … по …)")
    CONTACT_PHONE = "contact_phone", _("контактный телефон")
    MONTHS = "months", _("месяцы (за последний год)")
    CLAIMANT = "claimant_name", _("фамилия, имя, отчество заявителя")
    ADDRESS = "address", _("адрес объекта")
    VIOLATION_PERIOD = "violation_period", _("начало и окончание нарушения")
    TEXT = "text", _("текст (подпись задаётся в виде заявки)")


class RequestKindQuerySet(models.QuerySet["RequestKind"]):
    def offered(self) -> "RequestKindQuerySet":
        return self.filter(is_active=True).order_by("position", "title")


class RequestKind(models.Model):
    """A kind of request, as data: its title, term, fields and what happens next."""

    # The kind other pages point to by its code (created by migration 0002).
    METER_REPLACEMENT = "zamena-schetchika"

    code = models.SlugField(
        _("код"), max_length=40, unique=True, help_text=_("Латиницей; часть адреса страницы.")
    )
    title = models.CharField(_("название"), max_length=150)
    what_happens_next = models.TextField(
        _("что будет дальше"),
        help_text=_("Показывается потребителю над формой и на странице заявки."),
    )
    term_working_days = models.PositiveSmallIntegerField(
        _("срок, рабочих дней"),
        help_text=_("Считается по производственному календарю со дня после подачи."),
    )
    term_basis = models.CharField(
        _("основание срока"), max_length=300, blank=True, help_text=_("Например, пункт правил.")
    )
    fields = ArrayField(
        models.CharField(max_length=20, choices=Field.choices),
        verbose_name=_("поля формы"),
        default=list,
        blank=True,
    )
    text_label = models.CharField(
        _("подпись текстового поля"), max_length=100, default="Комментарий", blank=True
    )
    text_required = models.BooleanField(_("текст обязателен"), default=False)
    is_active = models.BooleanField(
        _("принимается"), default=True, help_text=_("Снимите, чтобы вид пропал из формы.")
    )
    position = models.PositiveSmallIntegerField(_("порядок в списке"), default=100)

    objects = RequestKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("вид заявки")
        verbose_name_plural = _("виды заявок")
        ordering = ["position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_working_days__gte=1, term_working_days__lte=90),
                name="servicerequests_kind_term_1_to_90",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def has(self, field: str) -> bool:
        return field in self.fields

    @property
    def is_meter_job(self) -> bool:
        """A visit to a meter: staff book a visit slot."""
        return Field.METER in self.fields


class ServiceRequestQuerySet(CaseQuerySetMixin, models.QuerySet["ServiceRequest"]):
    def for_author(self, user) -> "ServiceRequestQuerySet":
        """«Мои заявки»: newest first, with what the list shows, in one query."""
        return (
            self.filter(user=user)
            .select_related("kind", "meter", "specialist_rating")
            .order_by("-received_at", "-pk")
        )

    def for_meter(self, meter: Meter) -> "ServiceRequestQuerySet":
        return self.filter(meter=meter).select_related("kind").order_by("-received_at", "-pk")


class ServiceRequest(CaseMixin, models.Model):
    """One consumer's request of one kind; the columns its kind does not use stay empty."""

    class Status(models.TextChoices):
        NEW = CaseStatus.NEW, _("новая")
        IN_WORK = CaseStatus.IN_WORK, _("в работе")
        ANSWERED = CaseStatus.ANSWERED, _("выполнена, ответ дан")
        CLOSED = CaseStatus.CLOSED, _("закрыта без ответа")
        WITHDRAWN = CaseStatus.WITHDRAWN, _("отозвана")

    RATING_FIELD = "service_request"
    RATING_VIEW = "servicerequests:rate"

    number = models.CharField(_("номер"), max_length=20, unique=True, editable=False)
    kind = models.ForeignKey(
        RequestKind, verbose_name=_("вид"), on_delete=models.PROTECT, related_name="requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("заявитель"),
        on_delete=models.PROTECT,
        related_name="service_requests",
        db_index=False,  # the index below starts with it
    )
    # A double submit of the form carries the same key: the second makes no second request.
    submission_key = models.UUIDField(_("ключ отправки формы"), default=uuid.uuid4, editable=False)
    status = models.CharField(
        _("состояние"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(_("подана"), default=timezone.now, editable=False)
    due_on = models.DateField(_("выполнить до"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ответственный специалист"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_service_requests",
        db_index=False,
    )
    answer_text = models.TextField(_("ответ"), blank=True)
    answered_at = models.DateTimeField(_("ответ дан"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыта или отозвана"), null=True, blank=True)

    # The declared fields (Field); which ones a request uses is its kind's business.
    account = models.ForeignKey(
        PersonalAccount,
        verbose_name=_("лицевой счёт"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    meter = models.ForeignKey(
        Meter,
        verbose_name=_("прибор учёта"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_requests",
    )
    visit_from = models.DateField(_("визит желателен с"), null=True, blank=True)
    visit_to = models.DateField(_("визит желателен по"), null=True, blank=True)
    contact_phone = models.CharField(_("контактный телефон"), max_length=16, blank=True)
    months = ArrayField(models.DateField(), verbose_name=_("месяцы"), default=list, blank=True)
    claimant_name = models.CharField(_("заявитель (ФИО)"), max_length=255, blank=True)
    address = models.CharField(_("адрес объекта"), max_length=500, blank=True)
    violation_started_at = models.DateTimeField(_("нарушение началось"), null=True, blank=True)
    violation_ended_at = models.DateTimeField(_("нарушение закончилось"), null=True, blank=True)
    text = models.TextField(_("текст заявки"), max_length=5000, blank=True)

    # Staff book a visit for a meter job.
    visit_starts_at = models.DateTimeField(_("визит: начало"), null=True, blank=True)
    visit_ends_at = models.DateTimeField(_("визит: окончание"), null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ["-received_at", "-pk"]
        constraints = [
            # One open request of a kind per meter: a second one is refused (the form names
            # the open one), and two at once cannot both pass the check.
            models.UniqueConstraint(
                fields=["kind", "meter"],
                condition=Q(status__in=OPEN_STATUSES, meter__isnull=False),
                name="servicerequests_one_open_per_kind_and_meter",
            ),
            models.UniqueConstraint(
                fields=["user", "submission_key"], name="servicerequests_one_per_submission"
            ),
            models.CheckConstraint(
                condition=Q(visit_from__isnull=True)
                | Q(visit_to__isnull=True)
                | Q(visit_from__lte=models.F("visit_to")),
                name="servicerequests_visit_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(violation_started_at__isnull=True)
                | Q(violation_ended_at__isnull=True)
                | Q(violation_started_at__lte=models.F("violation_ended_at")),
                name="servicerequests_violation_in_order",
            ),
            models.CheckConstraint(
                condition=Q(visit_starts_at__isnull=True, visit_ends_at__isnull=True)
                | Q(visit_starts_at__lt=models.F("visit_ends_at")),
                name="servicerequests_visit_slot_in_order",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="answered", answered_at__isnull=False) & ~Q(answer_text="")
                    | ~Q(status="answered") & Q(answered_at__isnull=True)
                ),
                name="servicerequests_answered_with_text_and_time",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-received_at"], name="servicerequests_by_user"),
            models.Index(fields=["-received_at"], name="servicerequests_received"),
            models.Index(fields=["status", "-received_at"], name="servicerequests_by_status"),
            models.Index(fields=["assignee", "status"], name="servicerequests_by_assignee"),
            models.Index(
                fields=["due_on"],
                condition=Q(status__in=["new", "in_work"]),
                name="servicerequests_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def has_visit_slot(self) -> bool:
        return self.visit_starts_at is not None


def service_request_number_next(*, received_at: datetime.datetime) -> str:
    """`ЗВ-2026-000123`: one sequence for every kind (kinds are data)."""
    return serial_number(prefix=NUMBER_PREFIX, sequence=NUMBER_SEQUENCE, received_at=received_at)


class PrivateFilesStorage(FileSystemStorage):
    """PRIVATE_FILES_ROOT, read at use (tests move it); no URL: files go out through a view."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_FILES_ROOT

    @property
    def location(self):
        return str(settings.PRIVATE_FILES_ROOT)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL: use the attachment view.")


private_files = PrivateFilesStorage()


def private_files_storage() -> PrivateFilesStorage:
    """The storage as a callable: migrations refer to this function, not to a path."""
    return private_files


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """A random name: the stored file's path says nothing and cannot be guessed."""
    return f"servicerequests/{uuid.uuid4().hex}{filename[filename.rfind('.') :]}"


class Attachment(models.Model):
    """A photo or document attached to a request: checked by content, images re-encoded."""

    class Type(models.TextChoices):
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    request = models.ForeignKey(
        ServiceRequest,
        verbose_name=_("заявка"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("файл"), storage=private_files_storage, upload_to=attachment_path)
    original_name = models.CharField(_("имя файла"), max_length=255)
    content_type = models.CharField(_("тип"), max_length=30, choices=Type.choices)
    size = models.PositiveIntegerField(_("размер, байт"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("загрузил"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("загружен"), default=timezone.now)

    class Meta:
        verbose_name = _("файл заявки")
        verbose_name_plural = _("файлы заявок")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_content_type_display()} № {self.pk}"
