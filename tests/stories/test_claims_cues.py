"""Claims on short sentences written for these tests: each cue, quotes, nesting, denial, nominal cues, hedges."""

from __future__ import annotations

import pytest

from tests.stories.claims_helpers import by_cue, claims_of, nlp, speaker_text

__all__ = ["nlp"]
pytestmark = pytest.mark.models


@pytest.mark.parametrize(
    ("sentence", "speaker", "cue", "content", "kind"),
    [
        (
            "The ministry said the bridge would reopen in May.",
            "The ministry",
            "said",
            "the bridge would reopen in May",
            "report",
        ),
        ("Police reported that two cars had collided.", "Police", "reported", "two cars had collided", "report"),
        ("The company claimed the software was safe.", "The company", "claimed", "the software was safe", "claim"),
        ("The agency stated that no data was lost.", "The agency", "stated", "no data was lost", "report"),
        (
            "The hospital confirmed that the patient had died.",
            "The hospital",
            "confirmed",
            "the patient had died",
            "confirmation",
        ),
        (
            "The council announced a new park for the district.",
            "The council",
            "announced",
            "a new park for the district",
            "report",
        ),
        ("The opposition accused the mayor of lying.", "The opposition", "accused", "the mayor of lying", "accusation"),
        (
            "The charity urged donors to give blankets.",
            "The charity",
            "urged",
            "donors to give blankets",
            "call to action",
        ),
        (
            "The senator called for an inquiry into the contract.",
            "The senator",
            "called",
            "an inquiry into the contract",
            "call to action",
        ),
        ("The firm denied that it had broken the rules.", "The firm", "denied", "it had broken the rules", "denial"),
        ("Forecasters warned that the river could flood.", "Forecasters", "warned", "the river could flood", "warning"),
        (
            "The minister framed the cuts as a necessary sacrifice.",
            "The minister",
            "framed",
            "the cuts as a necessary sacrifice",
            "characterization",
        ),
        (
            "Both leaders agreed on the need for new talks.",
            "Both leaders",
            "agreed",
            "the need for new talks",
            "agreement",
        ),
        (
            "Officials believe the fire was started deliberately.",
            "Officials",
            "believe",
            "the fire was started deliberately",
            "belief",
        ),
        (
            "The ministry wants every village to have a clinic.",
            "The ministry",
            "wants",
            "every village to have a clinic",
            "intention",
        ),
        (
            "The union threatened a strike if talks failed.",
            "The union",
            "threatened",
            "a strike if talks failed",
            "warning",
        ),
        (
            "The mayor promised that the library would stay open.",
            "The mayor",
            "promised",
            "the library would stay open",
            "promise",
        ),
    ],
)
def test_each_cue_gives_speaker_content_and_kind(nlp, sentence, speaker, cue, content, kind):
    claim = by_cue(claims_of(sentence, nlp), cue)
    assert speaker_text(claim) == speaker
    assert claim["content"]["text"] == content
    assert claim["kind"] == kind
    assert claim["attributed"] is True
    assert claim["quote"] is False


def test_quote_before_its_speaker_is_a_direct_quote(nlp):
    claim = by_cue(claims_of('"We will not resign," the chairman said.', nlp), "said")
    assert (speaker_text(claim), claim["content"]["text"], claim["quote"]) == (
        "the chairman",
        "We will not resign",
        True,
    )


def test_speaker_after_the_verb_of_a_quote(nlp):
    claim = by_cue(claims_of('"The roads are safe," said Inspector Maya Lund.', nlp), "said")
    assert speaker_text(claim) == "Inspector Maya Lund"
    assert claim["content"]["text"] == "The roads are safe"


def test_quote_after_a_colon(nlp):
    claim = by_cue(claims_of('The coach told reporters: "We played badly and we know it."', nlp), "told")
    assert claim["quote"] is True
    assert claim["content"]["text"] == "We played badly and we know it"


def test_partial_quote_keeps_its_marks_and_counts_as_quote(nlp):
    claim = by_cue(claims_of('The minister called the plan "a disaster for farmers".', nlp), "called")
    assert claim["content"]["text"] == 'the plan "a disaster for farmers"'
    assert claim["quote"] is True
    assert claim["kind"] == "characterization"


