"""GET /api/stories (newest first, paginated) and GET /api/stories/{id}: one event's coverage by every outlet.

Counts and outlets are of a story's visible articles (near-duplicates folded into another are left out), the
outlet that reported first first. A story merged into another answers with the story it was merged into.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tidings.api.articles import article_summary
from tidings.api.errors import NotFound
from tidings.api.pagination import keyset_paginate
from tidings.api.params import MAX_ID
from tidings.api.schemas import COUNT_NOTE, EXACT_NOTE, ArticleSummary, CursorPageParams, Error, SourceRef
from tidings.articles.models import Article
from tidings.stories.collapse import StoryBadge
from tidings.stories.editing import kept_story
from tidings.stories.models import Story
from tidings.stories.overview import overview
from tidings.stories.story_claims import StorySpeaker

router = Router(tags=["stories"])


class StoryCategoryOut(Schema):
    qcode: str
    name: str
    slug: str
    article_count: int = Field(description="How many of the story's articles are listed in it")


class StoryTopicOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    article_count: int = Field(description="How many of the story's articles are about it")


class SpeakerTopicOut(Schema):
    id: int
    slug: str
    name: str


class StoryClaimOut(Schema):
    article_id: int
    outlet: SourceRef
    cue: str
    content: str
    quote: bool = Field(description="A direct quote (else a paraphrase)")
    kind: str


class StorySpeakerOut(Schema):
    speaker: str | None = Field(description="The speaker's topic name or text; null for the unattributed group")
    topic: SpeakerTopicOut | None = Field(description="The topic the speaker is linked to, if any")
    attributed: bool = Field(description="False: nobody is named for these claims (treat with care)")
    outlets: list[SourceRef]
    claims: list[StoryClaimOut]


class FigureOut(Schema):
    value: float
    text: str = Field(description="The number as written")
    speaker: str | None = Field(description="Who gives it; null when nobody is named")
    outlet: SourceRef
    article_id: int
    content: str = Field(description="The claim the number is in")


class FigureConflictOut(Schema):
    about: str = Field(description='What the figures count, as written ("fighters", "pupils per class")')
    figures: list[FigureOut] = Field(description="Lowest value first")


class StorySummary(Schema):
    id: int
    headline: str = Field(description="The headline of the earliest article (the outlet that reported first)")
    first_published_at: datetime | None
    last_published_at: datetime | None
    article_count: int
    outlets: list[SourceRef] = Field(description="Sources covering the story, the one that reported first first")


class StoryPage(Schema):
    items: list[StorySummary]
    count: int = Field(description=COUNT_NOTE)
    count_exact: bool = Field(True, description=EXACT_NOTE)
    next: str | None


class StoryDetail(StorySummary):
    first_reported_by: SourceRef | None
    articles: list[ArticleSummary] = Field(description="The story's articles, earliest first")
    categories: list[StoryCategoryOut]
    topics: list[StoryTopicOut]
    claims: list[StorySpeakerOut] = Field(
        description="Claims of all the story's articles by speaker; the unattributed ones last (attributed false)"
    )
    conflicting_figures: list[FigureConflictOut] = Field(
        description="Figures measuring the same thing (kind, counted noun, rate, casualty state) that differ between"
        " outlets or speakers (stories.figures: a surface rule built for precision)"
    )


def _source_ref(source: Any) -> dict[str, Any]:
    return {"id": source.pk, "name": source.name, "slug": source.slug}


def _coverage(story_ids: list[int]) -> dict[int, tuple[int, list[dict[str, Any]]]]:
    """For each story: its visible article count and its outlets, first reporter first (one query)."""
    rows = (
        Article.objects.visible()
        .filter(story_link__story_id__in=story_ids)
        .order_by("published_at", "pk")
        .values_list("story_link__story_id", "source_id", "source__name", "source__slug")
    )
    counts: dict[int, int] = defaultdict(int)
    outlets: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for story_id, source_id, name, slug in rows:
        counts[story_id] += 1
        outlets[story_id].setdefault(source_id, {"id": source_id, "name": name, "slug": slug})
    return {pk: (counts[pk], list(outlets[pk].values())) for pk in story_ids}


@router.get(
    "/stories",
    response={200: StoryPage, 400: Error, 422: Error},
    summary="List stories, newest first",
    description="Newest first by their latest article. Follow `next` for the next page (a cursor); offset still works.",
)
def list_stories(request: HttpRequest, page: Query[CursorPageParams]) -> dict[str, Any]:
    stories = Story.objects.filter(
        merged_into__isnull=True, article_count__gt=0, last_published_at__isnull=False
    ).order_by("-last_published_at", "-id")  # the story_listed_newest index
    found = keyset_paginate(request, stories, page.limit, page.offset, page.cursor, time_field="last_published_at")
    rows = found["items"]
    coverage = _coverage([s.pk for s in rows])
    found["items"] = [
        {
            "id": s.pk,
            "headline": s.headline,
            "first_published_at": s.first_published_at,
            "last_published_at": s.last_published_at,
            "article_count": coverage[s.pk][0],
            "outlets": coverage[s.pk][1],
        }
        for s in rows
    ]
    return found


@router.get("/stories/{story_id}", response={200: StoryDetail, 404: Error, 422: Error}, summary="One story")
def get_story(request: HttpRequest, story_id: int) -> dict[str, Any]:
    found = Story.objects.filter(pk=story_id).first() if 1 <= story_id <= MAX_ID else None
    if found is None:
        raise NotFound(f"no story {story_id}")
    view = overview(kept_story(found))
    story = view.story
    badge = StoryBadge(story.pk, len(view.articles), len(view.outlets))
    return {
        "id": story.pk,
        "headline": view.headline,
        "first_published_at": view.articles[0].published_at if view.articles else story.first_published_at,
        "last_published_at": view.articles[-1].published_at if view.articles else story.last_published_at,
        "article_count": len(view.articles),
        "outlets": [_source_ref(o.source) for o in view.outlets],
        "first_reported_by": _source_ref(view.first_reported_by) if view.first_reported_by else None,
        "articles": [article_summary(a, badge) for a in view.articles],
        "categories": [
            {"qcode": c.target.qcode, "name": c.target.name, "slug": c.target.slug, "article_count": c.article_count}
            for c in view.categories
        ],
        "topics": [
            {
                "id": t.target.pk,
                "slug": t.target.slug,
                "name": t.target.name,
                "kind": t.target.kind,
                "article_count": t.article_count,
            }
            for t in view.topics
        ],
        "claims": [_speaker_out(group) for group in view.ledger.speakers],
        "conflicting_figures": [
            {
                "about": conflict.about,
                "figures": [
                    {
                        "value": f.value,
                        "text": f.text,
                        "speaker": f.statement.speaker or None,
                        "outlet": _source_ref(f.statement.ref.article.source),
                        "article_id": f.statement.ref.article_id,
                        "content": f.statement.text,
                    }
                    for f in conflict.figures
                ],
            }
            for conflict in view.ledger.conflicts
        ],
    }


def _speaker_out(group: StorySpeaker) -> dict[str, Any]:
    topic = group.topic
    return {
        "speaker": group.name if group.attributed else None,
        "topic": {"id": topic.pk, "slug": topic.slug, "name": topic.name} if topic is not None else None,
        "attributed": group.attributed,
        "outlets": [_source_ref(source) for source in group.outlets],
        "claims": [
            {
                "article_id": c.article_id,
                "outlet": _source_ref(c.article.source),
                "cue": c.cue_text,
                "content": c.content_text,
                "quote": c.quote,
                "kind": c.kind,
            }
            for c in group.claims
        ],
    }
