"""Store extracted articles: dedup by canonical URL, GUID and content hash, one transaction per batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DataError, IntegrityError, connections, router, transaction
from django.db.models import AutoField, CharField, DateTimeField, Q, QuerySet, TextField
from django.utils import timezone

from tidings.articles.keys import content_key
from tidings.articles.models import Article
from tidings.ingest.boilerplate import paragraph_line_keys
from tidings.ingest.parse.document import (
    MIN_WORDS_FOR_HASH_DEDUP,  # noqa: F401  (re-exported)
    item_keys,
    paragraphs_to_html,
    sanitize_html,  # noqa: F401  (re-exported)
)
from tidings.ingest.source_boilerplate import learn_and_strip_many
from tidings.ingest.types import ExtractedArticle, ItemKeys
from tidings.lib.urls import safe_http_url
from tidings.sources.models import Source
from tidings.taxonomy.article_counts import recount_after_commit as recount_counts_after_commit
from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import ArticleCategory, Category, CountKind, Origin
from tidings.taxonomy.publisher import label_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CategoryIndex:
    """Categories by the keys of their names (taxonomy.publisher's), and by the part before a comma."""

    ids: tuple[int, ...]  # in the categories' own order
    positions: Mapping[str, tuple[int, ...]]  # a key → positions in `ids`


@dataclass(slots=True)
class StoreBatch:
    """Several stores in one transaction: their new articles are queued for linking and enrichment together,
    and the categories are read once.

    Each store adds its ids on commit (so a store rolled back to its savepoint adds none); the owner of
    the transaction registers `enqueue` last, so it runs after every store's ids are in.
    """

    link: list[int] = field(default_factory=list)
    enrich: list[int] = field(default_factory=list)
    category_index: CategoryIndex | None = None
    health: list[tuple[Source, list[str]]] = field(default_factory=list)  # sources to save, and which fields

    def add(self, article_ids: list[int], *, enrich: bool) -> None:
        self.link.extend(article_ids)
        if enrich:
            self.enrich.extend(article_ids)

    def enqueue(self) -> None:
        if self.link:
            enqueue_near_duplicate_linking(self.link)
        if self.enrich:
            enqueue_enrichment(self.enrich)

    def categories(self) -> CategoryIndex:
        if self.category_index is None:
            self.category_index = read_category_index()
        return self.category_index


@dataclass(slots=True)
class StoreResult:
    created: list[int] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)  # reasons, for people


