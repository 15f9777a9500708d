"""Stories built directly (no clustering): a story with articles from given outlets at given hours ago."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.articles.models import Article
from tidings.sources.models import Source
from tidings.stories.editing import refresh_story
from tidings.stories.models import ArticleStory, Story


def source(name: str) -> Source:
    return Source.objects.filter(name=name).first() or SourceFactory(name=name)


def story_of(*coverage: tuple[str, str, float]) -> tuple[Story, list[Article]]:
    """A story of (outlet name, headline, hours ago) articles, counted as editing.refresh_story counts."""
    story = Story.objects.create(headline="placeholder")
    now = timezone.now()
    articles = []
    for outlet, headline, hours_ago in coverage:
        article = ArticleFactory(
            source=source(outlet), headline=headline, published_at=now - timedelta(hours=hours_ago)
        )
        ArticleStory.objects.create(article=article, story=story, score=0.8)
        articles.append(article)
    refresh_story(story.pk)
    story.refresh_from_db()
    return story, articles
