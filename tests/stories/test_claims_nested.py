"""A statement reported inside another's content ("Police said the judge had ordered …") is nested: it keeps its
own speaker (the bench's annotation) and records who reports it (`via`); the ledgers read it in the outer claim,
not as the inner speaker's own. Sentences and rows written for these tests."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tests.stories.claims_helpers import by_cue, claims_of, nlp, speaker_text
from tests.stories.helpers import story_of
from tidings.stories.claims.extract import nested
from tidings.stories.claims.types import Claim as Found
from tidings.stories.claims.types import TextSpan
from tidings.stories.models import Claim
from tidings.stories.speakers import store_claims
from tidings.stories.story_claims import story_ledger
from tidings.web.claims import article_ledger

__all__ = ["nlp"]


def span(text: str, part: str, after: int = 0) -> TextSpan:
    start = text.index(part, after)
    return TextSpan(part, start, start + len(part))


def test_a_claim_inside_anothers_content_is_reported_by_its_speaker() -> None:
    text = "Police said the judge had ordered the release."
    outer = Found(
        span(text, "Police"), span(text, "said"), span(text, "the judge had ordered the release"), False, "report", True
    )
    inner = Found(
        span(text, "the judge"), span(text, "ordered"), span(text, "the release"), False, "call to action", True
    )
    found = nested([outer, inner])
    assert found[0].via is None
    assert found[1].via == outer.speaker
    assert found[1].speaker == inner.speaker  # the inner speaker stays, as the bench annotates it
    assert found[1].as_dict()["via"] == {"text": "Police", "start": 0, "end": 6}


def test_one_speakers_second_statement_run_into_the_first_is_not_nested() -> None:
    text = "The union said pay was low and warned of strikes."
    union = span(text, "The union")
    first = Found(union, span(text, "said"), span(text, "pay was low and warned of strikes"), False, "report", True)
    second = Found(union, span(text, "warned"), span(text, "strikes"), False, "warning", True)
    assert nested([first, second])[1].via is None


def test_an_unattributed_outer_statement_reports_nobody() -> None:
    text = "Reportedly the mayor said the bridge would close."
    outer = Found(
        None, span(text, "Reportedly"), span(text, "the mayor said the bridge would close"), False, "report", False
    )
    inner = Found(
        span(text, "the mayor"), span(text, "said"), span(text, "the bridge would close"), False, "report", True
    )
    assert nested([outer, inner])[1].via is None


@pytest.mark.models
@pytest.mark.parametrize(
    ("sentence", "outer", "inner_cue", "inner_speaker"),
    [
        ("Police said the judge had ordered the accused to remain in custody.", "Police", "ordered", "the judge"),
        ("The ministry said that it was cooperating fully, the agency reported.", "the agency", "said", "The ministry"),
        (
            "According to the newspaper, the prosecutor said the contract was void.",
            "the newspaper",
            "said",
            "the prosecutor",
        ),
    ],
)
def test_extracted_nested_claims_name_their_reporter(nlp, sentence, outer, inner_cue, inner_speaker) -> None:
    found = claims_of(sentence, nlp)
    inner = by_cue(found, inner_cue)
    assert speaker_text(inner) == inner_speaker
    assert inner["via"]["text"] == outer
    assert all(c["via"] is None for c in found if c is not inner)


@pytest.mark.models
def test_a_statement_made_directly_has_no_reporter(nlp) -> None:
    found = claims_of("The judge ordered the accused to remain in custody. Police said the suspect had fled.", nlp)
    assert found and all(c["via"] is None for c in found)


def raw(speaker: str, cue: str, content: str, via: str | None = None) -> dict:
    return {
        "speaker": {"text": speaker, "start": 0, "end": len(speaker)},
        "cue": {"text": cue, "start": 10, "end": 14},
        "content": {"text": content, "start": 15, "end": 15 + len(content)},
        "quote": False,
        "kind": "report",
        "attributed": True,
        "via": {"text": via, "start": 0, "end": len(via)} if via else None,
        "part": "body",
        "paragraph": 0,
        "speaker_ref": None,
        "speaker_key": "",
    }


@pytest.mark.django_db
def test_the_store_keeps_who_reports_a_nested_claim() -> None:
    article = ArticleFactory()
    store_claims(
        article.pk,
        [
            raw("Police", "said", "the judge had ordered the release"),
            raw("the judge", "ordered", "the release", "Police"),
        ],
    )
    assert list(Claim.objects.filter(article=article).values_list("speaker_text", "via_text")) == [
        ("Police", ""),
        ("the judge", "Police"),
    ]


@pytest.mark.django_db
def test_ledgers_read_a_nested_claim_in_its_reporters_content_not_as_the_inner_speakers_own() -> None:
    _story, articles = story_of(("Harbour Herald", "Suspects freed", 2))
    article = articles[0]
    store_claims(
        article.pk,
        [
            raw("Police", "said", "the judge had ordered the release"),
            raw("the judge", "ordered", "the release", "Police"),
            raw("The judge", "said", "the evidence was weak"),
        ],
    )
    ledger = story_ledger([article])
    groups = {g.name: [c.content_text for c in g.claims] for g in ledger.speakers}
    assert groups == {"Police": ["the judge had ordered the release"], "The judge": ["the evidence was weak"]}
    assert ledger.count == 2
    panel = article_ledger(article)
    assert [(g.name, len(g.claims)) for g in panel.groups] == [("Police", 1), ("The judge", 1)]
    assert panel.unattributed == []
