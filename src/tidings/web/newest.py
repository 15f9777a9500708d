"""The category, topic and source pages' lists: newest first, one card per story, a page at a time by position.

"Older" and "Newer" links carry the position of the page's last or first card (?before= / ?after=, a
lib.cursors cursor), so a page deep in a million articles is read with an index range like the first one: no
OFFSET, no COUNT over the list, no page numbers.

One card per story follows stories.collapse's rule (an article stands for its story when no newer article of
the same story is in the list), checked here for the few stories of a batch instead of in a correlated
subquery, so the database's plan cannot turn it into a scan of the whole list:
  1. the next rows of the list from the position (one index range, LIMIT);
  2. the stories of those rows, and every article of those stories (the story index);
  3. which of those articles are in the list themselves (by id), and so which rows are the newest of their story.
The list is any queryset of rows with a time and an article id: visible Articles of a source, or the
precomputed taxonomy.ArticleListing rows of a category or topic (its newest-first index).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.articles.models import Article
from tidings.lib.cursors import Position, decode, encode, newer_than, older_than
from tidings.lib.errors import InvalidInput
from tidings.stories.models import ArticleStory

PAGE_SIZE = 20
BATCH = 2 * PAGE_SIZE + 8
MAX_BATCHES = 40  # a page ends early rather than read on without bound (its Older link goes on from there)


@dataclass(frozen=True, slots=True)
class ListRows:
    """The rows of one list: `rows` narrowed to it; `time` and `article` name its time and article id fields.

    A list cut out of a wider table by field values (a category's or topic's rows of the listing) gives the
    wider rows as `wide` and those values as `narrow` (rows is wide.filter(**narrow)): the few story-mates
    outside a batch are then read from `wide` by article id and narrowed here (_rows_of)."""

    rows: QuerySet[Any]
    time: str = "published_at"
    article: str = "pk"
    wide: QuerySet[Any] | None = None
    narrow: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class KeysetPage:
    """One page of a keyset list, shaped for web/partials/pagination.html (keyset is true)."""

    object_list: list[Article]
    older: str | None = None  # cursor of the last card when there are older ones
    newer: str | None = None  # cursor of the first card when this is not the first page
    params: dict[str, str] = field(default_factory=dict)  # the request's other list parameters (unread)
    keyset: bool = True

    def has_other_pages(self) -> bool:
        return bool(self.older or self.newer)

    def has_next(self) -> bool:
        return self.older is not None

    def has_previous(self) -> bool:
        return self.newer is not None

    @property
    def older_query(self) -> str:
        return urlencode({**self.params, "before": self.older or ""})

    @property
    def newer_query(self) -> str:
        return urlencode({**self.params, "after": self.newer or ""})

    @property
    def number(self) -> int:
        return 1 if self.newer is None else 2  # "not the first page" is all a keyset page knows


def _position(request: HttpRequest, name: str) -> Position | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        return decode(raw)
    except InvalidInput:
        return None  # a mangled link shows the newest page, as a bad ?page= number does


def keyset_page(request: HttpRequest, rows: ListRows) -> KeysetPage:
    """The page the request asks for (?before=cursor, ?after=cursor, or the newest), one card per story."""
    params = {"unread": "1"} if request.GET.get("unread") == "1" else {}
    before, after = _position(request, "before"), _position(request, "after")
    if after is not None and before is None:
        found = _kept(rows, after, newer=True, want=PAGE_SIZE + 1)
        if len(found) > PAGE_SIZE:
            page = list(reversed(found[:PAGE_SIZE]))
            return _page(page, older=True, newer=True, params=params)
        before = None  # fewer than a page newer than the position: that is the newest page
    found = _kept(rows, before, newer=False, want=PAGE_SIZE + 1)
    return _page(found[:PAGE_SIZE], older=len(found) > PAGE_SIZE, newer=before is not None, params=params)


def _page(positions: list[tuple[datetime, int]], *, older: bool, newer: bool, params: dict[str, str]) -> KeysetPage:
    ids = [pk for _at, pk in positions]
    articles = Article.objects.for_web_cards().order_by().in_bulk(ids)  # the order is the positions'
    listed = [articles[pk] for pk in ids if pk in articles]
    return KeysetPage(
        listed,
        older=encode(Position(*positions[-1])) if older and positions else None,
        newer=encode(Position(*positions[0])) if newer and positions else None,
        params=params,
    )


def _kept(rows: ListRows, start: Position | None, *, newer: bool, want: int) -> list[tuple[datetime, int]]:
    """Up to `want` (time, article id) of rows that stand for their story, reading from `start` away from it
    (towards older rows, or towards newer ones when `newer`), in reading order."""
    order = (rows.time, rows.article) if newer else (f"-{rows.time}", f"-{rows.article}")
    kept: list[tuple[datetime, int]] = []
    position = start
    for _ in range(MAX_BATCHES):
        batch_rows = rows.rows
        if position is not None:
            step = newer_than if newer else older_than
            batch_rows = batch_rows.filter(step(position, rows.time, rows.article))
        batch = list(batch_rows.order_by(*order).values_list(rows.time, rows.article)[:BATCH])
        if not batch:
            break
        newest = _newest_of_stories(rows, batch)
        for at, pk in batch:
            if newest.get(pk, (at, pk)) == (at, pk):
                kept.append((at, pk))
                if len(kept) == want:
                    return kept
        position = Position(*batch[-1])
        if len(batch) < BATCH:
            break
    return kept


def _newest_of_stories(rows: ListRows, batch: list[tuple[datetime, int]]) -> dict[int, tuple[datetime, int]]:
    """For each article of the batch that is in a story: the newest (time, id) of its story's articles that
    are in the list. One query by the batch's ids (the story index), and one more by id for story-mates that
    are not in the batch, when there are any."""
    ids = [pk for _at, pk in batch]
    mates = ArticleStory.objects.filter(story_id__in=ArticleStory.objects.filter(article_id__in=ids).values("story_id"))
    story_of = dict(mates.values_list("article_id", "story_id"))
    listed = [(at, pk) for at, pk in batch if pk in story_of]
    outside = [pk for pk in story_of if pk not in set(ids)]
    if outside:
        listed += _rows_of(rows, outside)
    newest: dict[int, tuple[datetime, int]] = {}
    for at, pk in listed:
        story = story_of[pk]
        newest[story] = max(newest.get(story, (at, pk)), (at, pk))
    return {pk: newest[story_of[pk]] for pk in ids if pk in story_of}


def _rows_of(rows: ListRows, ids: list[int]) -> list[tuple[datetime, int]]:
    """(time, article id) of the list's rows of these articles. A list cut out of wider rows reads the wider
    rows by article id and keeps those with its values: asked for "this target's rows of these articles",
    SQLite (without statistics) read the target's whole range of the listing's newest-first index instead of
    the articles' entries of the unique one (~50 ms for the busiest topic at 1M articles, growing with it)."""
    if rows.wide is None:
        return list(rows.rows.filter(**{f"{rows.article}__in": ids}).values_list(rows.time, rows.article))
    names = list(rows.narrow)
    wanted = tuple(rows.narrow.values())
    found = rows.wide.filter(**{f"{rows.article}__in": ids}).values_list(*names, rows.time, rows.article)
    return [(row[-2], row[-1]) for row in found if tuple(row[:-2]) == wanted]
