"""What third-party apps hold about a person, declared by the project (see `lkk.personal_data`):
django-axes' sign-in logs, the admin's change log, sessions and the background-task table; and
the letters `lkk.letters` holds while a person's data is blocked.

Models are reached through `django.apps` (by label), so this module imports none of them when
it loads, and it runs from `LkkConfig.ready()`.
"""

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from lkk import personal_data as pd

AXES_MODELS = ("axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog")
TASK_RESULT = "django_tasks_database.DBTaskResult"


# --- django-axes: the sign-in log ----------------------------------------------------------------


def _axes_export(user) -> list[pd.Row]:
    log = apps.get_model("axes.AccessLog")
    return [
        {
            "Вход": timezone.localtime(entry.attempt_time),
            "Выход": timezone.localtime(entry.logout_time) if entry.logout_time else None,
            "IP-адрес": entry.ip_address,
            "Браузер": entry.user_agent,
        }
        for entry in log.objects.filter(username__iexact=user.email).order_by("attempt_time")
    ]


def _axes_erase(erasure: pd.Erasure) -> pd.Counts:
    names = [v for v in erasure.identifiers if "@" in v] or [erasure.user.email]
    query = Q()
    for name in names:
        query |= Q(username__iexact=name)
    deleted = sum(apps.get_model(label).objects.filter(query).delete()[0] for label in AXES_MODELS)
    return {"записи журнала входа (удалены)": deleted}


def _axes_expire(now, dry_run: bool) -> pd.Counts:
    before = pd.older_than(now, "AXES_LOG_RETENTION_DAYS")
    deleted = sum(
        pd.expire_rows(
            apps.get_model(label).objects.filter(attempt_time__lt=before), dry_run=dry_run
        )
        for label in AXES_MODELS
    )
    return {"записи журнала входа (удалены)": deleted}


# --- The admin's change log ----------------------------------------------------------------------


def _admin_log_erase(erasure: pd.Erasure) -> pd.Counts:
    """Entries about the person's account name it by reference; other entries lose mentions."""
    entry = apps.get_model("admin.LogEntry")
    user_type = ContentType.objects.get_for_model(erasure.user)
    about = entry.objects.filter(content_type=user_type, object_id=str(erasure.user.pk)).update(
        object_repr=erasure.reference
    )
    mentions = Q()
    for value in erasure.identifiers:
        mentions |= Q(object_repr__icontains=value) | Q(change_message__icontains=value)
    others = list(entry.objects.filter(mentions)) if erasure.identifiers else []
    for item in others:
        item.object_repr = erasure.scrub_text(item.object_repr)
        item.change_message = erasure.scrub_text(item.change_message)
    entry.objects.bulk_update(others, ["object_repr", "change_message"])
    return {"записи журнала изменений администрирования (обезличены)": about + len(others)}


def _admin_log_expire(now, dry_run: bool) -> pd.Counts:
    old = apps.get_model("admin.LogEntry").objects.filter(
        action_time__lt=pd.older_than(now, "ADMIN_LOG_RETENTION_DAYS")
    )
    return {
        "записи журнала изменений администрирования (удалены)": pd.expire_rows(old, dry_run=dry_run)
    }


# --- Sessions ------------------------------------------------------------------------------------


def _sessions_erase(erasure: pd.Erasure) -> pd.Counts:
    """The person's sessions end. A session names its user only inside its encoded data, so
    the live ones are decoded (destruction is rare; expired ones go by retention anyway)."""
    session = apps.get_model("sessions.Session")
    user_id = str(erasure.user.pk)
    mine = [
        s.pk
        for s in session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id")) == user_id
    ]
    deleted, _ = session.objects.filter(pk__in=mine).delete()
    return {"сеансы входа (завершены и удалены)": deleted}


def _sessions_expire(now, dry_run: bool) -> pd.Counts:
    old = apps.get_model("sessions.Session").objects.filter(expire_date__lt=now)
    return {"истёкшие сеансы входа (удалены)": pd.expire_rows(old, dry_run=dry_run)}


# --- Background tasks ----------------------------------------------------------------------------


def _tasks_erase(erasure: pd.Erasure) -> pd.Counts:
    """Task arguments carry ids, but an error's text may quote an address: scrub what is left."""
    if not apps.is_installed("django_tasks_db") or not erasure.identifiers:
        return {}
    result = apps.get_model(TASK_RESULT)
    mentions = Q()
    for value in erasure.identifiers:
        mentions |= Q(traceback__icontains=value) | Q(args_kwargs__icontains=value)
        mentions |= Q(return_value__icontains=value)
    rows = list(result.objects.filter(mentions))
    for row in rows:
        row.args_kwargs = erasure.scrub_json(row.args_kwargs)
        row.return_value = erasure.scrub_json(row.return_value)
        row.traceback = erasure.scrub_text(row.traceback)
    result.objects.bulk_update(rows, ["args_kwargs", "return_value", "traceback"])
    return {"записи фоновых задач (обезличены)": len(rows)}


