"""The registry of personal data: what the portal holds about people, declared once.

Every app that stores personal data declares it here, and everything that must reach all of it —
«Скачать мои данные» (152-FZ art. 14 p. 7), destruction and its act (art. 21, RKN Order 179),
retention (art. 5 p. 7) and the notification to Roskomnadzor (art. 22) — loops over the
registry. This module imports no app: apps register into it, the way `admin.py` registers into
the admin site, so the low layers never depend on the apps they serve.

How an app declares its data
----------------------------
1. Write `<app>/personal_data.py` with one `Category` per kind of record and a call to
   `register(...)`; name the models by label (`"billing.LinkAttempt"`), so that the declaration
   itself imports no model at load time::

       from lkk import personal_data as pd

       def _export(user) -> list[dict[str, object]]:
           return [{"Номер": m.number, "Отправлено": m.sent_at} for m in Meter.objects.filter(...)]

       def _erase(erasure: pd.Erasure) -> dict[str, int]:
           n = Meter.objects.filter(user=erasure.user).update(comment="")
           return {"показания счётчиков (комментарии уничтожены)": n}

       def _expire(now: datetime, dry_run: bool) -> dict[str, int]:
           old = Reading.objects.filter(sent_at__lt=pd.older_than(now, "METERS_RETENTION_DAYS"))
           return {"показания (удалены)": pd.expire_rows(old, dry_run=dry_run)}

       pd.register(
           pd.Category(
               key="meters.readings",
               title="Показания приборов учёта",
               data=("номер прибора учёта", "показания", "дата передачи"),
               purpose="расчёты за электроэнергию по договору энергоснабжения",
               legal_basis=pd.Basis.CONTRACT,
               source=pd.Source.PERSON,
               retention=pd.Retention("METERS_RETENTION_DAYS", default_days=1095),
               models=("meters.Reading",),
               export=_export, erase=_erase, expire=_expire,
           )
       )

2. Import that module from the app's `AppConfig.ready()`: `from meters import personal_data  #
   noqa: F401` (registration is the import's side effect, as with signals).
3. A model that only names staff members (`created_by`, `assignee`) and holds no consumer's data
   is declared with `register_staff_records("meters.Tariff")`.

`tests/lkk/test_personal_data_registry.py` fails while any installed model with a user foreign
key, an email, phone, name, IP address or browser field is declared by no app.

The three operations
--------------------
- `export(user)` returns the person's records as a list of rows `{Russian column: value}` (or
  an empty list). The export's page and its JSON file render those rows as they are, so the
  column names are what the person reads: say things in words, never field names or URL routes.
- `erase(erasure)` destroys or depersonalizes the person's records and returns
  `{Russian label for the act: count}`. It must leave in its tables no value from
  `erasure.identifiers` (use `erasure.scrub_text` on free texts). Categories are erased in
  `erase_order` (the account itself last).
- `expire(now, dry_run)` removes or depersonalizes what is past the retention period, in batches
  (`expire_rows`, `delete_in_batches`), and returns `{label: count}`; with `dry_run` it only
  counts. `manage.py apply_retention` runs them all and writes the outcome to the log.
"""

import datetime
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model

from lkk.pruning import delete_in_batches

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

__all__ = [
    "Basis",
    "Blocking",
    "Category",
    "Erasure",
    "Retention",
    "Source",
    "SubjectStates",
    "System",
    "blocked_among",
    "categories",
    "delete_in_batches",
    "register",
    "register_staff_records",
    "retention_delta",
    "staff_record_models",
    "subject_is_blocked",
    "subject_states",
    "subject_states_provide",
]

REDACTED = "[уничтожено]"

Row = dict[str, Any]
Counts = dict[str, int]


class Source(StrEnum):
    """Where the data came from (art. 14 p. 7 s. 5; art. 18 p. 3 when not from the person)."""

    PERSON = "от субъекта персональных данных"
    BILLING = "из биллинговой системы оператора (реестр лицевых счетов)"
    PORTAL = "формируются информационной системой при использовании личного кабинета"
    STAFF = "вносятся работниками оператора"


class Basis(StrEnum):
    """Legal bases of processing (152-FZ art. 6 p. 1), in the words the export and the act use."""

    CONSENT = "согласие субъекта персональных данных (ст. 6 ч. 1 п. 1 152-ФЗ)"
    CONTRACT = (
        "исполнение договора энергоснабжения, стороной которого является субъект "
        "(ст. 6 ч. 1 п. 5 152-ФЗ)"
    )
    LAW = "исполнение обязанностей оператора, возложенных законом (ст. 6 ч. 1 п. 2 152-ФЗ)"
    LEGITIMATE_INTEREST = (
        "осуществление прав и законных интересов оператора — защита информационной системы "
        "(ст. 6 ч. 1 п. 7 152-ФЗ)"
    )
    EMPLOYMENT = "трудовой договор с работником (ст. 6 ч. 1 п. 5 152-ФЗ, гл. 14 ТК РФ)"