def test_nested_attribution_gives_both_claims(nlp):
    claims = claims_of("The ministry said rebels had claimed the airport.", nlp)
    outer, inner = by_cue(claims, "said"), by_cue(claims, "claimed")
    assert speaker_text(outer) == "The ministry"
    assert outer["content"]["text"] == "rebels had claimed the airport"
    assert (speaker_text(inner), inner["content"]["text"]) == ("rebels", "the airport")


def test_second_verb_of_the_same_speaker(nlp):
    claims = claims_of("The council said the road was safe and urged drivers to slow down.", nlp)
    said, urged = by_cue(claims, "said"), by_cue(claims, "urged")
    assert said["content"]["text"] == "the road was safe"
    assert speaker_text(urged) == "The council"


def test_denial_of_reports(nlp):
    claim = by_cue(claims_of("The club denied the reports.", nlp), "denied")
    assert (speaker_text(claim), claim["kind"]) == ("The club", "denial")


def test_negated_confirmation_is_a_denial(nlp):
    claim = by_cue(claims_of("The police did not confirm the arrests.", nlp), "confirm")
    assert claim["kind"] == "denial"


@pytest.mark.parametrize(
    "sentence",
    [
        "According to the coastguard, six sailors were rescued.",
        "Six sailors were rescued, according to the coastguard.",
    ],
)
def test_according_to_names_the_speaker_either_side(nlp, sentence):
    claim = by_cue(claims_of(sentence, nlp), sentence[sentence.lower().index("according") :][:12])
    assert speaker_text(claim) == "the coastguard"
    assert claim["content"]["text"] == "six sailors were rescued" if sentence[0] == "A" else "Six sailors were rescued"


def test_claim_noun_with_by_and_that_clause(nlp):
    claim = by_cue(claims_of("The claim by the union that wages had fallen was rejected.", nlp), "claim")
    assert (speaker_text(claim), claim["content"]["text"]) == ("the union", "wages had fallen")


def test_in_a_statement_is_part_of_the_verb_claim(nlp):
    claims = claims_of("In a statement, the museum said the painting was a fake.", nlp)
    assert [c["cue"]["text"] for c in claims] == ["said"]
    assert speaker_text(claims[0]) == "the museum"


def test_reportedly_is_unattributed(nlp):
    claim = by_cue(claims_of("The army reportedly shelled the town overnight.", nlp), "reportedly")
    assert claim["speaker"] is None and claim["attributed"] is False
    assert claim["content"]["text"] == "shelled the town overnight"


def test_it_is_alleged_is_unattributed(nlp):
    claim = by_cue(claims_of("It is alleged that the mayor took bribes.", nlp), "alleged")
    assert (claim["speaker"], claim["attributed"], claim["content"]["text"]) == (None, False, "the mayor took bribes")


def test_said_to_is_unattributed_and_keeps_the_whole_clause(nlp):
    claim = by_cue(claims_of("The director is said to have resigned.", nlp), "said")
    assert claim["speaker"] is None
    assert claim["content"]["text"] == "The director is said to have resigned"


def test_footage_nobody_owns_is_no_speaker(nlp):
    claim = by_cue(claims_of("Footage shared online shows soldiers looting shops.", nlp), "shows")
    assert claim["speaker"] is None and claim["attributed"] is False


def test_footage_published_by_someone_is_attributed(nlp):
    claim = by_cue(claims_of("Footage published by the broadcaster shows soldiers looting shops.", nlp), "shows")
    assert speaker_text(claim) == "Footage published by the broadcaster"


def test_pronoun_speaker_is_resolved_to_the_earlier_speaker(nlp):
    claims = claims_of("Mayor Ana Ruiz said the park would open soon. She added that it would cost less.", nlp)
    assert speaker_text(by_cue(claims, "added")) == "Mayor Ana Ruiz"


def test_relative_clause_speaker_is_its_noun(nlp):
    claims = claims_of("The report was written by Clean Seas, which says plastic waste doubled.", nlp)
    assert speaker_text(by_cue(claims, "says")) == "Clean Seas"


def test_speaker_drops_a_clause_set_off_by_commas(nlp):
    claim = by_cue(claims_of("The farmers, who marched to the capital, said prices were too low.", nlp), "said")
    assert speaker_text(claim) == "The farmers"


