"""The consents app's models: consent records (legal evidence)."""

from consents.models.records import (
    ConsentPurpose,
    ConsentPurposeQuerySet,
    ConsentRecord,
    ConsentRecordQuerySet,
    ConsentText,
    ConsentTextQuerySet,
    PolicyAcknowledgement,
)

__all__ = [
    "ConsentPurpose",
    "ConsentPurposeQuerySet",
    "ConsentRecord",
    "ConsentRecordQuerySet",
    "ConsentText",
    "ConsentTextQuerySet",
    "PolicyAcknowledgement",
]
