"""Pure scheduling: when to fetch a source next, from its publishing rate, errors and the server's hints.

No clock and no randomness of its own: callers pass `now` and a `random.Random`.
"""

from __future__ import annotations

import itertools
import random
import re
import statistics
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

MIN_INTERVAL = timedelta(minutes=15)
MAX_INTERVAL = timedelta(hours=24)
MAX_BACKOFF = timedelta(hours=24)
PAUSE_AFTER_FAILING_FOR = timedelta(days=14)
PAUSE_AFTER_ERRORS = 10
_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-maxage|max-age)\s*=\s*\"?(\d+)", re.IGNORECASE)


def publishing_gap(published: Iterable[datetime | None], *, now: datetime, recent: int = 20) -> timedelta | None:
    """The median gap between the newest `recent` item dates (future dates ignored); None if under 2 dates."""
    dates = sorted((d for d in published if d is not None and d <= now), reverse=True)[:recent]
    if len(dates) < 2:
        return None
    gaps = [(a - b).total_seconds() for a, b in itertools.pairwise(dates)]
    return timedelta(seconds=statistics.median(gaps))


def success_interval(
    gap: timedelta | None,
    *,
    default: timedelta,
    max_age_seconds: int | None = None,
    minimum: timedelta = MIN_INTERVAL,
    maximum: timedelta = MAX_INTERVAL,
) -> timedelta:
    """Check about twice per publishing gap, never more often than the server's max-age allows, within bounds."""
    minimum = min(minimum, default)
    interval = default if gap is None else gap / 2
    if max_age_seconds:
        interval = max(interval, timedelta(seconds=max_age_seconds))
    return max(minimum, min(interval, maximum))


def backoff_delay(
    error_count: int,
    *,
    base: timedelta,
    rng: random.Random,
    retry_after: timedelta | None = None,
    maximum: timedelta = MAX_BACKOFF,
) -> timedelta:
    """Exponential backoff with 'equal jitter': base·2^(n-1), between half and all of it; Retry-After wins if later."""
    full = min(base * (2 ** min(max(error_count - 1, 0), 16)), maximum)
    delay = full / 2 + full / 2 * rng.random()
    if retry_after is not None:
        delay = max(delay, min(retry_after, maximum))
    return delay


def parse_retry_after(value: str, *, now: datetime) -> timedelta | None:
    """Retry-After as seconds ("120") or an HTTP date; None when absent or unreadable."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


def parse_max_age(cache_control: str) -> int | None:
    """Seconds from Cache-Control max-age (or s-maxage); None when absent or 'no-cache'/'no-store'."""
    lowered = cache_control.lower()
    if "no-cache" in lowered or "no-store" in lowered:
        return None
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


def should_pause(
    *, status_code: int | None, permanent: bool, error_count: int, failing_since: datetime | None, now: datetime
) -> bool:
    """410 Gone and refused addresses pause at once; other permanent errors only after long persistent failure."""
    if status_code == 410:
        return True
    if not permanent:
        return False
    long_failing = failing_since is None or now - failing_since >= PAUSE_AFTER_FAILING_FOR
    return error_count >= PAUSE_AFTER_ERRORS and long_failing
