"""What a refresh writes per feed reads only through indexes, bounded by the feed's items: no statement of
store_articles scans a table that grows with the archive (articles, category links, the listing). So a refresh
into a large database costs about what it costs into an empty one (bench/refresh_growth.py measures it).

Each captured statement is EXPLAINed as it ran; on PostgreSQL (tiny test tables) sequential scans are switched
off to ask which index the planner would use, and a Seq Scan shows only where no index serves the query."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import CategoryFactory
from tidings.ingest.store import store_articles
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db

GROWING = ("articles_article", "taxonomy_articlecategory", "taxonomy_articlelisting")
READS = re.compile(r"^\s*(SELECT|INSERT\s+INTO\s+\S+\s*\([^)]*\)\s*SELECT|DELETE|UPDATE|WITH)\b", re.I | re.S)


def _items(n: int) -> list[ExtractedArticle]:
    return [
        ExtractedArticle(
            headline=f"Harbour council item {i} on the new pier",
            paragraphs=(f"The council said item {i} was approved on Tuesday.", f"Work on item {i} starts soon."),
            url=f"https://harbour.example.org/news/item-{i}",
            guid=f"harbour-item-{i}",
            publisher_categories=("Sport", "Weather") if i % 2 else ("Sport",),
        )
        for i in range(n)
    ]


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


# Columns whose few values each hold a large share of a growing table's rows: an index range bounded by them
# alone reads about as much as a scan (SQLite, without statistics, may choose such a range for an ordered index).
COARSE_COLUMNS = {"kind"}


def _full_scans(plan: str, aliases: dict[str, str]) -> list[str]:
    """The lines of a plan that read a whole growing table (by name or by its alias in the statement), or a
    range of it bounded by coarse columns only (SQLite)."""
    found = []
    for line in plan.splitlines():
        if connection.vendor == "postgresql":
            match = re.search(r"Seq Scan on (\w+)", line)
            table = match and match.group(1)
        else:
            match = re.search(r"\bSCAN (\w+)(?! USING (?:COVERING )?INDEX)", line)
            coarse = re.search(r"\bSEARCH (\w+) USING (?:COVERING )?INDEX \w+ \(([^)]*)\)", line)
            if not match and coarse and set(re.findall(r"(\w+)\s*[=<>]", coarse.group(2))) <= COARSE_COLUMNS:
                match = coarse
            table = match and aliases.get(match.group(1), match.group(1))
        if table in GROWING:
            found.append(line.strip())
    return found


def test_storing_a_feed_reads_no_growing_table_in_full():
    sport, _weather = CategoryFactory(name="Sport"), CategoryFactory(name="Weather")
    ArticleFactory.create_batch(5)  # an archive, however small, for the planner to consider
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    with CaptureQueriesContext(connection) as captured:
        result = store_articles(source, _items(6), enrich=False)
    assert len(result.created) == 6
    assert sport.article_links.count() == 6  # the category links and the listing were written
    statements = [q["sql"] for q in captured.captured_queries if READS.match(q["sql"])]
    touched = [s for s in statements if any(table in s for table in GROWING)]
    assert len(touched) >= 3, statements  # the dedup lookup, the listing's delete and insert at least
    for sql in touched:
        named = re.findall(rf'\b({"|".join(GROWING)})"?\s+(?:AS\s+)?"?(\w+)', sql, re.I)
        aliases = {alias: table for table, alias in named}
        plan = _plan(sql)
        assert not _full_scans(plan, aliases), f"{sql[:600]}\n{plan}"