@pytest.mark.parametrize(
    "sentence",
    [
        "The attack claimed 30 lives.",
        "Click on the icon to add the category to your news.",
        "The club declined to comment.",
        "A spokesman, who asked not to be named, was unavailable.",
        "The council agreed a budget of two million pounds.",
        "Strong demand for copper lifted prices.",
        "The bank took a charge of 90m euros.",
        "The company did not want to comment.",
        "Rain helped the visitors claim a draw.",
    ],
)
def test_words_that_only_look_like_cues_give_nothing(nlp, sentence):
    assert claims_of(sentence, nlp) == []


def test_offsets_point_into_a_text_with_windows_line_ends(nlp):
    text = "Headline here\r\n\r\nThe ministry said 40 people had died.\r\nPolice reported calm.\r\n"
    claims = claims_of(text, nlp)  # claims_of checks every span against the text
    assert [c["cue"]["text"] for c in claims] == ["said", "reported"]


def test_empty_and_blank_texts_give_nothing(nlp):
    assert claims_of("", nlp) == [] and claims_of("\n \n", nlp) == []


def test_possessive_speaker_drops_the_apostrophe_s(nlp):
    claim = by_cue(claims_of("The firm rejected the union's claim that jobs were at risk.", nlp), "claim")
    assert (speaker_text(claim), claim["content"]["text"]) == ("the union", "jobs were at risk")


def test_content_after_the_cue_when_the_speaker_sits_inside_the_clause(nlp):
    claims = claims_of("He bowed, in what officials said was a gesture of respect.", nlp)
    claim = by_cue(claims, "said")
    assert speaker_text(claim) == "officials"
    assert claim["content"]["text"] == "was a gesture of respect"


def test_pronoun_in_a_reported_clause_is_its_reporters_subject(nlp):
    text = "Coach Lena Berg praised the team. Captain Ivo Marsh has hinted he thinks the title is possible."
    assert speaker_text(by_cue(claims_of(text, nlp), "thinks")) == "Captain Ivo Marsh"


@pytest.mark.parametrize(
    "sentence",
    ["The singer denied the band a third hit.", "The song claimed the top spot in the charts."],
)
def test_cue_verbs_in_another_sense_give_nothing(nlp, sentence):
    assert claims_of(sentence, nlp) == []


def test_reporting_clause_at_the_end_reports_the_sentence_before_it(nlp):
    claim = by_cue(
        claims_of("Anglers could face fines under the new rules, a committee of MPs has warned.", nlp), "warned"
    )
    assert speaker_text(claim) == "a committee of MPs"
    assert claim["content"]["text"] == "Anglers could face fines under the new rules"


def test_inverted_verb_after_a_quote_finds_its_speaker(nlp):
    claim = by_cue(claims_of('"The choice is obvious," added the two-time world champion.', nlp), "added")
    assert speaker_text(claim) == "the two-time world champion"
    assert (claim["content"]["text"], claim["quote"]) == ("The choice is obvious", True)


def test_speaker_with_a_title_between_the_quote_and_the_verb(nlp):
    text = '"We are building new devices," Ana Lopez, head of design at Brightco, told reporters.'
    claim = by_cue(claims_of(text, nlp), "told")
    assert speaker_text(claim) == "Ana Lopez, head of design at Brightco"
    assert claim["content"]["text"] == "We are building new devices"


def test_a_quotation_left_open_into_the_next_paragraph_does_not_hide_the_next_claim(nlp):
    text = '"We will keep going until the end of the season.\nThe club said the coach would stay.'
    claim = by_cue(claims_of(text, nlp), "said")
    assert speaker_text(claim) == "The club"


def test_a_verb_with_more_to_say_is_no_reporting_clause(nlp):
    assert claims_of("Stung by the score, the visitors replied with a goal of their own.", nlp) == []


def test_a_relative_object_is_the_noun_it_stands_for(nlp):
    claim = by_cue(claims_of("He faces two charges of fraud, which he denies.", nlp), "denies")
    assert claim["content"]["text"] == "two charges of fraud"
    assert claim["kind"] == "denial"


def test_a_quotation_ended_by_a_full_stop_is_not_the_next_sentences_content(nlp):
    text = '"We lead the world in this field." The two panels will report back to the council in April.'
    assert claims_of(text, nlp) == []
