"""What the billing app holds about a person: their лицевые счета as the billing system knows
them, the links to the web account, the audit of link attempts and the disputes about links
(see `lkk.personal_data`)."""

from django.utils import timezone

from billing.models import AccountLink, LinkAttempt, LinkDispute, RegistryUpload
from billing.services import account_unlink
from lkk import personal_data as pd

UNLINK_REASON = "уничтожение ПДн"


def _moment(value):
    return timezone.localtime(value) if value else None


def _accounts_export(user) -> list[pd.Row]:
    links = (
        AccountLink.objects.filter(user=user).select_related("account").order_by("linked_at", "pk")
    )
    return [
        {
            "Лицевой счёт": link.account.number,
            "Адрес объекта": link.account.address,
            "Владелец по данным биллинга": link.account.holder_name,
            "Состояние счёта": link.account.get_status_display(),
            "Подтверждён по": link.get_factor_display(),
            "Привязан": _moment(link.linked_at),
            "Отвязан": _moment(link.unlinked_at),
            "Причина отвязки": link.unlink_reason,
        }
        for link in links
    ]


def _accounts_erase(erasure: pd.Erasure) -> pd.Counts:
    """The links end and stay as history; the registry itself is the billing system's copy,
    kept under the supply contract and refreshed from it, not the portal's to destroy."""
    links = AccountLink.objects.active().filter(user=erasure.user).select_related("account")
    ended = sum(account_unlink(link=link, by=erasure.actor, reason=UNLINK_REASON) for link in links)
    return {"привязки лицевых счетов (прекращены)": ended}


def _attempts_export(user) -> list[pd.Row]:
    return [
        {
            "Когда": _moment(attempt.attempted_at),
            "Введённый номер": attempt.number_masked,
            "Подтверждено по": attempt.get_factor_display(),
            "Результат": attempt.get_outcome_display(),
            "IP-адрес": attempt.ip_address,
        }
        for attempt in LinkAttempt.objects.filter(user=user).order_by("attempted_at", "pk")
    ]


def _attempts_erase(erasure: pd.Erasure) -> pd.Counts:
    count = LinkAttempt.objects.filter(user=erasure.user).update(ip_address=None)
    return {"попытки привязки счетов (обезличены)": count}


def _attempts_expire(now, dry_run: bool) -> pd.Counts:
    old = LinkAttempt.objects.filter(
        attempted_at__lt=pd.older_than(now, "BILLING_LINK_ATTEMPT_RETENTION_DAYS")
    )
    return {"попытки привязки лицевых счетов (удалены)": pd.expire_rows(old, dry_run=dry_run)}


def _disputes_export(user) -> list[pd.Row]:
    return [
        {
            "Лицевой счёт": dispute.account.number,
            "Сообщение": dispute.comment,
            "Получено": _moment(dispute.created_at),
            "Рассмотрено": _moment(dispute.resolved_at),
        }
        for dispute in LinkDispute.objects.filter(user=user)
        .select_related("account")
        .order_by("created_at", "pk")
    ]


def _disputes_erase(erasure: pd.Erasure) -> pd.Counts:
    count = LinkDispute.objects.filter(user=erasure.user).update(comment="")
    return {"сообщения о чужой привязке счёта (тексты уничтожены)": count}


def _uploads_export(user) -> list[pd.Row]:
    """An upload's rejected rows are the billing system's lines, tied to no web account."""
    return []


def _uploads_erase(erasure: pd.Erasure) -> pd.Counts:
    """The first rejected values kept on an upload's page may name the person (a holder's name,
    an address): they are scrubbed like any other free text."""
    scrubbed = erasure.scrub_json_rows(RegistryUpload.objects.exclude(rejections=[]), "rejections")
    return {"загрузки реестра лицевых счетов (отклонённые строки обезличены)": scrubbed}


def _uploads_expire(now, dry_run: bool) -> pd.Counts:
    old = RegistryUpload.objects.filter(
        uploaded_at__lt=pd.older_than(now, "BILLING_REGISTRY_UPLOAD_RETENTION_DAYS")
    )
    return {"загрузки реестра лицевых счетов (удалены)": pd.expire_rows(old, dry_run=dry_run)}


pd.register(
    pd.Category(
        key="billing.accounts",
        title="Лицевые счета",
        data=(
            "номер лицевого счёта",
            "адрес объекта энергоснабжения",
            "ФИО владельца счёта",
            "заводской номер счётчика",
            "даты привязки и отвязки",
        ),
        purpose="доступ к сведениям по договору энергоснабжения в личном кабинете",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.BILLING,
        retention=pd.Retention(
            description="привязка — до отвязки; сведения реестра — пока счёт есть в биллинге"
        ),
        models=("billing.AccountLink", "billing.PersonalAccount"),
        export=_accounts_export,
        erase=_accounts_erase,
        erase_order=50,
    ),
    pd.Category(
        key="billing.link_attempts",
        title="Попытки привязки лицевых счетов",
        data=("введённый номер (замаскирован)", "результат", "IP-адрес"),
        purpose="защита лицевых счетов от подбора",
        legal_basis=pd.Basis.LEGITIMATE_INTEREST,
        source=pd.Source.PORTAL,
        retention=pd.Retention("BILLING_LINK_ATTEMPT_RETENTION_DAYS", 365),
        models=("billing.LinkAttempt",),
        export=_attempts_export,
        erase=_attempts_erase,
        expire=_attempts_expire,
    ),
    pd.Category(
        key="billing.disputes",
        title="Сообщения о привязке счёта другим человеком",
        data=("номер лицевого счёта", "текст сообщения"),
        purpose="рассмотрение сообщений о доступе к лицевому счёту",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PERSON,
        retention=pd.Retention(description="до уничтожения по требованию субъекта"),
        models=("billing.LinkDispute",),
        export=_disputes_export,
        erase=_disputes_erase,
    ),
    pd.Category(
        key="billing.registry_uploads",
        title="Загрузки реестра лицевых счетов сотрудниками",
        data=("отклонённые строки реестра: ФИО владельца, адрес, номер счёта",),
        purpose="загрузка реестра лицевых счетов из биллинга и разбор ошибок в нём",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.BILLING,
        retention=pd.Retention("BILLING_REGISTRY_UPLOAD_RETENTION_DAYS", 30),
        models=("billing.RegistryUpload",),
        export=_uploads_export,
        erase=_uploads_erase,
        expire=_uploads_expire,
    ),
)
