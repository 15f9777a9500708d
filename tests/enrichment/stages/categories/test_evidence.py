"""Actor cue evidence: densities from the opening words, a saturating bonus, and hub-versus-domain order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.enrichment.stages.categories.evidence import (
    CRIME,
    ECONOMY,
    EDUCATION,
    POLITICS,
    SCIENCE_TECH,
    EvidenceConfig,
    apply_evidence,
    bonus,
    cue_density,
    resolve_hub,
)

SPORT, ARTS = "medtop:15000000", "medtop:01000000"


def test_ministers_and_parliament_are_politics_cues():
    density = cue_density("Minister faces parliament vote", "", ["The opposition party called for an election."])
    assert density[POLITICS] > 0
    assert density[POLITICS] > density[ECONOMY]


def test_sums_of_money_and_percentages_count_for_the_economy():
    density = cue_density("Quarterly results", "", ["Sales rose 12% to $1.2bn, up from £600m a year earlier."])
    assert density[ECONOMY] > density[POLITICS]
    plain = cue_density("Quarterly results", "", ["Sales rose a lot this year, up from before."])
    assert density[ECONOMY] > plain[ECONOMY]


def test_software_devices_and_hackers_are_technology_cues():
    density = cue_density(
        "Hackers target smartphone owners", "", ["The software flaw lets them into the phones over wireless links."]
    )
    assert density[SCIENCE_TECH] > 0
    assert density[SCIENCE_TECH] > max(density[POLITICS], density[ECONOMY])


def test_words_shared_with_health_and_research_are_not_technology_cues():
    density = cue_density("Virus study", "", ["A new study of the virus spread through the network of clinics."])
    assert density[SCIENCE_TECH] == 0


def test_technology_cues_lift_a_device_story_the_embedding_calls_entertainment():
    density = cue_density(
        "Films and music come to a new smartphone app",
        "",
        ["The technology company's software runs on its own chip and plays digital video over wireless networks."],
    )
    scores = {ARTS: 0.45, SCIENCE_TECH: 0.40, SPORT: 0.15}
    adjusted = apply_evidence(scores, density)
    assert max(adjusted, key=adjusted.get) == SCIENCE_TECH
    assert adjusted[ARTS] > adjusted[SPORT]  # entertainment stays the next label


def test_two_word_cues_match_across_words():
    density = cue_density("Statement", "", ["The interest rates stayed where they were today."])
    assert density[ECONOMY] > 0  # "interest-rates": neither word is a cue alone


def test_headline_cues_weigh_more_than_body_cues():
    config = EvidenceConfig(title_weight=3.0)
    in_title = cue_density("Police hunt the thief", "", ["It was a quiet day in the town centre again."], config)
    in_body = cue_density("A quiet day in the town", "", ["Police hunt the thief it was centre again."], config)
    assert in_title[CRIME] > in_body[CRIME]


def test_only_the_opening_words_are_read():
    late = ["filler " * 50, "The police arrested a man in court."]
    assert cue_density("Story", "", late, EvidenceConfig(max_words=20))[CRIME] == 0
    assert cue_density("Story", "", late, EvidenceConfig(max_words=200))[CRIME] > 0


def test_empty_text_has_no_evidence():
    assert set(cue_density("", "", []).values()) == {0.0}


def test_possessive_forms_match_their_word():
    assert cue_density("The minister's plan", "", [])[POLITICS] > 0
    assert cue_density("The minister\u2019s plan", "", [])[POLITICS] > 0


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False))
def test_bonus_never_exceeds_the_weight(density):
    assert 0 <= bonus(density, EvidenceConfig(weight=0.2)) < 0.2 + 1e-12


def test_evidence_keeps_scores_summing_to_one():
    scores = {POLITICS: 0.4, ECONOMY: 0.35, SPORT: 0.25}
    adjusted = apply_evidence(scores, {POLITICS: 0.0, ECONOMY: 6.0, SPORT: 0.0})
    assert sum(adjusted.values()) == pytest.approx(1.0)


def test_strong_economy_cues_overturn_a_close_politics_lead():
    scores = {POLITICS: 0.4, ECONOMY: 0.35, SPORT: 0.25}
    adjusted = apply_evidence(scores, {POLITICS: 0.0, ECONOMY: 8.0, SPORT: 0.0})
    assert max(adjusted, key=adjusted.get) == ECONOMY


def test_cues_do_not_overturn_a_clear_lead():
    scores = {SPORT: 0.9, ECONOMY: 0.05, POLITICS: 0.05}
    adjusted = apply_evidence(scores, {ECONOMY: 20.0})
    assert max(adjusted, key=adjusted.get) == SPORT


def test_zero_weight_leaves_scores_unchanged():
    scores = {POLITICS: 0.6, ECONOMY: 0.4}
    assert apply_evidence(scores, {ECONOMY: 50.0}, EvidenceConfig(weight=0.0)) == scores


def test_a_narrow_crime_lead_goes_to_politics_when_politicians_act():
    scores = {CRIME: 0.45, POLITICS: 0.40, SPORT: 0.15}
    resolved = resolve_hub(scores, {CRIME: 2.0, POLITICS: 6.0}, EvidenceConfig(hub_margin=0.1, hub_ratio=1.5))
    assert max(resolved, key=resolved.get) == POLITICS
    assert resolved[CRIME] == pytest.approx(0.40)  # kept as the second label: the two scores are swapped


def test_a_crime_lead_stays_when_police_are_the_actors():
    scores = {CRIME: 0.45, POLITICS: 0.40, SPORT: 0.15}
    resolved = resolve_hub(scores, {CRIME: 6.0, POLITICS: 2.0}, EvidenceConfig(hub_margin=0.1, hub_ratio=1.5))
    assert resolved == scores


def test_a_wide_topic_lead_is_not_overturned():
    scores = {EDUCATION: 0.7, POLITICS: 0.2, SPORT: 0.1}
    resolved = resolve_hub(scores, {EDUCATION: 1.0, POLITICS: 9.0}, EvidenceConfig(hub_margin=0.1, hub_ratio=1.5))
    assert resolved == scores


def test_a_domain_lead_is_never_swapped():
    scores = {POLITICS: 0.5, CRIME: 0.45, SPORT: 0.05}
    assert resolve_hub(scores, {CRIME: 9.0, POLITICS: 0.0}) == scores


def test_a_stray_domain_cue_does_not_overturn_a_topic_without_cues():
    scores = {EDUCATION: 0.5, ECONOMY: 0.3, SPORT: 0.2}
    resolved = resolve_hub(scores, {EDUCATION: 0.0, ECONOMY: 1.0}, EvidenceConfig(hub_min_density=2.0))
    assert resolved == scores
