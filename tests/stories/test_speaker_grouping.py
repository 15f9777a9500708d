"""One speaker named several ways is one group: appositions, titles, a spokesperson for an organisation."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tests.stories.test_claims_stage import raw
from tests.stories.test_story_claims import claim
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.stories.ledger import group_keys, person_tails, speaker_key
from tidings.stories.speakers import store_claims
from tidings.stories.story_claims import story_ledger
from tidings.taxonomy.models import Alias, Topic, TopicKind
from tidings.web.claims import article_ledger


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Jonas Ojukwu, the chief technology officer", "jonas ojukwu"),
        ("Ursula von der Leyen, 65, the commission's president", "ursula von der leyen"),
        ("chief executive Jonas Ojukwu", "jonas ojukwu"),
        ("President Joe Biden", "joe biden"),
        ("Dr. Ada Okafor", "ada okafor"),
        ("the ministry's spokesman Igor Konashenkov", "igor konashenkov"),
        ("A spokesperson for the University of Tarn", "university of tarn"),
        ("a Pentagon spokesman", "a pentagon spokesman"),  # no organisation named after it: left as it is
        # Not names: nothing is dropped.
        ("the Syrian army's", "syrian army"),
        ("rebel forces", "rebel forces"),
        ("senior military officials", "senior military officials"),
        ("The rebels, who hold the town", "rebels, who hold the town"),
        ("Smith, Jones and Brown", "smith, jones and brown"),  # a list, not an apposition (capitalised after it)
        ("Astrophysicist Solveig Kariuki", "astrophysicist solveig kariuki"),  # not a known title: linking decides
    ],
)
def test_speaker_key(text: str, key: str) -> None:
    assert speaker_key(text) == key


def test_person_tails_are_two_words_or_more() -> None:
    assert person_tails("astrophysicist solveig kariuki") == ["solveig kariuki"]
    assert person_tails("us president donald trump") == ["president donald trump", "donald trump"]
    assert person_tails("solveig kariuki") == []


def test_group_keys_join_a_text_to_a_topic_it_names_or_a_person_it_ends_with() -> None:
    kariuki, tarn = (1, "Solveig Kariuki", "person"), (2, "University of Tarn", "organisation")
    keys = group_keys(
        [
            ("Astrophysicist Solveig Kariuki", None),
            ("Solveig Kariuki", kariuki),
            ("A spokesperson for the University of Tarn", None),
            ("the university", tarn),
            ("Kariuki", None),  # the last name of the one person topic named Kariuki
            ("the Tarn University board", None),
        ]
    )
    assert keys[:5] == [("topic", 1), ("topic", 1), ("topic", 2), ("topic", 2), ("topic", 1)]
    assert keys[5] == "tarn university board"


def test_group_keys_match_only_person_topics_by_tail() -> None:
    # An organisation's name at the end of a longer speaker is another speaker ("Iranian foreign ministry").
    keys = group_keys([("the Iranian Foreign Ministry", None), ("Foreign Ministry", (3, "Foreign Ministry", "org"))])
    assert keys[1] == ("topic", 3) and keys[0] != keys[1]


@pytest.mark.django_db
def test_story_ledger_groups_apposition_title_and_plain_name() -> None:
    _story, articles = story_of(("Dunmore Courier", "Chip plant opens", 3), ("Harbour Herald", "Plant opens", 1))
    ojukwu = TopicFactory(name="Jonas Ojukwu", kind=TopicKind.PERSON)
    claim(articles[0], 0, "the plant will hire 400", "Jonas Ojukwu, the chief technology officer")
    claim(articles[0], 1, "output starts in May", "Astrophysicist Solveig Kariuki")
    claim(articles[1], 0, "hiring starts now", "Jonas Ojukwu", topic=ojukwu)
    claim(articles[1], 1, "the plant is safe", "Solveig Kariuki")
    ledger = story_ledger(articles)
    names = [(group.name, len(group.claims)) for group in ledger.speakers]
    # Ojukwu: grouped under the topic, shown by its name although the first claim named him with an apposition.
    # Kariuki: no topic, so the title stays in one key ("astrophysicist solveig kariuki"): two groups.
    assert names == [
        ("Jonas Ojukwu", 2),
        ("Astrophysicist Solveig Kariuki", 1),
        ("Solveig Kariuki", 1),
    ]
    assert ledger.speakers[0].topic == ojukwu


@pytest.mark.django_db
def test_article_panel_groups_the_same_way() -> None:
    article = ArticleFactory()
    ojukwu = TopicFactory(name="Jonas Ojukwu", kind=TopicKind.PERSON)
    claim(article, 0, "the plant will hire 400", "Jonas Ojukwu, the chief technology officer")
    claim(article, 1, "hiring starts now", "chief executive Jonas Ojukwu", topic=None)
    claim(article, 2, "the plant is safe", "Jonas Ojukwu", topic=ojukwu)
    [group] = article_ledger(article).groups
    assert (group.name, group.topic, len(group.claims)) == ("Jonas Ojukwu", ojukwu, 3)


@pytest.mark.django_db
def test_a_titled_speaker_links_to_the_articles_person_topic() -> None:
    article = ArticleFactory()
    kariuki = TopicFactory(name="Solveig Kariuki", kind=TopicKind.PERSON)
    ArticleTopicFactory(article=article, topic=kariuki)
    key = speaker_key("Astrophysicist Solveig Kariuki")
    [claim_row] = store_claims(article.pk, [raw("Astrophysicist Solveig Kariuki", key=key)])
    assert claim_row.speaker_topic == kariuki


@pytest.mark.django_db
def test_a_titled_new_name_links_to_a_known_person_not_a_new_topic() -> None:
    article = ArticleFactory()
    kariuki = TopicFactory(name="Solveig Kariuki", kind=TopicKind.PERSON)
    Alias.objects.create(topic=kariuki, name="Solveig Kariuki", key="solveig kariuki")
    ref = {"name": "Astrophysicist Solveig Kariuki", "kind": "person", "aliases": [], "new": True}
    text = "Astrophysicist Solveig Kariuki"
    [claim_row] = store_claims(article.pk, [raw(text, key=speaker_key(text), ref=ref)])
    assert claim_row.speaker_topic == kariuki
    assert not Topic.objects.filter(name=text).exists()


@pytest.mark.django_db
def test_an_organisation_ending_a_speaker_is_not_taken_for_a_person() -> None:
    article = ArticleFactory()
    ministry = TopicFactory(name="Foreign Ministry", kind=TopicKind.ORGANISATION)
    ArticleTopicFactory(article=article, topic=ministry)
    [claim_row] = store_claims(article.pk, [raw("the Iranian Foreign Ministry", key="iranian foreign ministry")])
    assert claim_row.speaker_topic != ministry


MINISTRY = (7, "Russian Defense Ministry", "organisation")
PUTIN = (8, "Vladimir Putin", "person")


def test_group_keys_meet_country_demonym_possessive_and_spelling_variants() -> None:
    keys = group_keys(
        [
            ("Russia's defence ministry", None),
            ("the Russian Defense Ministry", MINISTRY),
            ("Russian defence ministry", None),
        ]
    )
    assert keys == [("topic", 7)] * 3
    # Without a topic in the list, the spellings still meet each other (and not another country's ministry).
    plain = group_keys(
        [
            ("Russia's defence ministry", None),
            ("the Russian Defense Ministry", None),
            ("Ukraine's defence ministry", None),
        ]
    )
    assert plain[0] == plain[1] != plain[2]


def test_group_keys_use_the_topics_aliases() -> None:
    keys = group_keys([("the MoD", None), ("Russian Defense Ministry", MINISTRY)], aliases={7: ["mod", "minoborony"]})
    assert keys == [("topic", 7), ("topic", 7)]
    assert group_keys([("the MoD", None), ("Russian Defense Ministry", MINISTRY)])[0] == "mod"  # no aliases given


def test_a_last_name_joins_the_one_person_of_that_name_titles_aside() -> None:
    keys = group_keys([("Putin", None), ("President Putin", None), ("Vladimir Putin", PUTIN)])
    assert keys == [("topic", 8)] * 3


def test_a_last_name_shared_by_two_people_joins_neither() -> None:
    keys = group_keys(
        [("Smith", None), ("Ada Smith", (1, "Ada Smith", "person")), ("Ben Smith", (2, "Ben Smith", "person"))]
    )
    assert keys[0] == "smith"


def test_a_bare_definite_head_noun_joins_the_one_body_it_ends() -> None:
    keys = group_keys([("the ministry", None), ("the Russian Defense Ministry", MINISTRY), ("the ministry's", None)])
    assert keys == [("topic", 7)] * 3
    # Also a body named only by text, of several words.
    plain = group_keys([("the Syrian army", None), ("the army", None)])
    assert plain[0] == plain[1]


def test_a_bare_head_noun_with_two_bodies_it_could_be_stays_apart() -> None:
    foreign = (9, "Russian Foreign Ministry", "organisation")
    keys = group_keys([("the ministry", None), ("Russian Defense Ministry", MINISTRY), ("Foreign Ministry", foreign)])
    assert keys[0] == "ministry"


def test_officials_and_other_plural_or_indefinite_speakers_stay_apart_from_named_ones() -> None:
    keys = group_keys(
        [
            ("officials", None),
            ("the officials", None),
            ("Russian officials", None),
            ("a ministry", None),
            ("Russian Defense Ministry", MINISTRY),
            ("Vladimir Putin", PUTIN),
        ]
    )
    assert ("topic", 7) not in keys[:4] and ("topic", 8) not in keys[:4]
    assert len(set(keys[:4])) == 4 or keys[0] == keys[1]  # "officials" and "the officials" may be one group
    assert keys[0] == "officials" and keys[2] == "russia officials"


@pytest.mark.django_db
def test_story_page_groups_ministry_spellings_and_last_names_through_topics_and_aliases() -> None:
    _story, articles = story_of(
        ("Dunmore Courier", "Strikes reported", 3), ("Harbour Herald", "Strikes go on", 2), ("Evening Post", "Talks", 1)
    )
    ministry = TopicFactory(name="Russian Defense Ministry", kind=TopicKind.ORGANISATION)
    Alias.objects.create(topic=ministry, name="Minoborony", key="minoborony")
    putin = TopicFactory(name="Vladimir Putin", kind=TopicKind.PERSON)
    claim(articles[0], 0, "the strikes hit depots", "the Russian Defense Ministry", topic=ministry)
    claim(articles[0], 1, "talks may follow", "Vladimir Putin", topic=putin)
    claim(articles[1], 0, "depots were hit", "Russia's defence ministry")
    claim(articles[1], 1, "more strikes will come", "the ministry")
    claim(articles[1], 2, "nothing was hit", "officials")
    claim(articles[2], 0, "the strikes are over", "Minoborony")
    claim(articles[2], 1, "talks are welcome", "Putin")
    ledger = story_ledger(articles)
    names = [(group.name, len(group.claims)) for group in ledger.speakers]
    assert names == [("Russian Defense Ministry", 4), ("Vladimir Putin", 2), ("Officials", 1)]
