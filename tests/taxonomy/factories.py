"""factory-boy factories for taxonomy: categories, topics and an article's links to them."""

from __future__ import annotations

import factory

from tests.articles.factories import ArticleFactory
from tidings.taxonomy.models import ArticleCategory, ArticleTopic, Category, Origin, Topic, TopicKind


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