def store_articles(
    source: Source,
    items: Sequence[ExtractedArticle],
    *,
    enrich: bool = True,
    keys: Sequence[ItemKeys] | None = None,
    batch: StoreBatch | None = None,
    html_sanitized: bool = False,
) -> StoreResult:
    """Store new articles of one source in one transaction; already-stored ones are left as they are.

    Batched: one query each for known URLs, GUIDs and content hashes, one bulk insert. A GUID that repeats
    inside the batch identifies nothing, so those items are told apart by link and content hash instead.
    `keys` (parse.document.item_keys of each item, in order) are worked out here when not given
    (`html_sanitized`: the items' HTML is nh3 output already, as parse_feed's is). With a
    `batch`, the new articles are queued with the rest of the transaction's (see StoreBatch), else alone.
    """
    result = StoreResult()
    now = timezone.now()
    if keys is None or len(keys) != len(items):
        keys = [item_keys(item, html_sanitized=html_sanitized) for item in items]
    guid_counts = Counter(item.guid for item in items if item.guid)
    prepared: list[tuple[ExtractedArticle, ItemKeys, str]] = []
    for item, item_key in zip(items, keys, strict=True):
        if not item.headline.strip():
            result.skipped.append("an item without a headline was skipped")
            continue
        guid = item.guid[:1024] if guid_counts[item.guid] == 1 else ""
        prepared.append((item, item_key, guid))
    with transaction.atomic():
        # ~Q(x="") repeats the partial unique indexes' condition, so SQLite uses them instead of a table scan.
        known_urls, known_guids, known_hashes = _known(
            source,
            urls={k.url for _, k, _ in prepared if k.url},
            guids={guid for _, _, guid in prepared if guid},
            hashes={k.content_hash for _, k, _ in prepared},
        )
        new: list[dict[str, Any]] = []
        line_keys: list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = []
        labels: list[tuple[str, ...]] = []
        for item, item_key, guid in prepared:
            url, digest, by_hash = item_key.url, item_key.content_hash, item_key.hash_identifies
            if (url and url in known_urls) or (guid and guid in known_guids) or (by_hash and digest in known_hashes):
                result.duplicates += 1
                continue
            known_urls.add(url)
            known_guids.add(guid)
            if by_hash:
                known_hashes.add(digest)
            new.append(_new_row(source, item, item_key, guid, now))
            line_keys.append((item.paragraphs, item_key.line_keys))
            labels.append(tuple(item.publisher_categories))
        _strip_learned_boilerplate(source, new, line_keys)
        result.created, refused = _insert_isolating(source, new)
        for position in refused.values():
            if position == "conflict":
                result.duplicates += 1  # stored meanwhile by another writer: the unique index refused it
            else:
                result.skipped.append(f"an item the database refused was skipped ({position})")
        labels = [label for n, label in enumerate(labels) if n not in refused]
        _link_categories(list(zip(result.created, labels, strict=True)), batch)
        if result.created:
            created_ids = list(result.created)
            # The source's stored article count (taxonomy.article_counts), recounted once this commits (not at all
            # when it is at the cap already: new articles only add).
            recount_counts_after_commit(CountKind.SOURCE.value, [source.pk], grows=True)
            if batch is not None:
                transaction.on_commit(lambda: batch.add(created_ids, enrich=enrich))
            else:
                transaction.on_commit(lambda: enqueue_near_duplicate_linking(created_ids))
                if enrich:
                    transaction.on_commit(lambda: enqueue_enrichment(created_ids))
    logger.info(
        "articles_stored source=%s created=%d duplicates=%d skipped=%d",
        source.pk,
        len(result.created),
        result.duplicates,
        len(result.skipped),
    )
    return result


# Values per lookup query: SQLite allows 999 parameters in one statement.
KNOWN_QUERY_VALUES = 900


def _known(source: Source, *, urls: set[str], guids: set[str], hashes: set[str]) -> tuple[set[str], set[str], set[str]]:
    """Which URLs (any source), GUIDs (this source) and content hashes (any source) are already stored.

    One statement for a usual feed (three lookups joined by UNION ALL, each on its index), else one query
    per lookup and 500 values. The `<> ''` conditions repeat the partial unique indexes' own, so SQLite uses
    them; they are constants, and every value is a parameter. Hashes are looked up by their content_key (the
    small index, articles.keys) and the stored hashes of the matches compared exactly: a key shared by two
    different hashes finds a candidate that is no duplicate.
    """
    keys = {content_key(digest) for digest in hashes}
    if len(urls) + len(guids) + len(keys) > KNOWN_QUERY_VALUES:
        articles = Article.objects.order_by()
        return (
            _existing(articles.filter(~Q(url="")), "url", urls),
            _existing(articles.filter(~Q(guid=""), source=source), "guid", guids),
            _existing(articles, "content_hash", keys, by="content_key") & hashes,
        )
    table = Article._meta.db_table
    parts: list[str] = []
    params: list[Any] = []

    def lookup(kind: int, column: str, values: set[Any], condition: str, params_before: list[object]) -> None:
        if values:
            marks = ", ".join(["%s"] * len(values))
            parts.append(f"SELECT {kind}, {column} FROM {table} WHERE {condition} IN ({marks})")  # noqa: S608
            params.extend([*params_before, *sorted(values)])

    lookup(0, "url", urls, "NOT (url = '') AND url", [])
    lookup(1, "guid", guids, "NOT (guid = '') AND source_id = %s AND guid", [source.pk])
    lookup(2, "content_hash", keys, "content_key", [])
    found: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    if parts:
        with connections[router.db_for_read(Article)].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for kind, value in cursor.fetchall():
                found[kind].add(value)
    return found[0], found[1], found[2] & hashes