def _tasks_expire(now, dry_run: bool) -> pd.Counts:
    if not apps.is_installed("django_tasks_db"):
        return {}
    old = apps.get_model(TASK_RESULT).objects.filter(
        finished_at__lt=pd.older_than(now, "TASK_RESULT_RETENTION_DAYS")
    )
    return {"результаты фоновых задач (удалены)": pd.expire_rows(old, dry_run=dry_run)}


# --- The rate limits' counted actions (lkk.limits) ---------------------------------------------


def _rate_events_erase(erasure: pd.Erasure) -> pd.Counts:
    """Keys name accounts by number and visitors by IP address: the person's go at once."""
    events = apps.get_model("lkk.RateEvent")
    mentions = Q(key__endswith=f":{erasure.user.pk}")
    for value in erasure.identifiers:
        mentions |= Q(key__icontains=value)
    deleted, _ = events.objects.filter(mentions).delete()
    return {"записи ограничителя частоты действий (удалены)": deleted}


def _rate_events_expire(now, dry_run: bool) -> pd.Counts:
    old = apps.get_model("lkk.RateEvent").objects.filter(expires_at__lt=now)
    return {"истёкшие записи ограничителя частоты (удалены)": pd.expire_rows(old, dry_run=dry_run)}


# --- Letters held while the person's data is blocked (lkk.letters) ------------------------------


def _held_letters_export(user) -> list[pd.Row]:
    held = apps.get_model("lkk.HeldLetter").objects.filter(recipient=user).order_by("held_at")
    return [
        {
            "Письмо задержано": timezone.localtime(letter.held_at),
            "Будет отправлено": "после снятия блокирования",
        }
        for letter in held
    ]


def _held_letters_erase(erasure: pd.Erasure) -> pd.Counts:
    deleted, _ = apps.get_model("lkk.HeldLetter").objects.filter(recipient=erasure.user).delete()
    return {"письма, задержанные на время блокирования (удалены)": deleted}


def _nothing(user: Any) -> list[pd.Row]:
    return []


pd.register(
    pd.Category(
        key="lkk.sign_ins",
        title="Журнал входа в личный кабинет",
        data=("адрес, под которым выполнен вход", "время входа и выхода", "IP-адрес", "браузер"),
        purpose="защита учётных записей от подбора пароля и расследование инцидентов",
        legal_basis=pd.Basis.LEGITIMATE_INTEREST,
        source=pd.Source.PORTAL,
        retention=pd.Retention("AXES_LOG_RETENTION_DAYS", 365),
        models=AXES_MODELS,
        export=_axes_export,
        erase=_axes_erase,
        expire=_axes_expire,
    ),
    pd.Category(
        key="lkk.admin_log",
        title="Журнал изменений, внесённых работниками",
        data=("какая запись изменена и когда (без самих данных)",),
        purpose="контроль действий работников с записями информационной системы",
        legal_basis=pd.Basis.LEGITIMATE_INTEREST,
        source=pd.Source.STAFF,
        retention=pd.Retention("ADMIN_LOG_RETENTION_DAYS", 1095),
        models=("admin.LogEntry",),
        export=_nothing,
        erase=_admin_log_erase,
        expire=_admin_log_expire,
    ),
    pd.Category(
        key="lkk.rate_limits",
        title="Ограничение частоты действий",
        data=("IP-адрес или номер учётной записи", "время действия (письмо, форма)"),
        purpose="защита от подбора и от рассылки писем по чужим адресам",
        legal_basis=pd.Basis.LEGITIMATE_INTEREST,
        source=pd.Source.PORTAL,
        retention=pd.Retention(description="пока длится окно ограничения (не более суток)"),
        models=("lkk.RateEvent",),
        export=_nothing,
        erase=_rate_events_erase,
        expire=_rate_events_expire,
    ),
    pd.Category(
        key="lkk.sessions",
        title="Сеансы входа",
        data=("идентификатор сеанса в cookie", "номер учётной записи"),
        purpose="вход в личный кабинет",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PORTAL,
        retention=pd.Retention(description="до выхода или истечения сеанса"),
        models=("sessions.Session",),
        export=_nothing,
        erase=_sessions_erase,
        expire=_sessions_expire,
    ),
    pd.Category(
        key="lkk.held_letters",
        title="Письма, задержанные на время блокирования данных",
        data=("номер учётной записи", "какое письмо и когда задержано"),
        purpose="отправка писем, которые вам причитаются, после снятия блокирования",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PORTAL,
        retention=pd.Retention(description="до снятия блокирования или уничтожения данных"),
        models=("lkk.HeldLetter",),
        export=_held_letters_export,
        erase=_held_letters_erase,
    ),
    pd.Category(
        key="lkk.tasks",
        title="Фоновые задачи (отправка писем)",
        data=("номер учётной записи или обращения, для которого отправляется письмо",),
        purpose="отправка писем, которые вы запросили или которые требует закон",
        legal_basis=pd.Basis.CONSENT,
        source=pd.Source.PORTAL,
        retention=pd.Retention("TASK_RESULT_RETENTION_DAYS", 30, "после выполнения задачи"),
        models=(TASK_RESULT,),
        export=_nothing,
        erase=_tasks_erase,
        expire=_tasks_expire,
    ),
)
# The filings of the notification to Roskomnadzor name the staff member who recorded them.
pd.register_staff_records("lkk.NotificationFiling")
