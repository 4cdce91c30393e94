from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def subject_label(user_id: int | None) -> str:
    """A consumer named without their data: the account's number (the same shape as the
    destruction acts' and the journal's `subject_reference`)."""
    return f"субъект-{user_id}"


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
    last_name = models.CharField(_("фамилия"), max_length=150, blank=True)
    first_name = models.CharField(_("имя"), max_length=150, blank=True)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
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

    def __str__(self) -> str:
        """Staff by name (the desk shows who did what); a consumer never by their data, so no
        admin title, breadcrumb, message or log line can leak it."""
        if self.is_staff:
            return self.get_full_name() or _("сотрудник № %(id)s") % {"id": self.pk}
        return subject_label(self.pk)

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
