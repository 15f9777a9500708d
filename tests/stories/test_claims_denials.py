"""A denial denies that something is true ("denied that …", "denied the allegations", "rejected claims that …");
turning down an offer, a bill or a plan is no statement at all. Short sentences written for these tests."""

from __future__ import annotations

import pytest

from tests.stories.claims_helpers import by_cue, claims_of, nlp

__all__ = ["nlp"]
pytestmark = pytest.mark.models


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("The minister denied that the budget had been cut.", "denied", "the budget had been cut"),
        (
            "The company rejected claims that it had polluted the river.",
            "rejected",
            "claims that it had polluted the river",
        ),
        ("The minister rejected the accusation.", "rejected", "the accusation"),
        ("The board rejected the findings of the report.", "rejected", "the findings of the report"),
        ("The union disputed the figures.", "disputed", "the figures"),
        ("The firm denied any wrongdoing.", "denied", "any wrongdoing"),
        ("The party rejected the idea that it was divided.", "rejected", "the idea that it was divided"),
        ("The minister dismissed the criticism as unfair.", "dismissed", "the criticism as unfair"),
    ],
)
def test_denying_a_statement_is_a_denial(nlp, sentence: str, cue: str, content: str) -> None:
    claim = by_cue(claims_of(sentence, nlp), cue)
    assert claim["kind"] == "denial"
    assert claim["content"]["text"] == content


@pytest.mark.parametrize(
    "sentence",
    [
        "The workers rejected a pay offer on Tuesday.",
        "Tenants rejected the landlord's offer.",
        "The council rejected the proposal.",
        "The opposition rejected calls for a recount.",
        "The club dismissed the manager on Sunday.",
        "Guards denied access to reporters.",
        "MPs rejected the bill by 300 votes to 200.",
    ],
)
def test_turning_down_an_offer_or_a_plan_is_no_claim(nlp, sentence: str) -> None:
    cues = {c["cue"]["text"] for c in claims_of(sentence, nlp)}
    assert not cues & {"rejected", "dismissed", "denied"}


def test_a_rejected_offer_inside_a_statement_is_only_the_statement(nlp) -> None:
    found = claims_of("The union said members had rejected a pay offer of 3.5 per cent.", nlp)
    assert [(c["cue"]["text"], c["kind"]) for c in found] == [("said", "report")]
    assert found[0]["content"]["text"] == "members had rejected a pay offer of 3.5 per cent"
