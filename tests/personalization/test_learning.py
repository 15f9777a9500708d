"""Logging interactions and rebuilding the learned interests from them (database edge)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.enrichment.models import ArticleEmbedding
from tidings.lib.errors import InvalidInput
from tidings.personalization.learning import purge_old_interactions, record, refresh_interests
from tidings.personalization.models import Interaction, Interest

pytestmark = pytest.mark.django_db


def _embed(article, vector):
    ArticleEmbedding.objects.create(
        article=article, model_name="test", dimensions=len(vector), vector=np.asarray(vector, dtype="<f4").tobytes()
    )


def test_refresh_turns_interactions_into_interest_rows_and_a_taste_vector():
    profile = ProfileFactory()
    science, sport = CategoryFactory(slug="science"), CategoryFactory(slug="sport")
    mars = TopicFactory(name="Mars")
    liked, disliked = ArticleFactory(), ArticleFactory()
    ArticleCategoryFactory(article=liked, category=science, score=0.9)
    ArticleTopicFactory(article=liked, topic=mars)
    ArticleCategoryFactory(article=disliked, category=sport, score=0.9)
    _embed(liked, [0.6, 0.8])
    record(profile, "save", article=liked)
    record(profile, "less", article=disliked)

    refresh_interests(profile)

    scores = {(i.kind, i.target_id): i.score for i in Interest.objects.filter(profile=profile)}
    assert scores[("category", science.pk)] > 0
    assert scores[("topic", mars.pk)] > 0
    assert scores[("category", sport.pk)] < 0
    assert scores[("source", liked.source_id)] > 0
    profile.refresh_from_db()
    assert np.allclose(np.frombuffer(bytes(profile.taste_vector), dtype="<f4"), [0.6, 0.8], atol=1e-6)
    assert profile.interests_updated_at is not None


def test_refresh_replaces_rows_and_forgets_what_is_past_retention(settings):
    settings.INTERACTION_RETENTION_DAYS = 30
    profile = ProfileFactory()
    old, new = ArticleFactory(), ArticleFactory()
    category = CategoryFactory(slug="economy")
    ArticleCategoryFactory(article=old, category=category, score=0.9)
    record(profile, "open", article=old, now=timezone.now() - timedelta(days=40))
    record(profile, "open", article=new)
    refresh_interests(profile)
    kinds = set(Interest.objects.filter(profile=profile).values_list("kind", "target_id"))
    assert ("category", category.pk) not in kinds
    assert ("source", new.source_id) in kinds
    assert purge_old_interactions() == 1
    assert Interaction.objects.filter(profile=profile).count() == 1


@pytest.mark.parametrize(
    ("kind", "value"), [("stare", 1.0), ("read", -5.0), ("read", float("nan"))], ids=["kind", "negative", "nan"]
)
def test_bad_interactions_are_refused_and_nothing_is_stored(kind, value):
    profile = ProfileFactory()
    with pytest.raises(InvalidInput):
        record(profile, kind, article=ArticleFactory(), value=value)
    assert not Interaction.objects.exists()


def test_reading_time_is_capped_and_story_is_filled_in():
    profile = ProfileFactory()
    article = ArticleFactory()
    row = record(profile, "read", article=article, value=10**9)
    assert row.value == 3600.0
    assert row.story_id is None
