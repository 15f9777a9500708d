"""Speakers that are people: a full name the model tags as an organisation, a later surname or given name alone,
and grouping that unifies one name whatever kind its topic was stored as. Texts and rows written for these
tests."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.stories.claims_helpers import claims_of, nlp, speaker_text
from tests.stories.helpers import story_of
from tests.stories.test_claims_stage import raw, topic
from tests.stories.test_story_claims import claim
from tidings.enrichment.stage import ArticleText
from tidings.stories.ledger import SpeakerRef, group_keys, match_speaker
from tidings.stories.speakers import store_claims
from tidings.stories.stage import ClaimsStage, named_in_full
from tidings.stories.story_claims import story_ledger
from tidings.taxonomy.models import Topic, TopicKind
from tidings.taxonomy.topics import EntityRef, resolve_topic

__all__ = ["nlp"]
IWASAKI = SpeakerRef("Marta Iwasaki", "person")
OLSEN = SpeakerRef("Marta Olsen", "person")
EARLIER = "Labour minister Marta Iwasaki said talks would resume. "


@pytest.mark.parametrize("key", ["iwasaki", "marta", "dr iwasaki", "minister iwasaki"])
def test_a_surname_or_given_name_alone_is_the_person_named_in_full_earlier(key: str) -> None:
    assert named_in_full(key, EARLIER, [IWASAKI]) == IWASAKI


def test_a_short_name_is_not_resolved_when_the_full_name_comes_later_or_fits_two_people() -> None:
    assert named_in_full("iwasaki", "Talks resumed. ", [IWASAKI]) is None  # not named in full before
    both = EARLIER + "Marta Olsen, her deputy, agreed. "
    assert named_in_full("marta", both, [IWASAKI, OLSEN]) is None  # two Martas
    assert named_in_full("olsen", both, [IWASAKI, OLSEN]) == OLSEN  # one Olsen
    assert named_in_full("marta iwasaki", EARLIER, [IWASAKI]) is None  # a full name needs no resolving
    assert named_in_full("the union", EARLIER, [IWASAKI]) is None


def test_a_speaker_the_model_tags_as_an_organisation_is_a_person_by_its_shape() -> None:
    assert match_speaker("Tomasz Desrosiers", {}, "ORG") == SpeakerRef("Tomasz Desrosiers", "person", new=True)
    assert match_speaker("Dr Okoro Brightwater", {}, "ORG") == SpeakerRef("Okoro Brightwater", "person", new=True)
    assert match_speaker("Morgan Stanley", {}, "ORG") == SpeakerRef("Morgan Stanley", "organisation", new=True)


def test_an_untagged_speaker_that_reads_as_a_personal_name_is_a_new_person() -> None:
    assert match_speaker("Tomasz Desrosiers", {}, None) == SpeakerRef("Tomasz Desrosiers", "person", new=True)
    assert match_speaker("Harbour Board", {}, None) is None


@pytest.mark.models
def test_he_resolves_to_a_personal_name_the_model_did_not_tag_as_a_person(nlp) -> None:
    found = claims_of(
        "Tomasz Desrosiers arrived at the port. The council said the strike was unlawful. He said "
        "the strike would continue.",
        nlp,
    )
    he = [c for c in found if c["content"]["text"] == "the strike would continue"]
    assert [speaker_text(c) for c in he] == ["Tomasz Desrosiers"]


@pytest.mark.models
def test_the_stage_links_later_short_names_to_the_full_name() -> None:
    text = ArticleText(
        1,
        "Talks resume",
        (
            "Labour minister Marta Iwasaki said talks would resume on Friday.",
            "Iwasaki said employers had refused to negotiate. Marta said she was hopeful.",
        ),
        facts={"entities": [{"name": "Marta Iwasaki", "kind": "person", "aliases": []}]},
    )
    [output] = ClaimsStage().process_batch([text])
    said = {c["speaker"]["text"]: c for c in output.values["claims"] if c["speaker"]}
    for short in ("Iwasaki", "Marta"):
        assert said[short]["speaker_key"] == "marta iwasaki"
        assert said[short]["speaker_ref"]["name"] == "Marta Iwasaki"


@pytest.mark.django_db
def test_short_names_link_to_the_full_names_topic_and_make_no_fragment_topic() -> None:
    article = ArticleFactory()
    ref = IWASAKI.as_dict()
    full = raw("Labour minister Marta Iwasaki", key="labour minister marta iwasaki", ref=ref)
    stored = store_claims(
        article.pk, [full, raw("Iwasaki", key="marta iwasaki", ref=ref), raw("Marta", key="marta iwasaki", ref=ref)]
    )
    topics = {c.speaker_topic for c in stored}
    assert len(topics) == 1 and next(iter(topics)).name == "Marta Iwasaki"
    assert not Topic.objects.filter(name__in=["Iwasaki", "Marta"]).exists()


@pytest.mark.django_db
def test_a_person_stored_as_an_organisation_is_retyped_when_known_as_a_person() -> None:
    made = topic("Tomasz Desrosiers", TopicKind.ORGANISATION, aliases=("tomasz desrosiers",))
    found = resolve_topic(EntityRef("Tomasz Desrosiers", "person", (), 1, 1.0, None))
    assert found.pk == made.pk and Topic.objects.get(pk=made.pk).kind == TopicKind.PERSON
    other = topic("Harbour Board", TopicKind.ORGANISATION, aliases=("harbour board",))
    resolve_topic(EntityRef("Harbour Board", "place", (), 1, 1.0, None))
    assert Topic.objects.get(pk=other.pk).kind == TopicKind.ORGANISATION  # only organisation -> person


def test_grouping_unifies_one_name_whatever_kind_its_topics_were_stored_as() -> None:
    org = (1, "Tomasz Desrosiers", "organisation")
    person = (2, "Tomasz Desrosiers", "person")
    keys = group_keys(
        [
            ("Tomasz Desrosiers", org),
            ("Health minister Tomasz Desrosiers", person),
            ("Desrosiers", None),
            ("Mr Desrosiers", None),
        ]
    )
    assert len(set(keys)) == 1


def test_an_organisation_topic_named_like_a_person_takes_its_surname_but_a_firm_does_not() -> None:
    keys = group_keys([("Tomasz Desrosiers", (1, "Tomasz Desrosiers", "organisation")), ("Desrosiers", None)])
    assert keys[0] == keys[1]
    firm = group_keys([("Morgan Stanley", (1, "Morgan Stanley", "organisation")), ("Stanley", None)])
    assert firm[0] != firm[1]


@pytest.mark.django_db
def test_the_story_ledger_shows_one_group_for_a_person_with_an_organisation_topic() -> None:
    _story, articles = story_of(("Harbour Herald", "Port strike", 2), ("Evening Post", "Strike goes on", 1))
    as_org = topic("Tomasz Desrosiers", TopicKind.ORGANISATION, aliases=("tomasz desrosiers",))
    claim(articles[0], 0, "the strike would go on", "Tomasz Desrosiers", topic=as_org)
    claim(articles[1], 0, "talks had failed", "Desrosiers")
    ledger = story_ledger(articles)
    assert [(g.name, len(g.claims)) for g in ledger.speakers] == [("Tomasz Desrosiers", 2)]


def test_grouping_unifies_a_person_whose_topic_name_kept_a_role_word_or_a_wrong_kind() -> None:
    keys = group_keys(
        [
            ("Neighbour Tariq Varga", (1, "Neighbour Tariq Varga", "person")),
            ("neighbour Tariq Varga", (2, "Tariq Varga", "person")),
            ("Weather forecaster Nadia Mbeki-Ross", None),
            ("weather forecaster Nadia Mbeki-Ross", (3, "Nadia Mbeki-Ross", "place")),
        ]
    )
    assert keys[0] == keys[1] and keys[2] == keys[3] and keys[0] != keys[2]


def test_a_new_person_speaker_is_named_without_its_role_words() -> None:
    ref = match_speaker("Neighbour Tariq Varga", {}, "PERSON")
    assert ref == SpeakerRef("Tariq Varga", "person", new=True)
    assert match_speaker("Jean Paul Sartre", {}, "PERSON") == SpeakerRef("Jean Paul Sartre", "person", new=True)
