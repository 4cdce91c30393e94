"""What the consents app holds about a person: consent records and acknowledgements of the
policy (see `lkk.personal_data`).

Consent records and acknowledgements are the operator's evidence (152-FZ art. 9 p. 3) and are
append-only by database triggers; destruction keeps them with the person replaced by a
pseudonymous reference, passing exactly those triggers.
"""

import pgtrigger
from django.utils import timezone

from consents.models import ConsentPurpose, ConsentRecord, PolicyAcknowledgement
from lkk import personal_data as pd

# The triggers destruction passes, each for the one UPDATE that replaces PD in its rows.
_TRIGGERS_PASSED = (
    "consents.ConsentRecord:consents_record_no_update",
    "consents.PolicyAcknowledgement:consents_acknowledgement_no_update",
)
_EVIDENCE = pd.Retention(
    description="в течение срока действия согласия и трёх лет после его отзыва или "
    "прекращения обработки (доказательство согласия, ст. 9 ч. 3 152-ФЗ)"
)


def _moment(value):
    return timezone.localtime(value) if value else None


# --- Consent records ------------------------------------------------------------------------------


def _records_identifiers(user) -> list[str]:
    rows = ConsentRecord.objects.filter(user=user).values_list(
        "representative_name", "represented_name", "basis_document_number"
    )
    return [value for row in rows for value in row if value]


def _records_export(user) -> list[pd.Row]:
    state = {
        purpose.pk: (
            "согласие дано"
            if purpose.is_given
            else "согласие отозвано"
            if purpose.current_action
            else "согласие не давалось"
        )
        for purpose in ConsentPurpose.objects.with_state_for(user)
    }
    return [
        {
            "Когда": _moment(record.created_at),
            "Согласие": record.purpose.name,
            "Действие": record.get_action_display(),
            "Текст согласия, редакция": record.text.version,
            "Редакция политики": record.policy_version.label if record.policy_version else None,
            "Как": record.get_source_display(),
            "IP-адрес": record.ip_address,
            "Браузер": record.user_agent,
            "Законный представитель": record.representative_name,
            "Представляемое лицо": record.represented_name,
            "Документ-основание": " № ".join(
                p for p in (record.basis_document_type, record.basis_document_number) if p
            ),
            "Состояние согласия сейчас": state.get(record.purpose_id, ""),
        }
        for record in ConsentRecord.objects.history_for(user).order_by("created_at", "pk")
    ]


def _records_erase(erasure: pd.Erasure) -> pd.Counts:
    records = ConsentRecord.objects.filter(user=erasure.user)
    with pgtrigger.ignore(*_TRIGGERS_PASSED):
        count = records.update(
            ip_address=None, user_agent="", basis_document_type="", basis_document_number=""
        )
        records.exclude(representative_name="").update(representative_name=erasure.reference)
        records.exclude(represented_name="").update(represented_name=erasure.reference)
    return {"записи о согласиях (обезличены)": count}


# --- Acknowledgements of the policy ------------------------------------------------------------


def _acknowledgements_export(user) -> list[pd.Row]:
    return [
        {
            "Редакция политики": ack.policy_version.label,
            "Ознакомлен": _moment(ack.created_at),
            "IP-адрес": ack.ip_address,
            "Браузер": ack.user_agent,
        }
        for ack in PolicyAcknowledgement.objects.filter(user=user)
        .select_related("policy_version")
        .order_by("created_at", "pk")
    ]


def _acknowledgements_erase(erasure: pd.Erasure) -> pd.Counts:
    with pgtrigger.ignore(*_TRIGGERS_PASSED):
        count = PolicyAcknowledgement.objects.filter(user=erasure.user).update(
            ip_address=None, user_agent=""
        )
    return {"ознакомления с политикой (обезличены)": count}


pd.register(
    pd.Category(
        key="consents.records",
        title="Согласия на обработку персональных данных и их отзывы",
        data=(
            "действие (дано, отозвано) и текст согласия",
            "IP-адрес и сведения о браузере",
            "ФИО законного представителя и реквизиты документа",
        ),
        purpose="подтверждение получения согласия и его отзыва (ст. 9 ч. 3 152-ФЗ)",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PERSON,
        retention=_EVIDENCE,
        models=("consents.ConsentRecord",),
        export=_records_export,
        erase=_records_erase,
        identifiers=_records_identifiers,
        erase_order=10,
    ),
    pd.Category(
        key="consents.policy_acknowledgements",
        title="Ознакомление с политикой обработки персональных данных",
        data=("редакция политики и время ознакомления", "IP-адрес и сведения о браузере"),
        purpose="подтверждение ознакомления с политикой оператора",
        legal_basis=pd.Basis.LAW,
        source=pd.Source.PERSON,
        retention=_EVIDENCE,
        models=("consents.PolicyAcknowledgement",),
        export=_acknowledgements_export,
        erase=_acknowledgements_erase,
        erase_order=10,
    ),
)
pd.register_staff_records("consents.ConsentText", "consents.ConsentPurpose")
