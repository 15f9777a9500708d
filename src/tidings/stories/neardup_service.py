"""Link newly stored articles to their near-duplicates among recent ones (Article.duplicate_of).

Edge: keeps the LSH band keys and MinHash sketches of the recent WINDOW's articles in this process
(neardup_window.BandIndex, ~400 bytes an article, so the window is bounded by time, not by how many articles one
refresh stores), asks the pure linker (neardup.plan_links) what to link, and writes it in one transaction.
The earliest article of a group is its canonical one; the others point at it and are hidden from listings
by ArticleQuerySet.visible().

Each call costs about as much as the articles it is given: the band index is filled once per process, then
only articles stored since are read. Whole fingerprints are kept only for the articles used last (up to
FINGERPRINT_CACHE_BYTES): the few candidates LSH proposes beyond them are fingerprinted again from their
text, and their dates and links are read then. MAX_WINDOW_ARTICLES only guards memory; reaching it logs a
warning.
"""

from __future__ import annotations

import logging
import threading
import zlib
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from tidings.articles.models import Article
from tidings.stories.coverage import recount_after_commit, stories_of_articles
from tidings.stories.neardup import MIN_ESTIMATE, Entry, Fingerprint, fingerprint, plan_links
from tidings.stories.neardup_window import BandIndex
from tidings.taxonomy import article_counts
from tidings.taxonomy.trend_counts import recount_articles

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=7)
# A memory guard, far above a week of a large install: ~80 MB held, about twice that while merging.
MAX_WINDOW_ARTICLES = 200_000
FINGERPRINT_CACHE_BYTES = 16 * 2**20  # full fingerprints of the articles used last, ~1.5 KB each
_CHUNK = 500
_ROW = ("pk", "content_hash", "published_at", "duplicate_of_id")
Row = tuple[int, str, datetime | None, int | None]


def _token(digest: str) -> int:
    return zlib.crc32(digest.encode("utf-8"))


def _size(fp: Fingerprint | None) -> int:
    """Bytes a cached fingerprint holds, Python objects included (roughly)."""
    if fp is None:
        return 200
    arrays = fp.shingles, fp.signature, fp.numbers, fp.names, fp.headline_words
    return 800 + sum(a.nbytes for a in arrays)


class _Window:
    """Band keys of the recent window's articles, kept between calls in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.bands = BandIndex()
        self.cache: OrderedDict[int, tuple[int, Fingerprint | None]] = OrderedDict()  # pk → (token, fingerprint)
        self.cache_bytes = 0
        self.max_pk = 0

    def sync(self, since: datetime) -> None:
        """Index the articles stored since the last call (all of the window on the first), drop expired ones."""
        latest = Article.objects.aggregate(latest=Max("pk"))["latest"] or 0
        if latest < self.max_pk:  # rows were deleted or rolled back: ids may be reused
            self.reset()
        recent = Article.objects.filter(Q(fetched_at__gte=since) | Q(published_at__gte=since), pk__gt=self.max_pk)
        ids = list(recent.order_by("pk").values_list("pk", flat=True))
        self.load(ids, keep=False)
        self.max_pk = max(self.max_pk, latest)
        expired = self.bands.expire(since.timestamp())
        trimmed = self.bands.trim(MAX_WINDOW_ARTICLES)
        if trimmed:
            logger.warning("near_duplicate_window_full articles=%d dropped_oldest=%d", len(self.bands), trimmed)
        if len(ids) >= _CHUNK or expired:
            logger.info(
                "near_duplicate_window articles=%d bytes=%d added=%d expired=%d",
                len(self.bands),
                self.bands.nbytes,
                len(ids),
                expired,
            )

    def load(self, ids: Iterable[int], *, keep: bool = True) -> dict[int, Fingerprint]:
        """Fingerprint these articles from their stored text and index them; returns their fingerprints if `keep`."""
        ids = list(ids)
        found: dict[int, Fingerprint] = {}
        now = timezone.now().timestamp()
        for start in range(0, len(ids), _CHUNK):
            rows = Article.objects.filter(pk__in=ids[start : start + _CHUNK]).values_list(
                "pk", "content_hash", "headline", "body_text", "fetched_at"
            )
            for pk, digest, headline, body, fetched_at in rows:
                token, fp = _token(digest), fingerprint(pk, headline, body)
                if self.bands.digest(pk) != token:
                    self.bands.discard(pk)
                    if fp is not None:
                        at = min(fetched_at.timestamp(), now) if fetched_at else now
                        self.bands.add(pk, fp.signature, at, token)
                self._remember(pk, token, fp)
                if fp is not None and keep:
                    found[pk] = fp
        return found

    def _remember(self, pk: int, token: int, fp: Fingerprint | None) -> None:
        self._uncache(pk)
        self.cache[pk] = (token, fp)
        self.cache_bytes += _size(fp)
        while self.cache_bytes > FINGERPRINT_CACHE_BYTES and self.cache:
            self._uncache(next(iter(self.cache)))

    def _uncache(self, pk: int) -> None:
        if (held := self.cache.pop(pk, None)) is not None:
            self.cache_bytes -= _size(held[1])

    def forget(self, pk: int) -> None:
        self.bands.discard(pk)
        self._uncache(pk)

    def entries(self, rows: Iterable[Row]) -> list[Entry]:
        """Entries of these articles, fingerprinted from the cache or their stored text as it is now."""
        rows = list(rows)
        fps: dict[int, Fingerprint] = {}
        missing = []
        for pk, digest, _published, _dup in rows:
            cached = self.cache.get(pk)
            if cached is None or cached[0] != _token(digest):
                missing.append(pk)
            else:
                self.cache.move_to_end(pk)
                if cached[1] is not None:
                    fps[pk] = cached[1]
        fps.update(self.load(missing))
        found = []
        for pk, _digest, published_at, duplicate_of_id in rows:
            if (fp := fps.get(pk)) is not None:
                order = (published_at.timestamp() if published_at else 0.0, pk)
                found.append(Entry(fingerprint=fp, order=order, duplicate_of=duplicate_of_id))
        return found


_window = _Window()


def window_size() -> tuple[int, int]:
    """(articles, bytes) of this process's near-duplicate window, for logs and benchmarks."""
    with _window.lock:
        return len(_window.bands), _window.bands.nbytes


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
        new = _window.entries(new_rows)
        existing = _candidate_entries(new, set(ids), since)
    plan = plan_links(existing, new)
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


def _rows(ids: Iterable[int], *, unlinked_only: bool = False, since: datetime | None = None) -> list[Row]:
    ids = list(ids)
    found: list[Row] = []
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
        keys |= _window.bands.candidates(entry.fingerprint.signature, MIN_ESTIMATE)
    keys -= new_ids
    rows = _rows(keys, since=since)
    for pk in keys - {row[0] for row in rows}:
        _window.forget(pk)  # deleted, or out of the window, since it was indexed
    heads = {row[3] for row in rows if row[3] is not None} - keys - new_ids
    rows += [row for row in _rows(heads) if row[0] in _window.bands]
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
        # Which articles are visible changed: trending's counts of their hours follow (taxonomy.trend_counts),
        # and their stories' outlet counts (stories.coverage) and the article counts of their sources and
        # categories (taxonomy.article_counts) once this commits.
        changed = {*links, *links.values(), *promotions, *promotions.values()}
        recount_articles(changed)
        article_counts.articles_changed(changed)
        recount_after_commit(stories_of_articles(changed))
