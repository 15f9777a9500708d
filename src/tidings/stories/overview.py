"""What a story page and /api/stories/{id} show: its articles, timeline, outlets, categories and topics.

Representative headline (chosen, never generated): the headline of the earliest-published visible article,
i.e. of the outlet that reported first (ties: the lower article id). The same rule gives Story.headline when
stories are created (assign.py) or edited (editing.py); it is computed again here so the page is right even
when the stored row lags.

Categories come from taxonomy.membership (the one listing rule): a category is shown when at least one of
the story's articles is listed in it, most articles first. Topics count the articles linked to them with a
score of at least TOPIC_MIN_SCORE (the best link of each article always counts), most articles first.
Claims: `story_claims.story_ledger`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from tidings.articles.models import Article
from tidings.sources.models import Source
from tidings.stories.models import Story
from tidings.stories.story_claims import StoryLedger, story_ledger
from tidings.taxonomy.membership import listed_categories
from tidings.taxonomy.models import Category, Topic

T = TypeVar("T", Category, Topic)

TOPIC_MIN_SCORE = 0.2
TOPIC_LIMIT = 12
CATEGORY_LIMIT = 8


@dataclass(frozen=True, slots=True)
class Outlet:
    """One source covering the story, with its articles in publication order."""

    source: Source
    articles: tuple[Article, ...]

    @property
    def first_published_at(self) -> datetime:
        return self.articles[0].published_at


@dataclass(frozen=True, slots=True)
class Counted(Generic[T]):
    """A category or topic with how many of the story's articles it covers."""

    target: T
    article_count: int


@dataclass(frozen=True, slots=True)
class StoryOverview:
    story: Story
    headline: str
    articles: tuple[Article, ...]  # the timeline: earliest first
    outlets: tuple[Outlet, ...]  # the outlet that reported first, first
    categories: tuple[Counted[Category], ...]
    topics: tuple[Counted[Topic], ...]
    ledger: StoryLedger  # claims by speaker and the figures that differ

    @property
    def first_reported_by(self) -> Source | None:
        return self.outlets[0].source if self.outlets else None

    @property
    def first_article(self) -> Article | None:
        return self.articles[0] if self.articles else None


def story_articles(story_id: int) -> list[Article]:
    """The story's visible articles with sources and links loaded, earliest first."""
    return list(
        Article.objects.visible().filter(story_link__story_id=story_id).order_by("published_at", "pk").for_listing()
    )


def overview(story: Story) -> StoryOverview:
    """Everything the story page shows, in five queries after the story (articles, two prefetches, membership,
    claims)."""
    articles = story_articles(story.pk)
    by_source: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        by_source[article.source_id].append(article)
    outlets = tuple(Outlet(group[0].source, tuple(group)) for group in by_source.values())
    return StoryOverview(
        story=story,
        headline=story.headline or (articles[0].headline if articles else ""),  # stories.representative's
        articles=tuple(articles),
        outlets=outlets,
        categories=_categories(articles),
        topics=_topics(articles),
        ledger=story_ledger(articles),
    )


def _categories(articles: list[Article]) -> tuple[Counted[Category], ...]:
    linked: dict[int, Category] = {}
    for article in articles:
        for link in article.category_links.all():
            linked[link.category_id] = link.category
    parents = {c.parent_id for c in linked.values() if c.parent_id is not None and c.parent_id not in linked}
    if parents:
        linked.update({c.pk: c for c in Category.objects.filter(pk__in=parents)})
    listed = listed_categories([a.pk for a in articles], linked)
    counts = Counter(category_id for ids in listed.values() for category_id in ids)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], linked[item[0]].name))
    return tuple(Counted(linked[pk], n) for pk, n in ranked[:CATEGORY_LIMIT])


def _topics(articles: list[Article]) -> tuple[Counted[Topic], ...]:
    counts: Counter[int] = Counter()
    topics: dict[int, Topic] = {}
    for article in articles:
        links = sorted(article.topic_links.all(), key=lambda x: -x.score)
        kept = {link.topic_id: link.topic for i, link in enumerate(links) if i == 0 or link.score >= TOPIC_MIN_SCORE}
        topics.update(kept)
        counts.update(kept.keys())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], topics[item[0]].name))
    return tuple(Counted(topics[pk], n) for pk, n in ranked[:TOPIC_LIMIT])
