"""The long lists read their rows through an index in the list's order, on SQLite and PostgreSQL: no full
scan of a large table and no sort of every row (EXPLAIN of the queries the routes run, as they ran).

On PostgreSQL a test table is tiny, so sequential scans and sorts are switched off to ask which index the
planner would use; a Sort node would still show when no index gives the order (the index gives it, or it does
not)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.stories.models import ArticleStory, Story
from tidings.taxonomy import article_counts
from tidings.taxonomy.models import CountKind
from tidings.web import page_cache
from tidings.web.catalog import trending_topics

pytestmark = pytest.mark.django_db


def plan(sql: str, sorts: bool = True, bitmaps: bool = True) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            if not bitmaps:  # an index scan then shows its Index Cond, the range it reads
                cursor.execute("SET LOCAL enable_bitmapscan = off")
            if not sorts:
                # A Sort node then shows only when no index can give the order. Without this the choice hung on
                # the statistics of a 30-row table (autovacuum's timing), and a sort of 30 rows is cheap.
                cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1] if connection.vendor == "sqlite" else row[0]) for row in cursor.fetchall())


def queries_of(run, table: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def only_index(sql: str, index: str, *also: str) -> None:
    """PostgreSQL: inside the test's transaction (rolled back after it), drop every other droppable index of the
    tables the query reads (but `also`), so the question is whether `index` gives the order, not which of several
    indexes the planner prefers for a 30-row table (that choice followed the tables' statistics and flaked)."""
    with connection.cursor() as cursor:
        for table in sorted(set(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql))):
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s AND NOT indexname = ANY(%s)"
                " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [table, [index, *also]],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')


def assert_ordered_by_index(sql: str, index: str) -> None:
    if connection.vendor == "postgresql":
        only_index(sql, index)
    found = plan(sql, sorts=False)
    assert index in found, found
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE FOR ORDER BY" not in found and "TEMP B-TREE FOR RIGHT PART" not in found, found
        # A SCAN of an index in the list's order stops after the page; a SCAN of the table reads all of it.
        assert not re.search(r"\bSCAN (articles_article|taxonomy_articlelisting|stories_story)(?! USING)", found), found
    else:
        assert "Sort" not in found and "Seq Scan" not in found, found


@pytest.fixture(autouse=True)
def _no_page_cache(monkeypatch):
    """The queries the pages run, not a kept copy (web.page_cache)."""
    monkeypatch.setattr(page_cache, "PAGE_SECONDS", 0)


@pytest.fixture
def corpus():
    now = timezone.now()
    gazette = SourceFactory(slug="gazette")
    politics = CategoryFactory(name="politics", slug="politics")
    union = TopicFactory(name="Union", slug="union")
    for n in range(30):
        article = ArticleFactory(source=gazette, headline=f"Item {n}", published_at=now - timedelta(hours=n))
        ArticleCategoryFactory(article=article, category=politics)
        ArticleTopicFactory(article=article, topic=union, mentions=1)
    for n in range(3):
        story_of(("Harbour Herald", f"Event {n}", n + 1), ("Evening Post", f"Event {n} again", n + 2))
    return gazette, politics, union


def test_api_articles_first_and_cursor_pages_read_the_visible_newest_index(client, corpus):
    first = client.get("/api/articles", {"limit": 5}).json()
    for url in ("/api/articles?limit=5", first["next"]):
        listed = [q for q in queries_of(lambda u=url: client.get(u), "articles_article") if "ORDER BY" in q]
        assert listed, url
        assert_ordered_by_index(listed[0], "article_visible_newest")


def test_api_stories_pages_read_the_listed_stories_index(client, corpus):
    first = client.get("/api/stories", {"limit": 1}).json()
    for url in ("/api/stories?limit=1", first["next"]):
        listed = [q for q in queries_of(lambda u=url: client.get(u), "stories_story") if "ORDER BY" in q]
        assert listed, url
        assert_ordered_by_index(listed[0], "story_listed_newest")


