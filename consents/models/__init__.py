"""The consents app's models: consent records (legal evidence) and PD subject requests."""

from consents.models.records import (
    ConsentPurpose,
    ConsentPurposeQuerySet,
    ConsentRecord,
    ConsentRecordQuerySet,
    ConsentText,
    ConsentTextQuerySet,
    PolicyAcknowledgement,
)
from consents.models.subject_requests import (
    Action,
    DestructionAct,
    DestructionNotice,
    SubjectRequest,
    SubjectRequestEvent,
    SubjectRequestQuerySet,
    pd_is_blocked,
)

__all__ = [
    "Action",
    "ConsentPurpose",
    "ConsentPurposeQuerySet",
    "ConsentRecord",
    "ConsentRecordQuerySet",
    "ConsentText",
    "ConsentTextQuerySet",
    "DestructionAct",
    "DestructionNotice",
    "PolicyAcknowledgement",
    "SubjectRequest",
    "SubjectRequestEvent",
    "SubjectRequestQuerySet",
    "pd_is_blocked",
]
