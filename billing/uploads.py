"""Registry files uploaded by staff: stored by the request, imported by a background task.

The request only saves the file and queues `billing.tasks.registry_upload_import`; the staff
member watches the upload's page, which shows the progress the task writes as it reads
(`lkk.exchange_upload`, the shape every upload of the admin shares). The task imports through
`billing.importer.registry_import` with the upload limits (`lkk.upload_limits`), so a ZIP bomb
or an endless sheet is refused with a message instead of taking a worker down. The file is
emptied from the row once read.
"""

import io
import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from billing.importer import RegistryImportError, registry_import
from billing.models import RegistryUpload
from lkk.exchange_upload import KeptRejections, RowProgress
from lkk.upload_limits import UploadLimits

logger = logging.getLogger(__name__)


def registry_upload_start(*, file: UploadedFile, full: bool, by: User) -> RegistryUpload:
    """Store the file and queue its import after commit."""
    from billing.tasks import registry_upload_import

    upload = RegistryUpload.objects.create(
        uploaded_by=by, file_name=(file.name or "")[:255], full=full, content=file.read()
    )
    transaction.on_commit(lambda: registry_upload_import.enqueue(upload_id=upload.pk))
    return upload


def registry_upload_run(*, upload_id: int) -> None:
    """The task's work: import the upload once, and record how it ended."""
    claimed = RegistryUpload.objects.filter(
        pk=upload_id, status=RegistryUpload.Status.QUEUED
    ).update(status=RegistryUpload.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return  # already run (a task delivered twice)
    upload = RegistryUpload.objects.get(pk=upload_id)
    rejections = KeptRejections()
    progress = RowProgress(RegistryUpload._meta.db_table, upload_id)
    ended: dict[str, object] = {"content": b"", "finished_at": None, "percent": None}
    try:
        summary = registry_import(
            io.BytesIO(bytes(upload.content)),
            full=upload.full,
            on_reject=rejections,
            progress=progress,
            limits=UploadLimits.from_settings(),
        )
    except RegistryImportError as error:
        ended |= {"status": RegistryUpload.Status.FAILED, "error": str(error)}
    except Exception:
        logger.exception("Registry upload %s failed", upload_id)
        ended |= {
            "status": RegistryUpload.Status.FAILED,
            "error": "Непредвиденная ошибка при загрузке: реестр не изменён. "
            "Сообщите администратору портала.",
        }
        raise
    else:
        logger.info("Registry imported by staff user %s: %s", upload.uploaded_by_id, summary)
        ended |= {
            "status": RegistryUpload.Status.DONE,
            "summary": {
                "rows": summary.rows,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
                "closed": summary.closed,
                "rejected": summary.rejected,
            },
            "rejections": rejections.rows,
            "percent": 100,
        }
    finally:
        progress.close()
        ended["finished_at"] = timezone.now()
        RegistryUpload.objects.filter(pk=upload_id).update(**ended)
