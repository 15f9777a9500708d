"""factory-boy factories for articles; any test may import them."""

from __future__ import annotations

import factory
from django.utils import timezone

from tests.sources.factories import SourceFactory
from tidings.articles.models import Article


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/2026/story-{n}")
    guid = factory.LazyAttribute(lambda a: a.url)
    headline = factory.Sequence(lambda n: f"Council approves budget plan number {n}")
    standfirst = "Members voted after a long debate."
    body_text = "The council met on Tuesday.\n\nThe vote was close."
    body_html = "<p>The council met on Tuesday.</p><p>The vote was close.</p>"
    author = "A. Reporter"
    published_at = factory.LazyFunction(timezone.now)
    language = "en"
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
