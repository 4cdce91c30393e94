"""The second sign-in factor: an authenticator app (TOTP) and one-time recovery codes, both
django-otp's devices. Staff must have it — the admin refuses a session that has not passed it —
and a consumer may turn it on in «Мои данные».

Sign-in with it is two steps. The password step does not sign the person in: it leaves a pending
sign-in in the session, and only the right code signs them in (so django-axes resets its count
only after both steps). A wrong code counts as a failed sign-in for axes, under the same address
and IP address as a wrong password, so the lockout covers both steps together.
"""

import re
import time
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import signed_in
from accounts.models import User

AUTHENTICATOR_NAME = "Приложение-аутентификатор"
RECOVERY_CODES_NAME = "Резервные коды"
RECOVERY_CODE_COUNT = 10
# The password step is good for this long; then the sign-in starts again.
PENDING_SECONDS = 5 * 60
PENDING_SESSION_KEY = "second_factor_pending"
RESET_MESSAGE = "Сброшен второй фактор входа (приложение-аутентификатор и резервные коды)."

_SEPARATORS = re.compile(r"[\s-]+")


class SecondFactorRequired(Exception):
    """Staff cannot turn the second factor off: only a site administrator resets it."""


def session_verified(request: HttpRequest) -> bool:
    """Has this session passed the second factor? (django-otp's middleware marks the user; a
    request without it counts as not verified.)"""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def is_enrolled(user: User) -> bool:
    """Has the person a confirmed authenticator app (then sign-in asks for a code)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@dataclass(frozen=True)
class Enrolment:
    """What the enrolment page shows: the QR code for the app and the same secret as text."""

    device: TOTPDevice
    qr_svg_data_uri: str
    secret: str


def enrolment_start(*, user: User) -> Enrolment:
    """The person's unconfirmed authenticator, kept across page loads until a code confirms it
    (a new secret on every load would break a scan made from the previous page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    # Rendered here as an SVG data URI: the strict CSP allows no inline script or style, and
    # `img-src data:` is allowed.
    qr = segno.make(device.config_url, error="m")
    secret = _base32(device.bin_key)
    return Enrolment(
        device=device,
        qr_svg_data_uri=qr.svg_data_uri(scale=4, border=2),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


def _base32(key: bytes) -> str:
    return b32encode(key).decode().rstrip("=")


@transaction.atomic
def enrolment_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms the app with a code it shows; returns the new recovery codes, or None if the code
    is wrong. Any earlier app of the person stops working."""
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(_normalise(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """A new set of one-time recovery codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_turn_off(*, user: User) -> None:
    """A consumer goes back to the password alone. Staff may not."""
    if user.is_staff:
        raise SecondFactorRequired
    _devices_delete(user)


@transaction.atomic
def second_factor_reset(*, user: User, actor: User) -> None:
    """A site administrator removes a lost factor: the app and the recovery codes go, every
    session of the person ends (whoever holds the lost phone is signed out), and the admin's
    history of the account records who did it. The person enrols again at the next sign-in."""
    _devices_delete(user)
    signed_in.sessions_end(user=user)
    LogEntry.objects.create(
        user=actor,
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(user.pk),
        object_repr=f"учётная запись № {user.pk}",  # never the name: the history page shows it
        action_flag=CHANGE,
        change_message=RESET_MESSAGE,
    )


def _devices_delete(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _normalise(code: str) -> str:
    return _SEPARATORS.sub("", code or "").lower()


def code_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts the code — the app for six digits, else a recovery code (used up
    by this) — or None. django-otp throttles each device after failures."""
    code = _normalise(code)
    if not code:
        return None
    for device in devices_for_user(user):
        is_app = isinstance(device, TOTPDevice)
        if is_app == code.isdigit():
            matched = verify_token(user, device.persistent_id, code)
            if matched is not None:
                return matched
    return None


def code_throttled(user: User) -> bool:
    """After wrong codes django-otp makes each device wait, longer after each failure."""
    return any(not device.verify_is_allowed()[0] for device in devices_for_user(user))


# --- The pending sign-in between the password and the code ------------------------------------


def login_pending_start(request: HttpRequest, *, user: User, backend: str, next_url: str) -> None:
    request.session[PENDING_SESSION_KEY] = {
        "user_id": user.pk,
        "backend": backend,
        "next": next_url,
        "started": int(time.time()),
    }


@dataclass(frozen=True)
class PendingLogin:
    user: User
    backend: str
    next_url: str


def login_pending(request: HttpRequest) -> PendingLogin | None:
    """The sign-in whose password was right, if it is recent and the account still open."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("started", 0) > PENDING_SECONDS:
        login_pending_clear(request)
        return None
    user_id = pending.get("user_id")
    user = (
        get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if isinstance(user_id, int)
        else None
    )
    if user is None:
        login_pending_clear(request)
        return None
    return PendingLogin(user=user, backend=pending["backend"], next_url=pending["next"])


def login_pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