class System(StrEnum):
    """The information systems personal data live in (for the act and the notification)."""

    PORTAL = "Личный кабинет потребителя: база данных PostgreSQL на серверах оператора в РФ"


@dataclass(frozen=True)
class Retention:
    """A retention period: `days` from a setting (with its default), or a described term."""

    setting: str = ""
    default_days: int | None = None
    description: str = ""  # for terms that are not a number of days

    @property
    def days(self) -> int | None:
        if not self.setting:
            return None
        value = getattr(settings, self.setting, self.default_days)
        if value is None:
            raise TypeError(f"{self.setting} is not set and the retention has no default")
        return int(value)

    def __str__(self) -> str:
        days = self.days
        text = f"{days} дн." if days is not None else ""
        if self.description:
            text = f"{text} — {self.description}" if text else self.description
        return text


def retention_delta(setting: str) -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, setting)))


class Erasure:
    """One destruction in progress: whose data, by whom, and how to scrub free texts."""

    def __init__(
        self, *, user: Any, actor: Any, reference: str, identifiers: Iterable[str]
    ) -> None:
        self.user = user
        self.actor = actor
        self.reference = reference  # «субъект-17»: what replaces the person in kept records
        # Longest first, so that a full name goes before the surname inside it.
        wanted = sorted(
            {v.strip() for v in identifiers if v and len(v.strip()) >= 3}, key=len, reverse=True
        )
        self.identifiers: tuple[str, ...] = tuple(wanted)
        self._pattern = (
            re.compile("|".join(re.escape(v) for v in wanted), re.IGNORECASE) if wanted else None
        )

    @property
    def placeholder_email(self) -> str:
        """What stands where a valid address must stay (the account, a guest's message)."""
        return f"subject-{self.user.pk}@pd-destroyed.invalid"

    def mentions(self, value: str) -> bool:
        return bool(self._pattern and value and self._pattern.search(value))

    def scrub_text(self, value: str) -> str:
        """`value` with every identifier of the person replaced by their reference."""
        return self._pattern.sub(self.reference, value) if self._pattern and value else value

    def scrub_json(self, value: Any) -> Any:
        return json.loads(self.scrub_text(json.dumps(value, ensure_ascii=False)))

    def scrub_json_rows(self, queryset: "QuerySet[Any]", field: str) -> int:
        """Scrub the person from a JSON column of these rows (the first rejected rows an upload
        keeps, which no person's id points to); returns how many rows changed."""
        changed = 0
        for pk, value in queryset.values_list("pk", field).iterator():
            cleaned = self.scrub_json(value)
            if cleaned != value:
                queryset.model._default_manager.filter(pk=pk).update(**{field: cleaned})
                changed += 1
        return changed


@dataclass(frozen=True)
class Category:
    """One category of personal data one app holds, with what the law asks to state about it."""

    key: str  # "<app>.<thing>", stable: the export's JSON and the tests use it
    title: str  # «Сообщения в обратную связь и ответы на них»
    data: tuple[str, ...]  # what data it holds, in words («фамилия, имя, отчество», «IP-адрес»)
    purpose: str
    legal_basis: Basis
    source: Source
    retention: Retention
    models: tuple[str, ...]  # model labels ("feedback.FeedbackMessage") whose rows hold it
    export: Callable[[Any], list[Row]]
    erase: Callable[[Erasure], Counts]
    expire: Callable[[datetime.datetime, bool], Counts] | None = None
    system: System = System.PORTAL
    # Values that identify the person in other records (past addresses, representatives' names):
    # the scrubber of every erasure looks for them all.
    identifiers: Callable[[Any], Iterable[str]] | None = None
    erase_order: int = 100  # lower first; the account itself goes last
    show_order: int = 100  # in the export and the notification: lower first
    recipients: tuple[str, ...] = ()  # third parties the data goes to, beyond the processors


# Processors acting on the operator's instruction (art. 6 p. 3): in the export, the destruction
# act (RKN Order 179) and the notification to Roskomnadzor (art. 22).
PROCESSORS: tuple[str, ...] = (
    "хостинг-провайдер: размещение серверов и базы данных в Российской Федерации",
    "почтовый сервис оператора: отправка писем на адрес электронной почты",
)

NO_TRANSBORDER = (
    "Трансграничная передача персональных данных не осуществляется: данные хранятся и "
    "обрабатываются только на территории Российской Федерации."
)

_registry: dict[str, Category] = {}
_staff_records: set[str] = set()


def register(*declared: Category) -> None:
    for category in declared:
        if category.key in _registry and _registry[category.key] != category:
            raise ValueError(f"Personal-data category {category.key!r} is declared twice.")
        _registry[category.key] = category


def register_staff_records(*model_labels: str) -> None:
    """Models that name only staff members (authors, assignees), for the registry test and the
    notification: employees' data processed under their labour contracts."""
    _staff_records.update(model_labels)