def _existing(queryset: QuerySet[Article], field_name: str, values: set[Any], *, by: str = "") -> set[str]:
    """`field_name` of the stored rows whose `by` (default: `field_name` itself) is one of `values` (IN
    queries of at most 500 values)."""
    found: set[str] = set()
    ordered = sorted(values)
    for start in range(0, len(ordered), 500):
        lookup = {f"{by or field_name}__in": ordered[start : start + 500]}
        found.update(queryset.filter(**lookup).values_list(field_name, flat=True))
    return found


def _new_row(source: Source, item: ExtractedArticle, keys: ItemKeys, guid: str, now: datetime) -> dict[str, Any]:
    """A new article's column values by attribute name (the other columns take their defaults)."""
    published = item.published_at if item.published_at is not None and item.published_at <= now else now
    return {
        "source_id": source.pk,
        "url": keys.url,
        "guid": guid,
        "headline": item.headline.strip()[:1000],
        "standfirst": item.standfirst.strip(),
        "body_text": item.body_text,
        "body_html": keys.body_html,
        "author": item.author[:500],
        "published_at": published,
        "fetched_at": now,
        "image_url": safe_http_url(item.image_url),  # "" unless absolute http(s); url is keys' (item_keys)
        "image_caption": item.image_caption,
        "image_credit": item.image_credit[:500],
        "language": item.language[:16],
        "content_hash": keys.content_hash,
        "content_key": content_key(keys.content_hash),
        "publisher_categories": list(item.publisher_categories),
    }


def _insert_isolating(source: Source, rows: list[dict[str, Any]]) -> tuple[list[int], dict[int, str]]:
    """insert_rows(rows) in a savepoint; when the database refuses it (an integrity or data error: a row stored
    meanwhile by another writer, a value it cannot hold), each row again alone in its own savepoint, so one
    bad item loses no other. Returns the stored rows' ids, in order, and the positions of the refused rows with
    why ("conflict" for a unique index, else the error's first line)."""
    try:
        with transaction.atomic():
            return insert_rows(rows), {}
    except (IntegrityError, DataError) as exc:
        logger.warning(
            "articles_insert_refused source=%s rows=%d error=%r: storing them one by one",
            source.pk,
            len(rows),
            str(exc),
        )
    ids: list[int] = []
    refused: dict[int, str] = {}
    for position, row in enumerate(rows):
        try:
            with transaction.atomic():
                ids.extend(insert_rows([row]))
        except IntegrityError as exc:
            refused[position] = "conflict"
            logger.warning("article_conflict source=%s url=%s error=%r", source.pk, row.get("url"), str(exc))
        except DataError as exc:
            refused[position] = (str(exc).strip().splitlines() or ["data error"])[0][:200]
            logger.warning("article_refused source=%s url=%s error=%r", source.pk, row.get("url"), str(exc))
    return ids, refused


