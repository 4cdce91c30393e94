"""Charges and payments files uploaded by staff in the admin: stored by the request, imported by
a background task — the mechanism every admin upload shares (`lkk.exchange_upload`).

The request stores the file in its `BillsImport` row (queued) and queues
`bills.tasks.bills_upload_import` after commit; the task claims the row, imports through
`charges_import` / `payments_import` with the upload limits (`lkk.upload_limits`), writing the
progress to the row as it reads, and leaves the summary and the first rejected rows there for
the upload's page. The file is emptied from the row once read.
"""

import io
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from bills.importer import charges_import, payments_import
from bills.models import BillsImport
from lkk.exchange import ExchangeError
from lkk.exchange_upload import KeptRejections
from lkk.upload_limits import UploadLimits

logger = logging.getLogger(__name__)

IMPORTERS = {
    BillsImport.Kind.CHARGES: charges_import,
    BillsImport.Kind.PAYMENTS: payments_import,
}


def bills_upload_start(*, kind: str, file: UploadedFile, by: User) -> BillsImport:
    """Store the file and queue its import after commit."""
    from bills.tasks import bills_upload_import

    record = BillsImport.objects.create(
        kind=kind,
        file_name=(file.name or "")[:255],
        uploaded_by=by,
        content=file.read(),
        status=BillsImport.Status.QUEUED,
    )
    transaction.on_commit(lambda: bills_upload_import.enqueue(import_id=record.pk))
    return record


def bills_upload_run(*, import_id: int) -> None:
    """The task's work: import the upload once. The importer records how it ended."""
    claimed = BillsImport.objects.filter(pk=import_id, status=BillsImport.Status.QUEUED).update(
        status=BillsImport.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already run (a task delivered twice)
    record = BillsImport.objects.get(pk=import_id)
    content, record.content = bytes(record.content), b""
    rejections = KeptRejections()
    try:
        IMPORTERS[BillsImport.Kind(record.kind)](
            io.BytesIO(content),
            record=record,
            on_reject=rejections,
            limits=UploadLimits.from_settings(),
        )
    except ExchangeError:
        pass  # the file's fault, recorded with its message on the row
    except Exception:
        logger.exception("Bills upload %s failed", import_id)
        BillsImport.objects.filter(pk=import_id).update(
            message="Непредвиденная ошибка при загрузке: данные не изменены. "
            "Сообщите администратору портала."
        )
        raise
    finally:
        BillsImport.objects.filter(pk=import_id).update(content=b"", rejections=rejections.rows)
