from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Lower, Upper
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lkk.personal_data import subject_reference
from lkk.validators import validate_person_name


def login_username(request: HttpRequest | None, credentials: dict | None = None) -> str:
    """The address a sign-in attempt is for, spelled the one way the account stores it.

    django-axes counts failures and locks out by this (`AXES_USERNAME_CALLABLE`), whichever form
    was used — the consumer sign-in, /admin/login/ — so no spelling of an address gets fresh
    tries."""
    if credentials:
        raw = credentials.get("username")
    else:
        raw = request.POST.get("username") if request is not None else None
    return UserManager.normalize_email(raw if isinstance(raw, str) else None)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """Email is the login: stored lower-cased, so one address is one account."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=self.normalize_email(username))

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Email is required")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A web account of the portal: a consumer, or a member of staff when `is_staff` is set."""

    email = models.EmailField(_("адрес электронной почты"), max_length=254, unique=True)
    last_name = models.CharField(
        _("фамилия"), max_length=150, blank=True, validators=[validate_person_name]
    )
    first_name = models.CharField(
        _("имя"), max_length=150, blank=True, validators=[validate_person_name]
    )
    patronymic = models.CharField(
        _("отчество"), max_length=150, blank=True, validators=[validate_person_name]
    )
    phone = models.CharField(
        _("мобильный телефон"), max_length=16, blank=True, help_text=_("В формате +7XXXXXXXXXX.")
    )
    is_active = models.BooleanField(
        _("активен"),
        default=True,
        help_text=_("Снимите флажок вместо удаления учётной записи."),
    )
    is_staff = models.BooleanField(
        _("сотрудник"), default=False, help_text=_("Может входить в администрирование.")
    )
    date_joined = models.DateTimeField(_("дата регистрации"), default=timezone.now)
    # Set by registration, cleared by the link from the first letter. Only such an account can be
    # opened by a link or sent one again: an account closed later (a consent withdrawn, staff) is
    # inactive too, and no old link or "send again" request may reopen it.
    awaiting_email_confirmation = models.BooleanField(
        _("ждёт подтверждения адреса"),
        default=False,
        help_text=_("Зарегистрирован, но ещё не открыл ссылку из письма; войти не может."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            # Stored lower-cased by the manager; the constraint guards every other path.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        indexes = [
            # Staff, a few among a million people: every list of them (filters, assignees).
            models.Index(
                fields=["last_name", "email"],
                condition=models.Q(is_staff=True),
                name="accounts_user_staff",
            ),
            # The admin's list, newest first, among a million people.
            models.Index(
                models.F("date_joined").desc(), models.F("id").desc(), name="accounts_user_joined"
            ),
            # The admin's search finds a part of any of these (`icontains`, which PostgreSQL
            # runs as UPPER(field) LIKE '%…%'): trigrams of the same expression answer it.
            GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="accounts_user_email_trgm"),
            GinIndex(
                OpClass(Upper("last_name"), name="gin_trgm_ops"),
                name="accounts_user_last_name_trgm",
            ),
            GinIndex(
                OpClass(Upper("first_name"), name="gin_trgm_ops"),
                name="accounts_user_first_name_trgm",
            ),
            GinIndex(OpClass(Upper("phone"), name="gin_trgm_ops"), name="accounts_user_phone_trgm"),
        ]

    def __str__(self) -> str:
        """Staff by name (the desk shows who did what); a consumer never by their data, so no
        admin title, breadcrumb, message or log line can leak it."""
        if self.is_staff:
            return self.get_full_name() or _("сотрудник № %(id)s") % {"id": self.pk}
        return subject_reference(self.pk)

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)
        if self.is_active:
            # Staff who open an account by hand have confirmed the person their own way.
            self.awaiting_email_confirmation = False

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_short_name(self) -> str:
        return self.first_name or self.email


class SignedInSession(models.Model):
    """One session a person is signed in with, for «Где выполнен вход»: the browser, a masked IP
    address and the last activity. It lives and dies with the session row (ending a session
    deletes that row); the last activity is written at most every few minutes, not per request.
    """

    session = models.OneToOneField(
        "sessions.Session", on_delete=models.CASCADE, related_name="+", verbose_name=_("сессия")
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("пользователь")
    )
    user_agent = models.CharField(_("браузер"), max_length=512, blank=True)
    # Only the network part of the address is kept (203.0.113.*): enough to recognise a place.
    masked_ip = models.CharField(_("IP-адрес (без последней части)"), max_length=64, blank=True)
    signed_in_at = models.DateTimeField(_("вход"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("последняя активность"), default=timezone.now)

    class Meta:
        verbose_name = _("сеанс входа")
        verbose_name_plural = _("сеансы входа")
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"сеанс № {self.pk}"


class Authenticator(TOTPDevice):
    """A person's authenticator app (django-otp's TOTP device), as the admin lists it: by account
    number, never by name, so that no page or log line shows whose it is."""

    class Meta:
        proxy = True
        verbose_name = _("второй фактор входа")
        verbose_name_plural = _("вторые факторы входа")
        default_permissions = ("view",)
        permissions = [("reset_second_factor", _("Может сбрасывать второй фактор входа"))]

    def __str__(self) -> str:
        return f"второй фактор учётной записи № {self.user_id}"


class EmailChange(models.Model):
    """A request to change the account's address and, once confirmed, the address it replaced.

    The letters about it take this row's id: the task table never holds an address. Kept for
    EMAIL_CHANGE_RETENTION_DAYS (see accounts/personal_data.py), so that «it was not me» can be
    answered with when and from which address to which.
    """

    user = models.ForeignKey(
        User, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="+"
    )
    old_email = models.EmailField(_("прежний адрес"), max_length=254)
    new_email = models.EmailField(_("новый адрес"), max_length=254)
    requested_at = models.DateTimeField(_("запрошено"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("подтверждено"), null=True, blank=True)

    class Meta:
        verbose_name = _("смена адреса электронной почты")
        verbose_name_plural = _("смены адреса электронной почты")
        indexes = [models.Index(fields=["user", "-requested_at"], name="accounts_emailchange_user")]

    def __str__(self) -> str:
        return f"смена адреса № {self.pk}"
