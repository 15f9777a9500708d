"""record_outcomes: the sources a refresh has ready together are stored in one transaction, each on its own."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import DataError, IntegrityError, connection

from tidings.articles.models import Article
from tidings.ingest import store
from tidings.ingest.parse.document import items_keys
from tidings.ingest.refresh import record_outcomes
from tidings.ingest.types import ExtractedArticle, FetchedSource, FetchResult
from tidings.lib.errors import FetchError
from tidings.sources.fetch_state import FETCH_STATE_FIELDS
from tidings.sources.models import Source
from tidings.taxonomy.models import ArticleCategory, Category

pytestmark = pytest.mark.django_db(transaction=True)


def fetched_feed(source: Source, *headlines: str) -> FetchedSource:
    items = tuple(
        ExtractedArticle(headline=h, paragraphs=(f"{h}: the story.",), url=f"{source.url}/{n}", guid=f"{source.pk}-{n}")
        for n, h in enumerate(headlines)
    )
    result = FetchResult(url=source.url, status_code=200, content=b"<rss/>")
    return FetchedSource(source.pk, fetched=result, kind="rss", items=items)


@pytest.fixture
def queued(monkeypatch) -> dict[str, list[list[int]]]:
    calls: dict[str, list[list[int]]] = {"link": [], "enrich": []}
    monkeypatch.setattr(store, "enqueue_near_duplicate_linking", lambda ids: calls["link"].append(list(ids)))
    monkeypatch.setattr(store, "enqueue_enrichment", lambda ids: calls["enrich"].append(list(ids)))
    return calls


def fts_matches(word: str) -> int:
    """Articles the full-text index finds for a word (SQLite's FTS5 rows; PostgreSQL's index is an expression's)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM articles_article_fts WHERE articles_article_fts MATCH %s", [word])
        else:
            cursor.execute(
                "SELECT count(*) FROM articles_article WHERE to_tsvector('english', headline) @@ plainto_tsquery(%s)",
                [word],
            )
        return int(cursor.fetchone()[0])


def two_sources() -> list[Source]:
    return [Source.objects.create(name=n, url=f"https://{n}.example.org/feed") for n in ("harbour", "coast")]


def test_a_batch_stores_every_source_and_queues_its_articles_once(queued):
    harbour, coast = two_sources()
    outcomes = record_outcomes(
        [(harbour, fetched_feed(harbour, "Pier", "Ferry")), (coast, fetched_feed(coast, "Gull"))]
    )
    assert [(o.status, o.created) for o in outcomes] == [("ok", 2), ("ok", 1)]
    stored = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    assert queued == {"link": [stored], "enrich": [stored]}


def test_a_conflict_on_one_item_skips_that_item_and_the_rest_of_the_batch_is_stored(queued, monkeypatch):
    harbour, coast = two_sources()
    insert = store.insert_rows

    def conflicting(rows):
        if any(row["url"] == f"{harbour.url}/0" for row in rows):
            raise IntegrityError("UNIQUE constraint failed: articles_article.url")
        return insert(rows)

    monkeypatch.setattr(store, "insert_rows", conflicting)
    outcomes = record_outcomes(
        [(harbour, fetched_feed(harbour, "Pier", "Ferry")), (coast, fetched_feed(coast, "Gull"))]
    )
    assert [(o.status, o.created, o.duplicates) for o in outcomes] == [("ok", 1, 1), ("ok", 1, 0)]
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["Ferry", "Gull"]
    assert queued["link"] == [list(Article.objects.order_by("pk").values_list("pk", flat=True))]
    coast.refresh_from_db()
    harbour.refresh_from_db()
    assert coast.last_success_at is not None and harbour.last_success_at is not None


def test_an_item_the_database_refuses_loses_no_other_item_of_its_feed_or_batch(queued, monkeypatch):
    """A value the database cannot hold (PostgreSQL refuses a NUL character in text) fails that item alone."""
    harbour, coast = two_sources()
    insert = store.insert_rows

    def refusing(rows):
        if connection.vendor != "postgresql" and any("\x00" in row["headline"] for row in rows):
            raise DataError("invalid byte sequence")  # SQLite stores NUL; refused here as PostgreSQL does
        return insert(rows)

    monkeypatch.setattr(store, "insert_rows", refusing)
    bad = fetched_feed(harbour, "Pier", "Fer\x00ry", "Quay")
    outcomes = record_outcomes([(harbour, bad), (coast, fetched_feed(coast, "Gull"))])
    assert [(o.status, o.created) for o in outcomes] == [("ok", 2), ("ok", 1)]
    assert sorted(Article.objects.values_list("headline", flat=True)) == ["Gull", "Pier", "Quay"]
    assert [fts_matches(word) for word in ("pier", "ferry", "quay", "gull")] == [1, 0, 1, 1]
    stored = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    assert queued == {"link": [stored], "enrich": [stored]}


def test_every_source_of_a_batch_links_its_publisher_categories(queued):
    ports = Category.objects.create(qcode="t:1", name="Harbours and ports", slug="harbours")
    harbour, coast = two_sources()
    first, second = fetched_feed(harbour, "Pier"), fetched_feed(coast, "Gull")
    labelled = [
        replace(f, items=tuple(replace(i, publisher_categories=("Harbours & ports",)) for i in f.items))
        for f in (first, second)
    ]
    record_outcomes([(harbour, labelled[0]), (coast, labelled[1])])
    assert ArticleCategory.objects.filter(category=ports).count() == 2


def test_a_batch_saves_each_sources_health_as_a_lone_refresh_would(queued):
    harbour, coast = two_sources()
    not_modified = FetchedSource(coast.pk, fetched=FetchResult(url=coast.url, status_code=304))
    record_outcomes([(harbour, fetched_feed(harbour, "Pier")), (coast, not_modified)])
    alone = Source.objects.create(name="alone", url="https://alone.example.org/feed")
    record_outcomes([(alone, fetched_feed(alone, "Gull"))])
    harbour, coast, alone = (Source.objects.get(pk=s.pk) for s in (harbour, coast, alone))
    times = {"last_fetched_at", "last_success_at", "next_fetch_at"}  # compared as an interval below
    health = ["kind", *(name for name in FETCH_STATE_FIELDS if name not in times)]
    assert [getattr(harbour, name) for name in health] == [getattr(alone, name) for name in health]
    assert harbour.next_fetch_at - harbour.last_fetched_at == alone.next_fetch_at - alone.last_fetched_at
    assert (coast.fetch_count, coast.not_modified_count, coast.last_status) == (1, 1, 304)


def test_a_failed_fetch_in_a_batch_saves_its_error_and_backoff(queued):
    harbour, coast = two_sources()
    failed = FetchedSource(coast.pk, error=FetchError("the server did not answer within 20 seconds"))
    outcomes = record_outcomes([(harbour, fetched_feed(harbour, "Pier")), (coast, failed)])
    assert [o.status for o in outcomes] == ["ok", "failed"]
    coast.refresh_from_db()
    assert (coast.error_count, coast.last_error) == (1, "the server did not answer within 20 seconds")
    assert coast.next_fetch_at is not None and coast.last_success_at is None


def test_a_source_fetched_without_store_keys_is_stored_as_with_them(queued):
    harbour, coast = two_sources()
    with_keys = fetched_feed(harbour, "Pier", "Ferry")
    with_keys = replace(with_keys, keys=items_keys(with_keys.items))
    without = fetched_feed(coast, "Pier", "Ferry")
    assert without.keys == ()
    record_outcomes([(harbour, with_keys), (coast, without)])
    columns = ("headline", "body_text", "body_html", "content_hash")
    stored = {
        source.pk: list(Article.objects.filter(source=source).order_by("pk").values_list(*columns))
        for source in (harbour, coast)
    }
    assert stored[harbour.pk] == stored[coast.pk] and len(stored[coast.pk]) == 2
