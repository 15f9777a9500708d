"""The claims ledger's pure helpers: the offset layout, speaker matching, highlight segments."""

from __future__ import annotations

from tidings.enrichment.stage import ArticleText
from tidings.stories.ledger import Mark, SpeakerRef, entity_keys, match_speaker, part_at, segments, text_parts

ENTITIES = [
    {"name": "United States", "kind": "place", "aliases": ["US", "U.S."]},
    {"name": "Russian Defense Ministry", "kind": "organisation", "aliases": []},
    {"name": "Kurdish People's Protection Units", "kind": "organisation", "aliases": ["YPG"]},
    {"name": "Hakan Fidan", "kind": "person"},
    {"name": "ceasefire", "kind": "keyword"},
]


def test_text_parts_lay_out_the_enrichment_text() -> None:
    for headline, standfirst, paragraphs in [
        ("Head", "Stand", ("One.", "Two words.")),
        ("Head", "", ("One.",)),
        ("", "Stand only", ()),
        ("Head", "Stand", ("", "After an empty one.")),
    ]:
        text = ArticleText(1, headline, paragraphs, standfirst=standfirst).text
        parts = text_parts(headline, standfirst, paragraphs)
        for part in parts:
            assert text[part.start : part.end] == part.text
        assert [p.text for p in parts] == [p for p in (headline, standfirst, *paragraphs) if p]


def test_part_at_finds_the_paragraph_and_refuses_a_span_across_parts() -> None:
    parts = text_parts("Head", "Stand", ("One.", "Two."))
    second = part_at(parts, parts[3].start + 1, parts[3].end)
    assert second is not None and (second.name, second.index) == ("body", 1)
    assert part_at(parts, parts[1].start, parts[2].end) is None
    assert part_at(parts, 0, 4) is not None and part_at(parts, 0, 4).name == "headline"


def test_speaker_matches_an_entity_without_the_article_or_possessive() -> None:
    known = entity_keys(ENTITIES)
    assert match_speaker("the Russian Defense Ministry's", known) == known["russian defense ministry"]
    assert match_speaker("The US", known).name == "United States"
    assert match_speaker("the U.S.", known).name == "United States"


def test_speaker_matches_a_bracketed_acronym_and_a_titled_person() -> None:
    known = entity_keys(ENTITIES)
    assert match_speaker("The Kurdish People\u2019s Protection Units (YPG)", known).name.startswith("Kurdish")
    assert match_speaker("Turkish Foreign Minister Hakan Fidan", known).name == "Hakan Fidan"


def test_a_keyword_or_a_common_noun_is_no_speaker_topic() -> None:
    known = entity_keys(ENTITIES)
    assert match_speaker("the ceasefire", known) is None
    assert match_speaker("rebel forces", known) is None
    assert match_speaker("officials", known, label="ORG") is None  # not capitalised: not a clear name


def test_a_clear_name_spacy_tags_becomes_a_new_topic() -> None:
    assert match_speaker("the Kremlin", {}, label="ORG") == SpeakerRef("Kremlin", "organisation", new=True)
    assert match_speaker("the ministry's spokesman Igor Konashenkov", {}, tail_person="Igor Konashenkov") == (
        SpeakerRef("Igor Konashenkov", "person", new=True)
    )
    assert match_speaker("a spokesman", {}, tail_person="Igor") is None  # one word is no clear name
    assert match_speaker("Iran", {}, label="GPE") is None  # places come from the entities stage


def mark(start: int, end: int, kind: str = "report") -> Mark:
    return Mark(start, end, kind, "Someone", "said", True)


def test_segments_cover_the_text_and_skip_overlaps() -> None:
    text = "The army said the town fell, and rebels denied it."
    marks = [mark(14, 27), mark(18, 22), mark(33, 49, "denial"), mark(40, 99)]
    got = segments(text, marks)
    assert "".join(s.text for s in got) == text
    assert [(s.text, s.mark.kind) for s in got if s.mark] == [
        ("the town fell", "report"),
        ("rebels denied it", "denial"),
    ]


def test_segments_of_a_text_without_marks_is_the_text() -> None:
    assert [s.text for s in segments("Plain.", [])] == ["Plain."]


def test_a_nationality_and_a_state_body_is_an_organisation() -> None:
    assert match_speaker("the Syrian army", {}, nationality=True) == SpeakerRef("Syrian army", "organisation", new=True)
    assert match_speaker("The Iranian Foreign Ministry", {}, nationality=True).kind == "organisation"
    assert match_speaker("the Syrian army", {}, nationality=False) is None  # spaCy saw no nationality
    assert match_speaker("Syrian rebels", {}, nationality=True) is None  # not a state body
    assert match_speaker("Russian and Turkish foreign ministers", {}, nationality=True) is None