@pytest.mark.parametrize("kind", ["category", "topic"])
def test_category_and_topic_pages_read_the_listing_index(client, corpus, kind):
    _gazette, politics, union = corpus
    url = reverse(f"web:{kind}", args=[politics.slug if kind == "category" else union.slug])
    first = client.get(url).content.decode()
    older = re.search(r'rel="next" href="([^"]*)"', first).group(1).replace("&amp;", "&")
    for address in (url, url + older):
        listed = [q for q in queries_of(lambda a=address: client.get(a), "taxonomy_articlelisting") if "ORDER BY" in q]
        assert listed, address
        assert_ordered_by_index(listed[0], "article_listing_newest")


@pytest.mark.parametrize("kind", ["category", "topic"])
def test_story_mates_outside_a_batch_are_read_by_article_id(client, corpus, kind):
    # A story with one article on each page: the second page reads the first's article as a story-mate.
    gazette, politics, union = corpus
    story = Story.objects.create(headline="Item")
    for headline in ("Item 1", "Item 25"):
        ArticleStory.objects.create(
            article=Article.objects.get(source=gazette, headline=headline), story=story, score=0
        )
    url = reverse(f"web:{kind}", args=[politics.slug if kind == "category" else union.slug])
    first = client.get(url).content.decode()
    older = re.search(r'rel="next" href="([^"]*)"', first).group(1).replace("&amp;", "&")
    mates = [q for q in queries_of(lambda: client.get(url + older), "taxonomy_articlelisting") if "ORDER BY" not in q]
    assert mates
    if connection.vendor == "postgresql":
        only_index(mates[0], "article_listing_once")
    found = plan(mates[0], bitmaps=False)
    # The mates' own entries of the unique (article, kind, target) index: never the list's whole range of the
    # newest-first index, which SQLite without statistics preferred while the query named the target.
    assert "article_listing_newest" not in found, found
    if connection.vendor == "sqlite":
        assert re.search(r"SEARCH taxonomy_articlelisting USING (COVERING )?INDEX \w+ \(article_id=\?\)", found), found
    else:
        assert "article_listing_once" in found and "Seq Scan" not in found, found


def test_source_page_reads_the_source_newest_index(client, corpus):
    gazette, _politics, _union = corpus
    first = client.get(gazette.get_absolute_url()).content.decode()
    older = re.search(r'rel="next" href="([^"]*)"', first).group(1).replace("&amp;", "&")
    for address in (gazette.get_absolute_url(), gazette.get_absolute_url() + older):
        listed = [q for q in queries_of(lambda a=address: client.get(a), "articles_article") if "ORDER BY" in q]
        assert listed, address
        assert_ordered_by_index(listed[0], "article_source_newest")


def test_count_recounts_read_index_ranges(corpus):
    gazette, politics, _union = corpus
    # Each recount of a stored count (taxonomy.article_counts) reads a range of an index keyed on what it counts
    # by, never the whole table. SQLite's planner (no statistics) names the index; on PostgreSQL which of several
    # indexes holding the key it takes hangs on a 30-row table's statistics, so the check there is that the key
    # is the index scan's condition.
    ranges = (
        (CountKind.CATEGORY, politics, "article_listing_newest", "taxonomy_articlelisting", "target_id", "l"),
        (CountKind.SOURCE, gazette, "article_source_newest", "articles_article", "source_id", "a"),
    )
    if connection.vendor == "postgresql":  # the plan hung on whether autovacuum had analysed the tables (flaked)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_article")
            cursor.execute("ANALYZE taxonomy_articlelisting")
    for kind, target, index, table, key, alias in ranges:
        with CaptureQueriesContext(connection) as captured:
            n = article_counts.count_of(kind.value, target.pk)
        found = plan(captured.captured_queries[0]["sql"], bitmaps=False)
        if connection.vendor == "sqlite":
            assert index in found, found
            assert not re.search(rf"\bSCAN ({alias}|a)\b(?! USING)", found), found
        else:
            assert re.search(rf"Index (Only )?Scan using \w+ on {table}", found), found
            assert re.search(rf"Index Cond: \(.*\b{key} = ", found), found
            assert "Seq Scan" not in found, found
        assert n == 30


