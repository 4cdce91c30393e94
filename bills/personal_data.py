"""What the bills app holds about a person (see `lkk.personal_data`): the charges and payments of
their лицевые счета as billing computed them, their choice of the electronic receipt, and the
marks of the receipt letters sent to them.

The import runs (`BillsImport`) are the staff's journal of file loads: a file's name and counts,
and for a file uploaded in the admin its first rejected rows — cells of billing's file such as an
account number or a recalculation's reason, shown only to staff who may see personal data, and
erased after BILLS_IMPORT_REJECTION_RETENTION_DAYS while the counts stay. The uploaded file
itself is emptied once read.
"""

import datetime
from typing import Any

from django.utils import timezone

from billing.models import AccountLink
from bills.models import BillsImport, Charge, ElectronicReceiptChoice, Payment, ReceiptLetter
from lkk import personal_data as pd


def _moment(value: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(value) if value else None


def _linked_accounts(user: Any) -> Any:
    return AccountLink.objects.active().filter(user=user).values("account_id")


def _charges_export(user: Any) -> list[pd.Row]:
    """The months and payments of the accounts linked now: what the person sees in the cabinet."""
    accounts = _linked_accounts(user)
    charges = (
        Charge.objects.current()
        .filter(account_id__in=accounts)
        .select_related("account")
        .order_by("account__number", "period")
    )
    payments = (
        Payment.objects.filter(account_id__in=accounts)
        .select_related("account")
        .order_by("account__number", "paid_on", "pk")
    )
    rows: list[pd.Row] = [
        {
            "Лицевой счёт": charge.account.number,
            "Что": f"начисление за {charge.period:%m.%Y}",
            "Сумма, ₽": charge.charged,
            "Дата": charge.due_date,
            "Подробности": f"к оплате {charge.amount_due} ₽ до {charge.due_date:%d.%m.%Y}",
        }
        for charge in charges
    ]
    rows += [
        {
            "Лицевой счёт": payment.account.number,
            "Что": f"платёж ({payment.get_channel_display()})",
            "Сумма, ₽": payment.amount,
            "Дата": payment.paid_on,
            "Подробности": f"зачтён за {payment.period:%m.%Y}",
        }
        for payment in payments
    ]
    return rows


def _charges_erase(erasure: pd.Erasure) -> pd.Counts:
    """Nothing to destroy here: the rows are billing's copy about the account and name nobody;
    the person's access to them ends with the links (`billing.accounts`)."""
    return {}


def _choices_export(user: Any) -> list[pd.Row]:
    choices = (
        ElectronicReceiptChoice.objects.filter(user=user)
        .select_related("account")
        .order_by("chosen_at", "pk")
    )
    return [
        {
            "Лицевой счёт": choice.account.number,
            "Квитанция": "электронная, на адрес электронной почты"
            if choice.electronic
            else "бумажная",
            "Выбрано": _moment(choice.chosen_at),
            "Передано в биллинг": "да" if choice.export_id else "ещё нет",
        }
        for choice in choices
    ]


def _choices_erase(erasure: pd.Erasure) -> pd.Counts:
    """The address the receipts went to is destroyed, so each electronic receipt in force is
    turned back to paper by a new choice that billing gets with the next export; the history of
    choices stays (it holds no identifier) as the ground on which receipts were not printed."""
    in_force = (
        ElectronicReceiptChoice.objects.filter(user=erasure.user)
        .order_by("account_id", "-chosen_at", "-pk")
        .distinct("account_id")
        .values_list("account_id", "electronic")
    )
    accounts = [account for account, electronic in in_force if electronic]
    ElectronicReceiptChoice.objects.bulk_create(
        ElectronicReceiptChoice(account_id=account, user=erasure.user, electronic=False)
        for account in accounts
    )
    return {"электронные квитанции (заменены бумажными)": len(accounts)}


def _letters_export(user: Any) -> list[pd.Row]:
    return [
        {
            "Расчётный месяц": f"{letter.period:%m.%Y}",
            "Письмо отправлено": _moment(letter.sent_at),
        }
        for letter in ReceiptLetter.objects.filter(user=user).order_by("period", "pk")
    ]


def _letters_erase(erasure: pd.Erasure) -> pd.Counts:
    deleted, _ = ReceiptLetter.objects.filter(user=erasure.user).delete()
    return {"отметки об отправке квитанций (удалены)": deleted}


def _letters_expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    old = ReceiptLetter.objects.filter(
        created_at__lt=pd.older_than(now, "BILLS_RECEIPT_LETTER_RETENTION_DAYS")
    )
    return {"отметки об отправке квитанций (удалены)": pd.expire_rows(old, dry_run=dry_run)}


def _import_rejections_export(user: Any) -> list[pd.Row]:
    """An import's rejected rows are billing's lines, tied to no web account."""
    return []


def _import_rejections_erase(erasure: pd.Erasure) -> pd.Counts:
    """A kept rejected value may name the person (a recalculation's reason): scrubbed like any
    other free text."""
    scrubbed = erasure.scrub_json_rows(BillsImport.objects.exclude(rejections=[]), "rejections")
    return {"загрузки начислений и платежей (отклонённые строки обезличены)": scrubbed}


def _import_rejections_expire(now: datetime.datetime, dry_run: bool) -> pd.Counts:
    """The rejected rows go, the summary stays: what was loaded and how much was refused remains
    the staff's record. A few imports a month: one UPDATE, no batches."""
    old = BillsImport.objects.exclude(rejections=[]).filter(
        started_at__lt=pd.older_than(now, "BILLS_IMPORT_REJECTION_RETENTION_DAYS")
    )
    erased = old.count() if dry_run else old.update(rejections=[], rejections_erased_at=now)
    return {"загрузки начислений и платежей (отклонённые строки уничтожены)": erased}


pd.register(
    pd.Category(
        key="bills.charges",
        title="Начисления и платежи",
        data=(
            "начисления по лицевому счёту за каждый месяц и строки расчёта",
            "показания и объёмы, по которым начислено",
            "платежи: дата, сумма, способ оплаты, прежние значения исправленных платежей",
        ),
        purpose="сведения о расчётах по договору энергоснабжения в личном кабинете",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.BILLING,
        retention=pd.Retention(
            description="копия данных биллинга о лицевом счёте: пока счёт есть в биллинге; "
            "доступ к ней прекращается с отвязкой счёта"
        ),
        models=("bills.Charge", "bills.ChargeLine", "bills.Payment", "bills.PaymentVersion"),
        export=_charges_export,
        erase=_charges_erase,
    ),
    pd.Category(
        key="bills.receipt_choices",
        title="Выбор электронной квитанции",
        data=("номер лицевого счёта", "выбор электронной или бумажной квитанции и его время"),
        purpose="доставка квитанций по договору энергоснабжения на адрес электронной почты "
        "вместо бумажных",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PERSON,
        retention=pd.Retention(
            description="пока действует договор энергоснабжения; при уничтожении данных "
            "квитанция снова становится бумажной"
        ),
        models=("bills.ElectronicReceiptChoice",),
        export=_choices_export,
        erase=_choices_erase,
    ),
    pd.Category(
        key="bills.receipt_letters",
        title="Письма с квитанциями",
        data=("за какой месяц письмо с квитанцией отправлено и когда",),
        purpose="отправка ежемесячной квитанции не больше одного раза за месяц",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.PORTAL,
        retention=pd.Retention("BILLS_RECEIPT_LETTER_RETENTION_DAYS", 365),
        models=("bills.ReceiptLetter",),
        export=_letters_export,
        erase=_letters_erase,
        expire=_letters_expire,
    ),
    pd.Category(
        key="bills.import_rejections",
        title="Загрузки начислений и платежей сотрудниками",
        data=(
            "отклонённые строки файлов биллинга: номер лицевого счёта, суммы, показания, "
            "причина перерасчёта",
        ),
        purpose="загрузка начислений и платежей из биллинга и разбор ошибок в файлах",
        legal_basis=pd.Basis.CONTRACT,
        source=pd.Source.BILLING,
        retention=pd.Retention(
            "BILLS_IMPORT_REJECTION_RETENTION_DAYS",
            90,
            description="отклонённые строки уничтожаются, итоги загрузки сохраняются",
        ),
        models=("bills.BillsImport",),
        export=_import_rejections_export,
        erase=_import_rejections_erase,
        expire=_import_rejections_expire,
    ),
)
