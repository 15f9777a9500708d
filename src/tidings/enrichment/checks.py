"""System check: the configured enrichment stages import, build and come in a workable order."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def check_enrichment_pipeline(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Builds the pipeline without calling any stage's setup(), so no model is loaded."""
    from tidings.enrichment.registry import build_pipeline

    try:
        build_pipeline()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint="Fix TIDINGS_ENRICHMENT_STAGES in settings (see src/tidings/enrichment/stage.py).",
                id="tidings.E001",
            )
        ]
    return []
