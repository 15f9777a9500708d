"""Edge: blank stored links that lib.urls would not let in (for the data migrations that clean old rows)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import models

from tidings.lib.urls import safe_http_url

logger = logging.getLogger(__name__)

READ_CHUNK = 2000
UPDATE_CHUNK = 500


def blank_unsafe_urls(model: type[models.Model], fields: Sequence[str], *, using: str = "default") -> int:
    """Set to "" every value of `fields` that is not an absolute http(s) URL; return how many values changed.

    Only unsafe values are touched: a safe one stays as stored, even where safe_http_url would tidy it
    (tidying a unique URL could collide with another row's). Running it again changes nothing.
    `model` may be a migration's historical model.
    """
    manager = model._base_manager.db_manager(using)
    changed = 0
    for field in fields:
        unsafe = [
            pk
            for pk, value in manager.exclude(**{field: ""}).values_list("pk", field).iterator(chunk_size=READ_CHUNK)
            if not safe_http_url(value)
        ]
        for start in range(0, len(unsafe), UPDATE_CHUNK):
            changed += manager.filter(pk__in=unsafe[start : start + UPDATE_CHUNK]).update(**{field: ""})
        if unsafe:
            logger.warning("unsafe_urls_blanked model=%s field=%s count=%d", model._meta.label, field, len(unsafe))
    return changed