def categories(*, for_erasure: bool = False) -> list[Category]:
    """Every declared category, in the order they are shown (or, `for_erasure`, erased)."""
    if for_erasure:
        return sorted(_registry.values(), key=lambda c: (c.erase_order, c.key))
    return sorted(_registry.values(), key=lambda c: (c.show_order, c.key))


def staff_record_models() -> frozenset[str]:
    return frozenset(_staff_records)


def declared_models() -> frozenset[str]:
    return frozenset(label for c in _registry.values() for label in c.models) | frozenset(
        _staff_records
    )


def subject_reference(user_id: int) -> str:
    """The pseudonymous reference to a subject: the account's number, no personal data.

    It replaces the person in the records a destruction keeps, and names them where their data
    is not needed (the request journal, the staff access log): one shape everywhere, so that an
    inspector can match the journal, the access log and the destruction acts.
    """
    return f"субъект-{user_id}"


# --- Blocked and destroyed: what the PD subject requests say of a person now ------------------


@dataclass(frozen=True)
class Blocking:
    """A request that blocks a subject's data now (152-FZ art. 21): its number and assignee."""

    number: str
    assignee_id: int | None


@dataclass(frozen=True)
class SubjectStates:
    """What the PD subject requests say of people's data now. The app that handles the requests
    provides it (`subject_states_provide`), and the apps below it ask here, as they register
    their data here: they never import it.

    - `blocked()`: the ids of the people whose data is blocked now, a subquery to exclude them
      from mailings, letters and other processing (policy 6.2.4);
    - `destroyed()`: the ids of the people whose data was destroyed;
    - `blockings(subject_id)`: the requests blocking one person's data now, oldest first.
    """

    blocked: "Callable[[], QuerySet[Any, Any]]"
    destroyed: "Callable[[], QuerySet[Any, Any]]"
    blockings: Callable[[int], list[Blocking]]


_subject_states: list[SubjectStates] = []


def subject_states_provide(states: SubjectStates) -> None:
    _subject_states[:] = [states]


def subject_states() -> SubjectStates:
    if not _subject_states:
        raise LookupError("No app provides the states of subjects' data (blocked, destroyed).")
    return _subject_states[0]


def subject_is_blocked(user: Any) -> bool:
    """Whether the person's data is blocked now (one query; none for a visitor)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return False
    return bool(subject_states().blockings(user.pk))


def blocked_among(user_ids: Iterable[int | None]) -> set[int]:
    """Which of these people's data is blocked now (one query; none for no ids)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return set()
    return set(
        get_user_model()
        ._default_manager.filter(pk__in=wanted)
        .filter(pk__in=subject_states().blocked())
        .values_list("pk", flat=True)
    )


# --- What loops over the registry ---------------------------------------------------------------


def subject_identifiers(user: Any) -> set[str]:
    """Everything that identifies the person across the kept records, past values included."""
    values: set[str] = set()
    for category in categories():
        if category.identifiers:
            values.update(v for v in category.identifiers(user) if v)
    return values


@dataclass
class ErasureOutcome:
    categories: list[str] = field(default_factory=list)  # titles of the categories erased
    systems: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=dict)  # Russian label → number of records


def erase_all(*, user: Any, actor: Any, reference: str) -> ErasureOutcome:
    """Run every category's erase for `user` (inside the caller's transaction)."""
    erasure = Erasure(
        user=user, actor=actor, reference=reference, identifiers=subject_identifiers(user)
    )
    outcome = ErasureOutcome()
    for category in categories(for_erasure=True):
        counts = category.erase(erasure)
        outcome.categories.append(category.title)
        if category.system not in outcome.systems:
            outcome.systems.append(category.system)
        for label, number in counts.items():
            outcome.counts[label] = outcome.counts.get(label, 0) + number
    return outcome


def expire_all(
    now: datetime.datetime, *, dry_run: bool = False
) -> Iterator[tuple[Category, Counts]]:
    """Run (or, with `dry_run`, only count) every category's expiry; yields what each did."""
    for category in categories():
        if category.expire is not None:
            yield category, category.expire(now, dry_run)


def expire_rows(queryset: "QuerySet[Any]", *, dry_run: bool) -> int:
    """Delete the rows of `queryset` in batches, or with `dry_run` only count them."""
    return queryset.count() if dry_run else delete_in_batches(queryset)


def older_than(now: datetime.datetime, setting: str) -> datetime.datetime:
    """The moment before which rows kept for `setting` days are past their retention."""
    return now - retention_delta(setting)


def describe(category: Category) -> Row:
    """What the law asks to state about a category (art. 14 p. 7, art. 22 p. 3)."""
    return {
        "key": category.key,
        "title": category.title,
        "data": list(category.data),
        "purpose": category.purpose,
        "legal_basis": str(category.legal_basis),
        "source": str(category.source),
        "retention": str(category.retention),
        "system": str(category.system),
        "recipients": list(category.recipients),
    }


def model_label(model: "type[Model]") -> str:
    return model._meta.label
