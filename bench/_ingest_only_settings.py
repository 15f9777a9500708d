"""Tidings' settings for bench/worker_scale.py --ingest-only: the project's own with no enrichment stage, so the
workers' time is the refreshes' (fetching, extraction, storing) alone."""

from tidings.settings import *  # noqa: F403

TIDINGS_ENRICHMENT_STAGES: list[tuple[str, dict[str, object]]] = []
