"""The claims stage and its store: claims replace the article's old ones, speakers link to topics."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.enrichment.runner import article_text, enrich_articles
from tidings.stories.models import Claim
from tidings.stories.speakers import store_claims
from tidings.stories.stage import ClaimsStage
from tidings.taxonomy.models import Alias, ArticleTopic, Topic, TopicKind

pytestmark = pytest.mark.django_db

BODY = (
    "The Syrian army reported heavy fighting near Hama on Monday.\n\n"
    'The Russian Defense Ministry said in a statement: "We struck the positions."\n\n'
    "Rebels reportedly killed 300 fighters."
)


def raw(speaker: str | None, key: str = "", ref: dict | None = None, cue: str = "said") -> dict:
    return {
        "speaker": {"text": speaker, "start": 0, "end": len(speaker)} if speaker else None,
        "cue": {"text": cue, "start": 10, "end": 14},
        "content": {"text": "the town fell", "start": 15, "end": 28},
        "quote": False,
        "kind": "report",
        "attributed": speaker is not None,
        "part": "body",
        "paragraph": 0,
        "speaker_ref": ref,
        "speaker_key": key,
    }


def topic(name: str, kind: str, aliases: tuple[str, ...] = ()) -> Topic:
    made = TopicFactory(name=name, kind=kind)
    for alias in aliases:
        Alias.objects.create(topic=made, name=alias, key=alias.lower())
    return made


def test_store_replaces_the_articles_claims() -> None:
    article = ArticleFactory()
    store_claims(article.pk, [raw("Officials"), raw(None)])
    assert Claim.objects.filter(article=article).count() == 2
    store_claims(article.pk, [raw("Officials", cue="denied")])
    assert list(Claim.objects.filter(article=article).values_list("cue_text", "order")) == [("denied", 0)]
    store_claims(article.pk, [])
    assert not Claim.objects.filter(article=article).exists()


def test_a_speaker_links_to_the_articles_own_topic_before_any_other() -> None:
    article = ArticleFactory()
    army = topic("Syrian Army", TopicKind.ORGANISATION)
    topic("Syrian army", TopicKind.KEYWORD, aliases=("syrian armed forces",))
    ArticleTopicFactory(article=article, topic=army)
    [claim] = store_claims(article.pk, [raw("the Syrian army's", key="syrian army")])
    assert claim.speaker_topic == army


def test_a_speaker_links_to_a_known_topic_through_an_alias() -> None:
    article = ArticleFactory()
    usa = topic("United States", TopicKind.PLACE, aliases=("us",))
    [claim] = store_claims(article.pk, [raw("The US", key="us")])
    assert claim.speaker_topic == usa
    assert ArticleTopic.objects.filter(article=article, topic=usa).exists()  # shows on the topic page


def test_a_keyword_topic_is_no_speaker() -> None:
    article = ArticleFactory()
    topic("Officials", TopicKind.KEYWORD, aliases=("officials",))
    [claim] = store_claims(article.pk, [raw("officials", key="officials")])
    assert claim.speaker_topic is None


def test_a_clear_new_name_becomes_a_topic_once() -> None:
    first, second = ArticleFactory(), ArticleFactory()
    ref = {"name": "Syrian Civil Defense", "kind": "organisation", "aliases": [], "new": True}
    [a] = store_claims(first.pk, [raw("The Syrian Civil Defense", key="syrian civil defense", ref=ref)])
    [b] = store_claims(second.pk, [raw("the Syrian Civil Defense", key="syrian civil defense", ref=ref)])
    assert a.speaker_topic is not None and a.speaker_topic == b.speaker_topic
    assert (a.speaker_topic.name, a.speaker_topic.kind) == ("Syrian Civil Defense", TopicKind.ORGANISATION)
    assert Alias.objects.filter(key="syrian civil defense").count() == 1


def test_an_unattributed_claim_has_no_speaker_and_is_flagged() -> None:
    article = ArticleFactory()
    [claim] = store_claims(article.pk, [raw(None)])
    assert claim.speaker_text == "" and claim.speaker_start is None and not claim.attributed


@pytest.mark.models
def test_the_stage_finds_claims_whose_offsets_point_into_the_article() -> None:
    article = ArticleFactory(headline="Army reports gains", standfirst="", body_text=BODY)
    stage = ClaimsStage()
    [output] = stage.process_batch([article_text(article, {"language": "en", "entities": []})])
    assert output.error is None
    stage.store({article.pk: output.values})
    claims = list(Claim.objects.filter(article=article))
    text = article_text(article).text
    assert {c.cue_text for c in claims} >= {"reported", "said", "reportedly"}
    for claim in claims:
        assert text[claim.content_start : claim.content_end] == claim.content_text
        assert text[claim.cue_start : claim.cue_end] == claim.cue_text
    unattributed = [c for c in claims if not c.attributed]
    assert [c.cue_text for c in unattributed] == ["reportedly"]
    said = next(c for c in claims if c.cue_text == "said")
    assert (said.part, said.paragraph, said.quote) == ("body", 1, True)
    headline = next(c for c in claims if c.cue_text == "reports")
    assert headline.part == "headline"


@pytest.mark.models
def test_the_pipeline_links_speakers_to_the_entities_it_found() -> None:
    article = ArticleFactory(headline="Fighting near Hama", standfirst="", body_text=BODY, language="en")
    report = enrich_articles([article.pk], stages=["language", "entities", "claims"])
    assert report.ran.get("claims") == 1 and not report.errors
    linked = {c.cue_text: c.speaker_topic for c in Claim.objects.filter(article=article)}
    ministry = linked["said"]
    assert ministry is not None and ministry.kind == TopicKind.ORGANISATION
    assert "Defense Ministry" in ministry.name
    # A second run at the same version does nothing; a forced one replaces rather than adds.
    enrich_articles([article.pk], stages=["claims"], force=True)
    assert Claim.objects.filter(article=article).count() == len(linked)
