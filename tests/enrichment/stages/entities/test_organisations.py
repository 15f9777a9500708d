"""General organisation rules: organisation heads and acronyms defined in the text (no list of organisations)."""

import pytest

from tidings.enrichment.stages.entities.organisations import acronym_uses, has_organisation_head


@pytest.mark.parametrize(
    ("name", "model_kind"),
    [
        ("Military Operations Command", "person"),
        ("People's Protection Units", "person"),
        ("Syrian Civil Defense", "place"),
        ("Ministry of Health", "place"),
        ("Bank of Ghana", "person"),
        ("National Liberation Army", "place"),
        ("Quantix Labs", "person"),
    ],
)
def test_a_head_makes_an_organisation(name, model_kind):
    assert has_organisation_head(name, model_kind=model_kind)


@pytest.mark.parametrize(
    ("name", "model_kind"),
    [
        ("Army", "person"),  # a common noun alone
        ("West Bank", "place"),  # "Bank" overrules a person, not a place
        ("Soviet Union", "place"),
        ("Marta Valencia", "person"),
        ("Aleppo International Airport", "place"),
    ],
)
def test_no_head_or_a_place_head_keeps_the_kind(name, model_kind):
    assert not has_organisation_head(name, model_kind=model_kind)


def test_acronym_uses_skip_taken_spans_and_longer_words():
    text = "HTS fighters and HTS-led groups met HTSX, then HTS again."
    uses = acronym_uses(text, ["HTS"], taken=[(0, 3)])
    assert [text[s:e] for s, e, _ in uses] == ["HTS", "HTS"]
    assert uses[0][0] == text.index("HTS", 1)


def test_acronym_uses_need_capitals():
    assert acronym_uses("Let us talk.", ["US"], taken=[]) == []