def insert_rows(rows: list[dict[str, Any]]) -> list[int]:
    """Insert articles given as column values by attribute name (a missing one takes its field's default);
    return their ids in order. What Article.objects.bulk_create(batch_size=500) does, without building model
    objects or compiling SQL per value.

    The same INSERT ... RETURNING id statements Django builds, with the same values: a str for a text
    column is passed as it is (what CharField/TextField prepare it to), any other value goes through its
    field's get_db_prep_save. On a backend that cannot return ids from a bulk insert, bulk_create itself runs.
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(Article)]
    meta = Article._meta
    fields = [f for f in meta.concrete_fields if not isinstance(f, AutoField)]
    defaults = {f.attname: f.get_default() for f in fields if any(f.attname not in row for row in rows)}
    if not connection.features.can_return_rows_from_bulk_insert:
        created = Article.objects.bulk_create([Article(**row) for row in rows], batch_size=500)
        return [article.pk for article in created]
    # How each value is prepared: 0 a str as it is, 1 an aware datetime or None adapted by the backend
    # (what DateTimeField.get_db_prep_value does with one), anything else by its field.
    kinds = [0 if isinstance(f, CharField | TextField) else 1 if isinstance(f, DateTimeField) else 2 for f in fields]
    plan = [(f, f.attname, kind) for f, kind in zip(fields, kinds, strict=True)]
    adapt_datetime = connection.ops.adapt_datetimefield_value
    quote = connection.ops.quote_name
    # Only the model's own table and column names, quoted, are formatted in; every value is a parameter.
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(f.column)) for f in fields)}) VALUES "  # noqa: S608
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(str(meta.pk.column))}"
    batch = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params: list[Any] = []
            for row in chunk:
                for field, name, kind in plan:
                    value = row[name] if name in row else defaults[name]
                    if kind == 0 and type(value) is str:
                        params.append(value)
                    elif kind == 1 and (value is None or (type(value) is datetime and value.utcoffset() is not None)):
                        params.append(adapt_datetime(value))
                    else:
                        params.append(field.get_db_prep_save(value, connection))
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, params)
            returned = cursor.fetchall()
            if len(returned) != len(chunk):
                raise RuntimeError(f"the insert returned {len(returned)} ids for {len(chunk)} articles")
            ids.extend(pk for (pk,) in returned)
    return ids


def _link_categories(articles: list[tuple[int, tuple[str, ...]]], batch: StoreBatch | None) -> None:
    """Publisher labels → IPTC categories for a whole batch: one category query, one bulk insert.

    A category matches a label equal to its name or to the part of its name before a comma; an article's
    links follow the categories' own order.
    """
    if not any(labels for _, labels in articles):
        return
    index = batch.categories() if batch is not None else read_category_index()
    links = []
    for article_id, labels in articles:
        wanted = {label_key(label) for label in labels if label.strip()}
        matched = sorted({position for key in wanted for position in index.positions.get(key, ())})
        for position in matched:
            links.append(
                ArticleCategory(
                    article_id=article_id, category_id=index.ids[position], score=1.0, origin=Origin.PUBLISHER
                )
            )
    ArticleCategory.objects.bulk_create(links, ignore_conflicts=True)
    relist({link.article_id for link in links}, kinds=["category"])


def read_category_index() -> CategoryIndex:
    ids: list[int] = []
    positions: dict[str, list[int]] = {}
    for position, (pk, name) in enumerate(Category.objects.values_list("id", "name")):
        ids.append(pk)
        key = label_key(name)
        for form in {key, key.split(",")[0].strip()}:
            positions.setdefault(form, []).append(position)
    return CategoryIndex(tuple(ids), {key: tuple(found) for key, found in positions.items()})


def _strip_learned_boilerplate(
    source: Source, rows: list[dict[str, Any]], line_keys: list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]
) -> None:
    """Drop lines this source repeats across its articles (the content hash stays on the text as sent).

    `rows`: the new articles' column values (body_text and body_html are rewritten). `line_keys`: each
    article's item paragraphs and their line keys; they are used when the stored body splits back into the
    same paragraphs (it always does for feed items), else worked out again.
    """
    if not rows or source.pk is None:
        return
    paragraphs = [[p for p in row["body_text"].split("\n\n") if p.strip()] for row in rows]
    keys = [
        known if tuple(split) == item_paragraphs else paragraph_line_keys(split)
        for split, (item_paragraphs, known) in zip(paragraphs, line_keys, strict=True)
    ]
    stripped = learn_and_strip_many(source.pk, paragraphs, keys)
    for row, split, kept in zip(rows, paragraphs, stripped, strict=True):
        if list(kept) != split:
            row["body_text"] = "\n\n".join(kept)
            row["body_html"] = paragraphs_to_html(kept)


def import_task_modules() -> None:
    """Import the task modules that enqueueing on commit needs: a refresh calls this while its fetching
    process starts, instead of at the first commit (the near-duplicate code itself, datasketch and scipy,
    is imported only where the linking task runs)."""
    import tidings.enrichment.tasks
    import tidings.stories.tasks  # noqa: F401


def enqueue_near_duplicate_linking(article_ids: list[int]) -> None:
    from tidings.stories.tasks import link_near_duplicates_task

    link_near_duplicates_task.enqueue(article_ids)


# Articles per enrichment task: enough that queueing costs little next to the work (a refresh of 1,000 feeds
# queues ~200), few enough that several workers share a large refresh and a task ends in about a minute.
ENRICH_TASK_ARTICLES = 128


def enqueue_enrichment(article_ids: list[int]) -> None:
    from tidings.enrichment.tasks import enrich_articles

    for start in range(0, len(article_ids), ENRICH_TASK_ARTICLES):
        enrich_articles.enqueue(article_ids[start : start + ENRICH_TASK_ARTICLES])
