"""When the entities stage runs again after the claims stage, the weak speaker links are rebuilt."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.stories.test_claims_stage import BODY, raw, topic
from tidings.articles.signals import articles_enriched
from tidings.enrichment.runner import enrich_articles
from tidings.stories.models import Claim
from tidings.stories.speakers import SPEAKER_LINK_SCORE, relink_speakers, store_claims
from tidings.taxonomy.models import ArticleTopic, Origin, TopicKind
from tidings.taxonomy.topics import store_topic_links

pytestmark = pytest.mark.django_db


def linked(article) -> dict[int, float]:
    return dict(ArticleTopic.objects.filter(article=article).values_list("topic_id", "score"))


def test_an_entities_rerun_drops_the_weak_link_and_enrichment_end_rebuilds_it() -> None:
    article = ArticleFactory()
    usa = topic("United States", TopicKind.PLACE, aliases=("us",))
    store_claims(article.pk, [raw("The US", key="us")])
    assert linked(article).get(usa.pk) == SPEAKER_LINK_SCORE
    # The entities stage again, finding only another name: it replaces the model links to places.
    store_topic_links(article.pk, [{"name": "Dunmore Council", "kind": "organisation", "score": 0.9, "mentions": 1}])
    assert usa.pk not in linked(article)
    articles_enriched.send(sender=None, article_ids=[article.pk])
    assert linked(article).get(usa.pk) == SPEAKER_LINK_SCORE
    link = ArticleTopic.objects.get(article=article, topic=usa)
    assert link.origin == Origin.MODEL
    assert Claim.objects.get(article=article).speaker_topic == usa


def test_relink_is_a_no_op_when_the_links_are_there() -> None:
    article = ArticleFactory()
    topic("United States", TopicKind.PLACE, aliases=("us",))
    store_claims(article.pk, [raw("The US", key="us"), raw("the US", key="us"), raw(None)])
    before = linked(article)
    assert relink_speakers([article.pk]) == 0
    assert linked(article) == before


def test_a_speaker_whose_topic_was_deleted_gets_the_topic_that_now_has_its_name() -> None:
    article = ArticleFactory()
    old = topic("United States", TopicKind.PLACE, aliases=("us",))
    store_claims(article.pk, [raw("The US", key="us")])
    old.delete()  # an editor's merge or clean-up: the claim's speaker topic is set to null
    claim = Claim.objects.get(article=article)
    assert claim.speaker_topic is None and claim.speaker_text == "The US"
    usa = topic("USA", TopicKind.PLACE, aliases=("us",))
    assert relink_speakers([article.pk]) == 2  # the claim's topic, and the article's link to it
    assert Claim.objects.get(article=article).speaker_topic == usa
    assert linked(article).get(usa.pk) == SPEAKER_LINK_SCORE


def test_an_unknown_speaker_stays_without_a_topic_and_nothing_is_created() -> None:
    article = ArticleFactory()
    store_claims(article.pk, [raw("Officials")])
    topics_before = set(ArticleTopic.objects.values_list("topic_id", flat=True))
    assert relink_speakers([article.pk]) == 0
    assert Claim.objects.get(article=article).speaker_topic is None
    assert set(ArticleTopic.objects.values_list("topic_id", flat=True)) == topics_before


def test_the_pipeline_keeps_every_speaker_linked_after_an_entities_rerun() -> None:
    article = ArticleFactory(headline="Fighting near Hama", standfirst="", body_text=BODY, language="en")
    enrich_articles([article.pk], stages=["language", "entities", "claims"])
    speakers = set(
        Claim.objects.filter(article=article, speaker_topic__isnull=False).values_list("speaker_topic", flat=True)
    )
    assert speakers and speakers <= set(linked(article))
    enrich_articles([article.pk], stages=["entities"], force=True)
    assert speakers <= set(linked(article))
    assert (
        set(Claim.objects.filter(article=article, speaker_topic__isnull=False).values_list("speaker_topic", flat=True))
        == speakers
    )
