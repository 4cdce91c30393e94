"""Account workflows. Each function is one transaction; letters are queued only once it commits,
so a letter never speaks of data that was rolled back, and a mail-server outage never undoes or
blocks the work itself."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts import tasks
from accounts.models import EmailChange, User
from consents.models import ConsentPurpose, ConsentRecord
from consents.services import Representative, consent_give, policy_acknowledge
from lkk import personal_data
from lkk.limits import Limit, RateLimited, limit_take
from privacy.models import PolicyVersion


class RegistrationClosed(Exception):
    """No privacy policy is in force: nobody can consent on known terms, so nobody registers."""


def registration_open() -> bool:
    """Whether a policy is in force for a new consent to refer to (152-FZ art. 18.1 p. 2)."""
    return PolicyVersion.objects.current() is not None


class EmailTaken(Exception):
    """The new address already belongs to another account."""


class PersonalDataBlocked(Exception):
    """The person's PD is blocked by a request (policy 6.2.4): nobody changes it meanwhile."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Персональные данные заблокированы по обращению и не могут быть изменены, "
            "пока обращение не рассмотрено."
        )


# The person's data a correction (152-FZ art. 21, policy 6.1.2) may change.
PERSONAL_DATA_FIELDS = ("last_name", "first_name", "patronymic", "email", "phone")


def _enqueue_after_commit(task: Task, **kwargs) -> None:
    transaction.on_commit(partial(task.enqueue, **kwargs))


def _enqueue_unsolicited(
    task: Task, *, user: User, key: str = "", limit: Limit | None = None
) -> None:
    """A letter anyone can make the portal send by typing an address into a form: at most one
    of each kind per account in LETTER_COOLDOWN_SECONDS (or `limit` per `key`; `lkk.limits`,
    counted in PostgreSQL), so the forms cannot flood a mailbox; the form answers the same
    either way."""
    try:
        limit_take(
            key=key or f"letter:{task.name}:{user.pk}",
            limit=limit or Limit(1, timedelta(seconds=settings.LETTER_COOLDOWN_SECONDS)),
        )
    except RateLimited:
        return
    _enqueue_after_commit(task, user_id=user.pk)


def _visitor_form_take(*, ip_address: str | None) -> None:
    """One submission of a form a visitor can send about any address (registration, "send
    again", password reset): VISITOR_FORMS_PER_IP_PER_HOUR from one IP address, whatever the
    address typed, so the refusal says nothing about accounts. RateLimited beyond."""
    limit_take(
        key=f"accounts.visitor-forms:{ip_address or 'unknown'}",
        limit=Limit(settings.VISITOR_FORMS_PER_IP_PER_HOUR, timedelta(hours=1)),
    )


def _address_key(email: str) -> str:
    """An address in a limit's key, as a keyed digest: the limits table holds no addresses."""
    return salted_hmac("accounts.limit-address", email, algorithm="sha256").hexdigest()[:32]


