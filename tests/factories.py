"""factory-boy factories for the core models; any test may import them."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from tidings.articles.models import Article
from tidings.personalization.models import Profile
from tidings.sources.models import Source, SourceKind
from tidings.taxonomy.models import ArticleCategory, ArticleTopic, Category, Origin, Topic, TopicKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Example Gazette {n}")
    url = factory.Sequence(lambda n: f"https://news{n}.example.org/feed.xml")
    site_url = factory.LazyAttribute(lambda s: s.url.rsplit("/", 1)[0] + "/")
    kind = SourceKind.RSS
    language = "en"


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


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("qcode",)

    qcode = factory.Sequence(lambda n: f"medtop:{90000000 + n:08d}")
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))
    level = factory.LazyAttribute(lambda c: 2 if c.parent else 1)
    parent = None


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    kind = TopicKind.KEYWORD
    name = factory.Sequence(lambda n: f"Topic {n}")


class ArticleCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleCategory

    article = factory.SubFactory(ArticleFactory)
    category = factory.SubFactory(CategoryFactory)
    score = 0.9
    origin = Origin.MODEL


class ArticleTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleTopic

    article = factory.SubFactory(ArticleFactory)
    topic = factory.SubFactory(TopicFactory)
    score = 0.8
    origin = Origin.MODEL
