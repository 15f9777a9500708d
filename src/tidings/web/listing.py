"""What list pages share: 20-per-page pagination, article cards with de-duplicated chips, follow states."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.articles.models import Article
from tidings.personalization.services import followed_ids, profile_for_request
from tidings.stories.collapse import StoryBadge, story_badges
from tidings.taxonomy.models import ArticleTopic, Category, Origin, Topic, TopicKind

PAGE_SIZE = 20
CHIP_LIMIT = 3
# Links scored below this are too unsure to show as a chip (the best one is always shown).
CHIP_MIN_SCORE = 0.2


@dataclass(frozen=True, slots=True)
class ArticleCard:
    """An article with the few categories and topics shown as chips under it."""

    article: Article
    categories: tuple[Category, ...]
    topics: tuple[Topic, ...]
    story: StoryBadge | None = None  # set when the article's story has other articles: "N sources" links to it
    why: str = ""  # why a ranked list shows it ("You follow Syria"): personalization.explain


def card_for(article: Article, limit: int = CHIP_LIMIT, story: StoryBadge | None = None, why: str = "") -> ArticleCard:
    """Chips from prefetched links (for_listing), best score first, each target once."""
    categories: dict[int, Category] = {}
    for link in sorted(article.category_links.all(), key=lambda x: -x.score):
        if not categories or link.score >= CHIP_MIN_SCORE:
            categories.setdefault(link.category_id, link.category)
    topics: dict[int, Topic] = {}
    for tlink in sorted(article.topic_links.all(), key=lambda x: (_chip_tier(x), -x.score, x.topic.name)):
        if not topics or tlink.score >= CHIP_MIN_SCORE:
            topics.setdefault(tlink.topic_id, tlink.topic)
    return ArticleCard(
        article=article,
        categories=tuple(categories.values())[:limit],
        topics=tuple(topics.values())[:limit],
        story=story,
        why=why,
    )


def _chip_tier(link: ArticleTopic) -> int:
    """Names the article writes first, then the places they lie in and multi-word keyphrases, then single words.

    Keyphrase and entity scores are each relative to the article's best, so by score alone an article's top
    keyphrase ties with its top name; a name says more about what to follow. A person named by one word only
    ("Williams", "Jimmy") is more often a fragment than a name worth following, so it waits with the single words.
    """
    kind, name = link.topic.kind, link.topic.name.strip()
    if kind == TopicKind.KEYWORD or (kind == TopicKind.PERSON and " " not in name):
        return 1 if " " in name else 2
    return 0 if link.mentions > 0 or link.origin == Origin.EDITOR else 1


def cards_for(
    articles: Iterable[Article], limit: int = CHIP_LIMIT, why: Mapping[int, str] | None = None
) -> list[ArticleCard]:
    """Cards for a page of articles, each with its story's badge (two queries for the page) and, on ranked
    lists, why it is there (by article id)."""
    listed = list(articles)
    badges = story_badges([a.pk for a in listed])
    reasons = why or {}
    return [card_for(a, limit, badges.get(a.pk), reasons.get(a.pk, "")) for a in listed]


def paginate(request: HttpRequest, items: Sequence[Any] | QuerySet[Any]) -> Page[Any]:
    """The requested page (?page=N); a bad or too-large number gives the nearest real page."""
    paginator: Paginator[Any] = Paginator(items, PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def follow_states_for(request: HttpRequest) -> dict[str, dict[int, str]]:
    """Follow states of the visitor, without creating a profile for someone who follows nothing."""
    return followed_ids(profile_for_request(request, create=False))
