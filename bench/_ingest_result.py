"""The RESULT line of bench/ingest.py: which baseline a ratio is against, and one key per configuration.

Pure functions (no processes, no farm) so the choice of baseline and the key names can be tested.
A speed ratio is against the fastest of reader's settings that finished in the same run, never a chosen
one; dedup scores and times carry the name of the configuration they were measured on (`_feeds_only`:
FETCH_FULL_TEXT=False, the job reader does; `_full_text`: our default, which also fetches article pages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    """Dedup precision and recall of one configuration (the worst of its scenarios)."""

    precision: float
    recall: float


def best_baseline(seconds: Mapping[str, float | None]) -> tuple[str, float] | None:
    """The fastest setting that finished, as (name, seconds); None when none did (None: failed or not run)."""
    finished = [(value, name) for name, value in seconds.items() if value is not None and value > 0]
    if not finished:
        return None
    value, name = min(finished)
    return name, value


def speedup_vs_best(ours: float | None, baselines: Mapping[str, float | None]) -> tuple[float | None, str | None]:
    """Our seconds against the fastest finished baseline setting: (ratio, that setting's name)."""
    best = best_baseline(baselines)
    if best is None or ours is None or ours <= 0:
        return None, best[0] if best else None
    return best[1] / ours, best[0]


def worst(scores: Iterable[Scores]) -> Scores | None:
    """The lowest precision and the lowest recall over a configuration's scenarios."""
    scores = list(scores)
    if not scores:
        return None
    return Scores(min(s.precision for s in scores), min(s.recall for s in scores))


def fmt(value: float | int | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def result_line(
    *,
    speedup: float | None,
    speedup_no_latency: float | None,
    revalidation_304_ratio: float | None,
    revalidation_speedup: float | None,
    peak_rss_mb: float | None,
    feeds_only: Scores | None,
    full_text: Scores | None,
    first_refresh_s_full_text: float | None,
    reader_workers: int | None,
    reader_workers_no_latency: int | None,
) -> str:
    """`RESULT key=value ...`; a configuration that was not run gives `n/a`, never another's figure."""
    fields = [
        ("speedup_vs_reader", fmt(speedup, 2)),
        ("speedup_vs_reader_no_latency", fmt(speedup_no_latency, 2)),
        ("reader_best_workers", "n/a" if reader_workers is None else str(reader_workers)),
        (
            "reader_best_workers_no_latency",
            "n/a" if reader_workers_no_latency is None else str(reader_workers_no_latency),
        ),
        ("revalidation_304_ratio", fmt(revalidation_304_ratio)),
        ("revalidation_speedup", fmt(revalidation_speedup, 2)),
        ("peak_rss_mb", fmt(peak_rss_mb, 0)),
        ("dedup_precision_feeds_only", fmt(None if feeds_only is None else feeds_only.precision)),
        ("dedup_recall_feeds_only", fmt(None if feeds_only is None else feeds_only.recall)),
        ("dedup_precision_full_text", fmt(None if full_text is None else full_text.precision)),
        ("dedup_recall_full_text", fmt(None if full_text is None else full_text.recall)),
        ("first_refresh_s_full_text", fmt(first_refresh_s_full_text, 2)),
    ]
    return "RESULT " + " ".join(f"{key}={value}" for key, value in fields)
