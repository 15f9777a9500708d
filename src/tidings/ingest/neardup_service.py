"""Link newly stored articles to their near-duplicates among recent ones (Article.duplicate_of).

Edge: keeps an in-process LSH index of the recent window's fingerprints, asks the pure linker
(neardup.plan_links) what to link, and writes it in one transaction. The earliest article of a group is
its canonical one; the others point at it and are hidden from listings by ArticleQuerySet.visible().

Each call costs about as much as the articles it is given: the index is filled once per process (the
last WINDOW, at most MAX_WINDOW_ARTICLES), then only articles stored since are read; dates and links are
read only for the candidates LSH proposes.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from tidings.articles.models import Article
from tidings.ingest.neardup import Entry, NearDuplicateIndex, fingerprint, plan_links

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=7)
MAX_WINDOW_ARTICLES = 10_000  # ~3 KB each in the index
_CHUNK = 500
_ROW = ("pk", "content_hash", "published_at", "duplicate_of_id")


class _WindowIndex:
    """Fingerprints of the recent window in an LSH index, kept between calls in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.index = NearDuplicateIndex()
        self.digests: dict[int, str] = {}  # pk → content hash it was fingerprinted from ("" when too short)
        self.added_at: dict[int, float] = {}
        self.max_pk = 0

    def sync(self, since: datetime) -> None:
        """Read the articles stored since the last call (all of the window on the first), drop expired ones."""
        latest = Article.objects.aggregate(latest=Max("pk"))["latest"] or 0
        if latest < self.max_pk:  # rows were deleted or rolled back: ids may be reused
            self.reset()
        recent = Article.objects.filter(Q(fetched_at__gte=since) | Q(published_at__gte=since), pk__gt=self.max_pk)
        ids = list(recent.order_by("-pk").values_list("pk", flat=True)[:MAX_WINDOW_ARTICLES])
        self.load(ids)
        self.max_pk = max(self.max_pk, latest)
        expired = [pk for pk, at in self.added_at.items() if at < since.timestamp()]
        overflow = max(len(self.added_at) - len(expired) - MAX_WINDOW_ARTICLES, 0)
        if overflow:
            expired += sorted(set(self.added_at) - set(expired), key=self.added_at.__getitem__)[:overflow]
        for pk in expired:
            self.forget(pk)

    def load(self, ids: Iterable[int]) -> None:
        """Fingerprint these articles from their stored text (again, when their content hash changed)."""
        ids = list(ids)
        now = timezone.now().timestamp()
        for start in range(0, len(ids), _CHUNK):
            rows = Article.objects.filter(pk__in=ids[start : start + _CHUNK]).values_list(
                "pk", "content_hash", "headline", "body_text", "fetched_at"
            )
            for pk, digest, headline, body, fetched_at in rows:
                if self.digests.get(pk) == digest:
                    continue
                self.forget(pk)
                fp = fingerprint(pk, headline, body)
                if fp is not None:
                    self.index.add(fp)
                self.digests[pk] = digest
                self.added_at[pk] = min(fetched_at.timestamp(), now) if fetched_at else now

    def forget(self, pk: int) -> None:
        self.index.remove(pk)
        self.digests.pop(pk, None)
        self.added_at.pop(pk, None)

    def entries(self, rows: Iterable[tuple[int, str, datetime | None, int | None]]) -> list[Entry]:
        found = []
        for pk, _digest, published_at, duplicate_of_id in rows:
            fp = self.index.get(pk)
            if fp is not None:
                order = (published_at.timestamp() if published_at else 0.0, pk)
                found.append(Entry(fingerprint=fp, order=order, duplicate_of=duplicate_of_id))
        return found


_window = _WindowIndex()


def link_near_duplicates(article_ids: list[int]) -> int:
    """Link the given (new) articles to near-duplicates stored in the last WINDOW; returns how many were linked.

    An article that is earlier than the canonical article of the group it joins becomes the canonical one.
    """
    ids = sorted({int(pk) for pk in article_ids})
    if not ids:
        return 0
    since = timezone.now() - WINDOW
    with _window.lock:
        _window.sync(since)
        new_rows = _rows(ids, unlinked_only=True)
        if not new_rows:
            return 0
        _window.load(row[0] for row in new_rows)
        new = _window.entries(new_rows)
        existing = _candidate_entries(new, set(ids), since)
        plan = plan_links(existing, new, _window.index)
    if not plan.links:
        return 0
    _write(plan.links, plan.promotions)
    linked = sum(1 for key in plan.links if key in ids) + sum(1 for key in plan.promotions.values() if key in ids)
    logger.info(
        "near_duplicates_linked new=%d candidates=%d linked=%d promoted=%d",
        len(new),
        len(existing),
        linked,
        len(plan.promotions),
    )
    return linked


def also_published_by(article: Article) -> list[Article]:
    """The other articles of this article's near-duplicate group (canonical first), with their sources."""
    canonical_id = article.duplicate_of_id or article.pk
    group = (
        Article.objects.filter(Q(pk=canonical_id) | Q(duplicate_of_id=canonical_id))
        .exclude(pk=article.pk)
        .select_related("source")
        .order_by("published_at", "id")
    )
    return sorted(group, key=lambda other: (other.pk != canonical_id, other.published_at, other.pk))


def _rows(
    ids: Iterable[int], *, unlinked_only: bool = False, since: datetime | None = None
) -> list[tuple[int, str, datetime | None, int | None]]:
    ids = list(ids)
    found: list[tuple[int, str, datetime | None, int | None]] = []
    for start in range(0, len(ids), _CHUNK):
        rows = Article.objects.filter(pk__in=ids[start : start + _CHUNK])
        if unlinked_only:
            rows = rows.filter(duplicate_of__isnull=True)
        if since is not None:
            rows = rows.filter(Q(fetched_at__gte=since) | Q(published_at__gte=since))
        found.extend(rows.values_list(*_ROW))
    return found


def _candidate_entries(new: list[Entry], new_ids: set[int], since: datetime) -> list[Entry]:
    """Stored articles LSH proposes for the new ones, and the canonical articles of their groups."""
    keys: set[int] = set()
    for entry in new:
        keys |= _window.index.candidates(entry.fingerprint)
    keys -= new_ids
    rows = _rows(keys, since=since)
    for pk in keys - {row[0] for row in rows}:
        _window.forget(pk)  # deleted, or out of the window, since it was indexed
    stale = [row[0] for row in rows if _window.digests.get(row[0]) != row[1]]
    _window.load(stale)
    heads = {row[3] for row in rows if row[3] is not None} - keys - new_ids
    rows += [row for row in _rows(heads) if row[0] in _window.index]
    return _window.entries(rows)


def _write(links: Mapping[int, int], promotions: Mapping[int, int]) -> None:
    by_target: dict[int, list[int]] = defaultdict(list)
    for key, target in links.items():
        by_target[target].append(key)
    with transaction.atomic():
        for old, new_canonical in promotions.items():
            # Members outside the window follow their canonical article too.
            Article.objects.filter(Q(pk=old) | Q(duplicate_of_id=old)).update(duplicate_of_id=new_canonical)
        for target, keys in by_target.items():
            Article.objects.filter(pk__in=keys).exclude(pk=target).update(duplicate_of_id=target)
        Article.objects.filter(pk__in=by_target.keys()).update(duplicate_of=None)