def test_trending_reads_the_window_from_the_visible_newest_index(corpus):
    with CaptureQueriesContext(connection) as captured:
        trending_topics(timezone.now())
    windows = [q["sql"] for q in captured.captured_queries if "taxonomy_articletopic" in q["sql"]]
    assert windows
    if connection.vendor == "postgresql":  # a 30-row table's planner may start from the topic index (it flaked)
        # The same query counts the window's visible articles (taxonomy.trend_read): from the published_at index
        # less the duplicates' index.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article' AND indexdef LIKE %s",
                ["%(published_at)"],
            )
            [(published,)] = cursor.fetchall()
        only_index(windows[0], "article_visible_newest", published, "article_duplicate_newest")
        with connection.cursor() as cursor:  # and its choice hung on whether autovacuum had analysed them yet
            cursor.execute("ANALYZE articles_article")
            cursor.execute("ANALYZE taxonomy_articletopic")
    found = plan(windows[0])
    # The window's articles by time first, then their links by article id: never every link of every topic.
    # (Only a window's ragged ends are counted from the links now: the rest is summed from taxonomy.TopicTrendCount.)
    if connection.vendor == "sqlite":
        assert "article_visible_newest (published_at>?" in found, found
        assert "SCAN taxonomy_articletopic" not in found, found
    else:
        assert re.search(r"Index (Only )?Scan using \w+ on articles_article", found), found
        assert "Index Cond: (article_id = " in found and "Seq Scan" not in found, found
    sums = [q["sql"] for q in captured.captured_queries if "taxonomy_topictrendcount" in q["sql"]]
    assert sums, "the whole hours and days are read from the precomputed rows"
    found = plan(sums[0])
    # Each range on its own, from the index alone: OR-ed ranges were bitmaps of the index and then a read of
    # the table's rows on PostgreSQL (one page per row at scale).
    if connection.vendor == "sqlite":
        assert "COVERING INDEX topic_trend_count_sum" in found, found
        assert "SCAN taxonomy_topictrendcount" not in found and "MULTI-INDEX OR" not in found, found
    else:
        assert "Seq Scan" not in found and "BitmapOr" not in found, found
        assert "topic_trend_count_sum" in found, found


def test_home_top_stories_are_one_range_of_the_top_recent_index():
    from tidings.personalization.candidates import top_story_rows

    for n in range(6):
        story_of(("Harbour Herald", f"Event {n}", n + 1), ("Evening Post", f"Event {n} again", n + 2))
    story_of(("Harbour Herald", "Old event", 24 * 20), ("Evening Post", "Old event again", 24 * 20))
    story_of(("Daily Wire", "One outlet", 1))
    with CaptureQueriesContext(connection) as captured:
        rows = top_story_rows(timezone.now())
    assert len(rows) == 12  # the six recent stories of two outlets, both articles each
    [top] = [q["sql"] for q in captured.captured_queries if 'FROM "stories_story"' in q["sql"]]
    if connection.vendor == "postgresql":
        only_index(top, "story_top_recent")
    found = plan(top, bitmaps=False)
    # The window's stories of two outlets or more, read from the partial index by their last article's time (a
    # range that follows the window, not the corpus); the sort is of those few stories only.
    assert "story_top_recent" in found, found
    if connection.vendor == "sqlite":
        assert re.search(
            r"SEARCH stories_story USING (COVERING )?INDEX story_top_recent \(last_published_at>\?\)", found
        )
        assert not re.search(r"\bSCAN stories_story\b", found), found
    else:
        assert re.search(r"Index Cond: \(last_published_at >= ", found), found
        assert "Seq Scan" not in found, found
