"""Edge service: run an OPML import uploaded in the web UI (stored first by opml_uploads), writing progress."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict
from datetime import timedelta

from django.utils import timezone

from tidings.lib.errors import ParseError
from tidings.sources.access import reader_for
from tidings.sources.models import OpmlImport, OpmlImportStatus
from tidings.sources.opml_import import ImportProgress, import_opml

logger = logging.getLogger(__name__)

PROGRESS_EVERY_SECONDS = 0.5  # progress is written at most this often (and after the last feed)
STALLED_AFTER = timedelta(minutes=10)  # a running import silent this long has lost its worker
STALLED_MESSAGE = (
    "the import stopped without finishing (its worker was stopped or restarted); upload the file again: "
    "feeds imported so far are kept and will be skipped"
)


def run_opml_import(import_id: int) -> str:
    """Import a stored upload through the CLI's code path as its uploader (their sources, their quota), writing
    progress as it goes; returns the final status."""
    job = OpmlImport.objects.filter(pk=import_id).first()
    if job is None:
        logger.warning("opml_import_missing import=%s", import_id)
        return "missing"
    if job.is_finished:
        return job.status
    if job.user is None:  # web uploads always have one: the account was deleted since
        return _fail(job, "the account that uploaded this file no longer exists")
    reader = reader_for(job.user)
    job.status = OpmlImportStatus.RUNNING
    job.started_at = job.progress_at = timezone.now()
    job.save(update_fields=["status", "started_at", "progress_at"])
    last_write = 0.0

    def record(progress: ImportProgress) -> None:
        nonlocal last_write
        now = time.monotonic()
        if progress.done < progress.total and now - last_write < PROGRESS_EVERY_SECONDS:
            return
        last_write = now
        OpmlImport.objects.filter(pk=import_id).update(
            total=progress.total,
            done=progress.done,
            imported=progress.added,
            skipped=progress.already_present,
            progress_at=timezone.now(),
        )

    try:
        report = import_opml(bytes(job.data), on_progress=record, reader=reader)
    except ParseError as err:
        return _fail(job, err.message)
    except Exception as exc:  # recorded on the import for the person waiting; the traceback goes to the log
        logger.exception("opml_import_crashed import=%s", import_id)
        return _fail(job, f"an unexpected error stopped this import ({exc.__class__.__name__})")
    job.refresh_from_db(fields=["total", "done"])
    job.status = OpmlImportStatus.DONE
    job.done = job.total
    job.imported = len(report.added)
    job.skipped = len(report.already_present)
    job.bad_entries = [asdict(error) for error in report.errors]
    job.warning = report.warning
    job.title = report.title[:500]
    job.finished_at = timezone.now()
    job.save()
    logger.info(
        "opml_import_done import=%s imported=%d skipped=%d bad=%d",
        job.pk,
        job.imported,
        job.skipped,
        len(report.errors),
    )
    return job.status


def fail_if_stalled(job: OpmlImport) -> bool:
    """Mark an import whose worker died as failed, so its page stops waiting; True when it did."""
    if not job.is_stalled(timezone.now(), STALLED_AFTER):
        return False
    updated = OpmlImport.objects.filter(pk=job.pk, status=OpmlImportStatus.RUNNING, progress_at=job.progress_at)
    if not updated.update(status=OpmlImportStatus.FAILED, error=STALLED_MESSAGE, finished_at=timezone.now()):
        return False  # it moved (or finished) in the meantime
    job.refresh_from_db(fields=["status", "error", "finished_at"])
    logger.warning("opml_import_stalled import=%s", job.pk)
    return True


def _fail(job: OpmlImport, message: str) -> str:
    job.status = OpmlImportStatus.FAILED
    job.error = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    logger.info("opml_import_failed import=%s error=%r", job.pk, message)
    return job.status