# Confirmation letters one address may get from registrations in an hour: each registration of
# an unconfirmed address replaces the last, and must not become a way to flood its mailbox.
REGISTRATION_LETTERS_PER_ADDRESS = Limit(3, timedelta(hours=1))


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    last_name: str,
    first_name: str,
    patronymic: str,
    phone: str,
    mailings: bool,
    representative: Representative | None,
    ip_address: str | None,
    user_agent: str,
) -> User | None:
    """Create the account, inactive until its address is confirmed, with the consents given in
    the form: all of it or nothing.

    An address that already has an account gets a letter saying so instead, and None is
    returned; the caller must answer exactly as for a new account (no account enumeration).
    Both paths hash the password once, so the answer takes as long either way.
    """
    policy = PolicyVersion.objects.current()
    if policy is None:  # registration is closed while no policy is in force
        raise RegistrationClosed()
    _visitor_form_take(ip_address=ip_address)
    email = User.objects.normalize_email(email)
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is not None and existing.awaiting_email_confirmation:
        # Whoever registered first never proved the address: their registration (password,
        # name, consents) is set aside whole, and this one starts afresh.
        _registration_retire(existing)
        existing = None
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: the address may be taken concurrently
                user = User.objects.create_user(
                    email,
                    password,
                    last_name=last_name,
                    first_name=first_name,
                    patronymic=patronymic,
                    phone=phone,
                    is_active=False,
                    awaiting_email_confirmation=True,
                )
        except IntegrityError:
            existing = User.objects.filter(email=email).first()
            if existing is None:
                raise
        else:
            existing = None
    else:
        make_password(password)  # the same work as creating an account
    if existing is not None:
        task = (
            tasks.registration_unfinished_letter_send
            if existing.awaiting_email_confirmation
            else tasks.already_registered_letter_send
        )
        _enqueue_unsolicited(task, user=existing)
        return None

    purposes = [ConsentPurpose.ACCOUNT, *([ConsentPurpose.MAILINGS] if mailings else [])]
    for purpose_code in purposes:
        consent_give(
            user=user,
            purpose_code=purpose_code,
            source=ConsentRecord.Source.REGISTRATION,
            ip_address=ip_address,
            user_agent=user_agent,
            representative=representative,
        )
    # Reading the policy is a statement of its own, recorded apart from the consents.
    policy_acknowledge(
        user=user,
        policy_version=policy,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    _enqueue_unsolicited(
        tasks.verification_letter_send,
        user=user,
        key=f"letter:registration:{_address_key(email)}",
        limit=REGISTRATION_LETTERS_PER_ADDRESS,
    )
    return user


@transaction.atomic
def email_verification_resend(*, email: str, ip_address: str | None) -> None:
    """Send the confirmation link again, if an account waits for it. Silent otherwise."""
    _visitor_form_take(ip_address=ip_address)
    user = User.objects.filter(
        email=User.objects.normalize_email(email), is_active=False, awaiting_email_confirmation=True
    ).first()
    if user is not None:
        _enqueue_unsolicited(tasks.verification_letter_send, user=user)


class RegistrationPasswordWrong(Exception):
    """The password typed on the confirmation page is not the one chosen at registration."""


def _registration_retire(user: User) -> None:
    """Set an unconfirmed registration aside for good: nobody proved the address was theirs.

    The row stays, because its consent records (append-only evidence) point to it; it loses the
    address, the password and the name it was given, so nothing of it can turn into the
    address owner's account, and its consent records are never shown as the owner's.
    """
    user.email = f"registration-{user.pk}@unconfirmed.invalid"
    user.last_name = user.first_name = user.patronymic = user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.awaiting_email_confirmation = False
    user.save()


def registration_proof(user: User) -> str:
    """What the browser session that registered keeps, to confirm the address later without
    the password. It is bound to this registration's password hash: a session that made
    another registration of the address, replaced since, proves nothing."""
    proof = salted_hmac(
        "accounts.registration_proof", f"{user.pk}:{user.password}", algorithm="sha256"
    )
    return proof.hexdigest()


def registered_in_session(*, user: User, proof: str) -> bool:
    """Whether `proof`, kept by a browser session, is that of this registration."""
    return bool(proof) and constant_time_compare(proof, registration_proof(user))


@transaction.atomic
def email_verify(*, user: User, password: str = "", proof: str = "") -> User:
    """The consumer opened the link from the letter and proved the registration was theirs:
    the account opens.

    The link proves the mailbox; the registration is proven by its password, or by the proof
    kept in the browser session that registered (`registration_proof`). A registration someone
    else made with this address cannot be opened by its owner following the link, so it never
    becomes the owner's account (they register themselves, which replaces it, or cancel it).
    Only once: a second click changes nothing, and an account closed later (inactive, but
    confirmed) is never reopened by an old link.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.awaiting_email_confirmation:
        proven = (
            registered_in_session(user=user, proof=proof)
            if proof
            else user.check_password(password)
        )
        if not proven:
            raise RegistrationPasswordWrong()
        user.awaiting_email_confirmation = False
        user.is_active = True
        user.save(update_fields=["awaiting_email_confirmation", "is_active"])
    return user


@transaction.atomic
def registration_cancel(*, user: User) -> None:
    """The owner of the mailbox says they did not register: the registration is set aside."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.awaiting_email_confirmation:
        _registration_retire(user)


def inactive_user_with_password(*, email: str, password: str) -> User | None:
    """The closed or unconfirmed account at this address, if the password is its password.

    Called after a failed login, to tell the person why. Either way one password hash is
    computed, so the time taken does not reveal whether such an account exists.
    """
    user = User.objects.filter(email=User.objects.normalize_email(email), is_active=False).first()
    if user is None:
        make_password(password)
        return None
    return user if user.check_password(password) else None


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None) -> None:
    """Queue the reset letter for an active account with this address. Silent otherwise."""
    _visitor_form_take(ip_address=ip_address)
    user = User.objects.filter(email=User.objects.normalize_email(email)).first()
    if user is None:
        return
    if user.awaiting_email_confirmation:
        # Never a reset link: setting a password would open a registration anyone could have
        # made. The letter explains how to register (which replaces it) or confirm it.
        _enqueue_unsolicited(tasks.registration_unfinished_letter_send, user=user)
    elif user.is_active and user.has_usable_password():
        _enqueue_unsolicited(tasks.password_reset_letter_send, user=user)


