"""Edge service: an OPML file uploaded in the web UI is checked and stored, and its import queued (the task
runs opml_jobs.run_opml_import in the background, with progress)."""

from __future__ import annotations

import logging

from django.db import transaction

from tidings.lib.errors import InvalidInput, ParseError, QueueUnavailable
from tidings.sources.models import OpmlImport
from tidings.sources.opml import MAX_OPML_BYTES, parse_opml
from tidings.sources.tasks import run_opml_import_task

logger = logging.getLogger(__name__)

FILE_NAME_MAX_LENGTH = 255


def start_opml_import(data: bytes, *, file_name: str, user_id: int | None = None) -> OpmlImport:
    """Check and store an uploaded OPML file, then queue its import once the transaction commits.

    Raises InvalidInput (nothing stored) when the file is empty, too big or not readable as OPML.
    """
    if len(data) > MAX_OPML_BYTES:
        raise InvalidInput(f"the file is larger than the limit of {MAX_OPML_BYTES // (1024 * 1024)} MB for OPML")
    try:
        document = parse_opml(data)
    except ParseError as err:
        raise InvalidInput(err.message) from None
    job = OpmlImport.objects.create(
        user_id=user_id,
        file_name=(file_name or "upload.opml")[:FILE_NAME_MAX_LENGTH],
        data=data,
        title=document.title[:500],
        total=len(document.feeds),
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    logger.info("opml_import_queued import=%s feeds=%d bytes=%d", job.pk, job.total, len(data))
    return job


def _enqueue(import_id: int) -> None:
    try:
        run_opml_import_task.enqueue(import_id)
    except QueueUnavailable:
        # Nothing half-done: no import that would wait forever; the reader is told to upload again (a 503).
        OpmlImport.objects.filter(pk=import_id).delete()
        raise
