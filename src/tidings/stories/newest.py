"""The newest article, story link and listing row: the stamp of what every visitor sees.

Kept pages (web.page_cache) and the pools every reader shares (personalization.candidates) are kept under a key
of the highest id of Article, ArticleStory and ArticleListing: a new article, story assignment or category or
topic link changes the key. Reading them is one query (each an index's last entry), but a kept page answered
from the process's memory costs less than that query's round trip, so each process reuses the ids it read for
NEWEST_IDS_SECONDS (a new article shows on other visitors' kept pages within that time; 0 reads them every time).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connections, router

from tidings.articles.models import Article
from tidings.stories.models import ArticleStory
from tidings.taxonomy.models import ArticleListing

Ids = tuple[int | None, ...]

_read: list[tuple[float, Ids]] = []  # at most one entry: when this process read the ids, and what it read


def newest_ids() -> Ids:
    """The highest id of Article, ArticleStory and ArticleListing, as this process read them at most
    NEWEST_IDS_SECONDS ago (read now when older, or when that setting is 0)."""
    seconds = settings.NEWEST_IDS_SECONDS
    now = time.monotonic()
    if seconds > 0 and _read and now - _read[0][0] < seconds:
        return _read[0][1]
    ids = read_newest_ids()
    _read[:] = [(now, ids)]
    return ids


def newest_ids_sql() -> list[str]:
    """The three scalar subqueries of the newest ids (each an index's last entry), for a bigger statement."""
    tables = [model._meta.db_table for model in (Article, ArticleStory, ArticleListing)]
    return [f"(SELECT MAX(id) FROM {table})" for table in tables]  # noqa: S608 (model tables)


def read_newest_ids() -> Ids:
    """The ids read now, in one query."""
    sql = "SELECT " + ", ".join(newest_ids_sql())
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def forget() -> None:
    """The next newest_ids() reads the database (tests: rolled-back tests reuse ids)."""
    _read.clear()