@transaction.atomic
def email_change_request(*, user: User, new_email: str) -> None:
    """Send a confirmation link to the new address; the address changes only when it is opened.

    At most EMAIL_CHANGE_LETTERS_PER_HOUR letters an hour: RateLimited beyond."""
    limit_take(
        key=f"letter:email-change:{user.pk}",
        limit=Limit(settings.EMAIL_CHANGE_LETTERS_PER_HOUR, timedelta(hours=1)),
    )
    change = EmailChange.objects.create(
        user=user, old_email=user.email, new_email=User.objects.normalize_email(new_email)
    )
    _enqueue_after_commit(tasks.email_change_letter_send, change_id=change.pk)


@transaction.atomic
def email_change_confirm(*, user: User, new_email: str) -> None:
    """The new address proved to be the consumer's: switch to it and tell the old one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if personal_data.subject_is_blocked(user):
        raise PersonalDataBlocked()
    old_email = user.email
    if User.objects.filter(email=new_email).exclude(pk=user.pk).exists():
        raise EmailTaken(new_email)
    user.email = new_email
    try:
        with transaction.atomic():  # a concurrent registration may take the address meanwhile
            user.save(update_fields=["email"])
    except IntegrityError:
        raise EmailTaken(new_email) from None
    change = (
        EmailChange.objects.filter(user=user, new_email=new_email, confirmed_at__isnull=True)
        .order_by("-requested_at")
        .first()
    ) or EmailChange(user=user, new_email=new_email)
    change.old_email = old_email
    change.confirmed_at = timezone.now()
    change.save()
    _enqueue_after_commit(tasks.email_changed_notice_send, change_id=change.pk)


@transaction.atomic
def user_personal_data_correct(
    *, user: User, changes: dict[str, str], resolving_request=None
) -> list[dict[str, str]]:
    """Change the person's data to the corrected values; returns `[{field, old, new}]` for the
    fields that actually changed, for the request's history.

    The one path by which staff change a person's data. Refused while the data is blocked,
    unless this is the correction that resolves an open request of that person.
    """
    unknown = set(changes) - set(PERSONAL_DATA_FIELDS)
    if unknown:
        raise ValueError(f"Not personal data fields: {sorted(unknown)}")
    user = User.objects.select_for_update().get(pk=user.pk)
    resolves = (
        resolving_request is not None
        and resolving_request.subject_id == user.pk
        and resolving_request.is_open
    )
    if not resolves and personal_data.subject_is_blocked(user):
        raise PersonalDataBlocked()
    if "email" in changes:
        changes = {**changes, "email": User.objects.normalize_email(changes["email"])}
    changed = [
        {"field": field, "old": getattr(user, field), "new": value}
        for field, value in changes.items()
        if getattr(user, field) != value
    ]
    for change in changed:
        setattr(user, change["field"], change["new"])
    fields = [change["field"] for change in changed]
    if fields:
        user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
        try:
            with transaction.atomic():  # a concurrent registration may take the address
                user.save(update_fields=fields)
        except IntegrityError:
            raise ValidationError(
                {"email": "Этот адрес уже занят другой учётной записью."}
            ) from None
    return changed
