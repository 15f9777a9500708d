"""Claims defects a new user's walkthrough of the demo found, on short sentences written for these tests: "According
to" whose source the parse ran into the statement, a speaker swallowing an "according to" phrase, and shares of
people ("35 per cent of people over 75") taken as speakers."""

from __future__ import annotations

import pytest

from tests.stories.claims_helpers import by_cue, claims_of, nlp, speaker_text

__all__ = ["nlp"]
pytestmark = pytest.mark.models


@pytest.mark.parametrize(
    ("sentence", "speaker", "content"),
    [
        (  # the parse made "Lorcan Oyelaran" the statement's subject
            "According to conservation officer Lorcan Oyelaran, chemical waste from factories had poisoned fish.",
            "conservation officer Lorcan Oyelaran",
            "chemical waste from factories had poisoned fish",
        ),
        (  # … or "class sizes" an apposition of the source
            "According to head teacher Tobias Thornquist, class sizes in primary schools would be reduced.",
            "head teacher Tobias Thornquist",
            "class sizes in primary schools would be reduced",
        ),
        (  # an apposition set off by commas stays with the source
            "According to Tom Reyes, a lawyer for the family, the police had ignored the warnings.",
            "Tom Reyes, a lawyer for the family",
            "the police had ignored the warnings",
        ),
        (
            "But according to the union, the offer was an insult.",
            "the union",
            "the offer was an insult",
        ),
        (  # a relative clause after a trailing source is not the statement
            "Exports rose by 4 percent, according to the ministry, which did not give details.",
            "the ministry",
            "Exports rose by 4 percent",
        ),
    ],
)
def test_according_to_reads_its_source_and_statement(nlp, sentence: str, speaker: str, content: str) -> None:
    claim = [c for c in claims_of(sentence, nlp) if c["cue"]["text"].lower() == "according to"]
    assert len(claim) == 1
    assert speaker_text(claim[0]) == speaker
    assert claim[0]["content"]["text"] == content
    assert claim[0]["attributed"] is True


def test_a_speaker_after_according_to_does_not_swallow_it(nlp) -> None:
    found = claims_of(
        "According to the labour ministry, staff taking part in the trial reported less stress and more sleep.", nlp
    )
    nested = by_cue(found, "According to")
    assert speaker_text(nested) == "the labour ministry"
    assert nested["content"]["text"] == "staff taking part in the trial reported less stress and more sleep"
    reported = by_cue(found, "reported")
    assert speaker_text(reported) == "staff taking part in the trial"
    assert "According" not in reported["speaker"]["text"]


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        ("35 per cent of people over 75 said they felt lonely most days.", "said", "they felt lonely most days"),
        (
            "More than a third of older people say they go a week without speaking to anyone.",
            "say",
            "they go a week without speaking to anyone",
        ),
        ("Some 60% of voters say the country is on the wrong track.", "say", "the country is on the wrong track"),
        ("Two in five renters told the charity that they had skipped meals.", "told", "they had skipped meals"),
        ("Half of those surveyed said the bus service was poor.", "said", "the bus service was poor"),
        (
            "Nearly two thirds - 65% - of the 1,000 people asked said they had used the new cards.",
            "said",
            "they had used the new cards",
        ),
        ("Most were happy, though nearly a quarter said they forgot their code.", "said", "they forgot their code"),
        ("However, only 34% said they had received new cards.", "said", "they had received new cards"),
    ],
)
def test_a_share_of_people_is_a_finding_not_a_speaker(nlp, sentence: str, cue: str, content: str) -> None:
    claim = by_cue(claims_of(sentence, nlp), cue)
    assert claim["speaker"] is None and claim["attributed"] is False  # shown as unattributed: treat with care
    assert claim["content"]["text"] == content


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("Two witnesses said they saw a white van.", "Two witnesses"),
        ("Most residents said they had not been warned.", "Most residents"),
        ("A housing campaigner said rents had doubled.", "A housing campaigner"),
        ("A third party said it would bid for the club.", "A third party"),
        ("A majority government said it would act.", "A majority government"),
    ],
)
def test_a_count_or_a_generic_person_is_still_a_speaker(nlp, sentence: str, speaker: str) -> None:
    claim = by_cue(claims_of(sentence, nlp), "said")
    assert speaker_text(claim) == speaker and claim["attributed"] is True


def test_a_named_survey_is_the_speaker_of_what_it_found(nlp) -> None:
    found = claims_of("Some 60% of voters say the country is on the wrong track, according to a poll by Meridian.", nlp)
    assert speaker_text(by_cue(found, "according to")) == "a poll by Meridian"
    assert by_cue(found, "say")["speaker"] is None


@pytest.mark.parametrize(
    ("sentence", "cue", "content"),
    [
        (  # the parse hangs "to wildlife" and "from …" on the verb: they are still what is warned of
            "Green Coast Alliance warns of threat to wildlife from the plastic waste ban delays",
            "warns",
            "threat to wildlife from the plastic waste ban delays",
        ),
        ("The union warned of job losses in the car industry on Monday.", "warned", "job losses in the car industry"),
        (  # where and when it was asked for is not what was asked for
            "The mayor called for an inquiry into the fire in a letter to the minister.",
            "called",
            "an inquiry into the fire",
        ),
        ("Opposition demands answers as the cabinet reshuffle looms", "demands", "answers"),
        (
            "The judge ordered the accused to remain in custody, according to the court.",
            "ordered",
            "the accused to remain in custody",
        ),
        ("The firm threatened legal action against the newspaper.", "threatened", "legal action against the newspaper"),
        (  # the object belongs to what is promised
            "Idris Grünwald promises more teachers to ease the school funding reform",
            "promises",
            "more teachers to ease the school funding reform",
        ),
    ],
)
def test_a_prepositional_or_object_content_ends_where_the_request_ends(
    nlp, sentence: str, cue: str, content: str
) -> None:
    assert by_cue(claims_of(sentence, nlp), cue)["content"]["text"] == content


@pytest.mark.parametrize(
    "sentence",
    [
        "Fighting near Fairlow threatens the prisoner exchange as troops move in",  # endangers
        "Yara Strand, the party chairwoman, called the no-confidence motion on Saturday.",  # convened
        "Thousands of trees planted in Wexley Point as part of the plastic waste ban",  # "Point" is in a name
        "One judge carried a note written on a napkin in her pocket.",  # a participle, no speech act
        "Lawyers for the former chief have called a company whistleblower as their first witness.",  # summoned
        "Assuming that the bank is right, demand will stay solid.",  # the writer's condition
    ],
)
def test_a_cue_verb_in_another_sense_states_nothing(nlp, sentence: str) -> None:
    assert claims_of(sentence, nlp) == []


# Defects seen reading the extractor's output on real news (bbc-news in ../shared/data, read only), each checked here
# on a sentence written for the test.


def test_he_or_she_refers_to_one_person_not_to_a_plural_subject(nlp) -> None:
    found = claims_of(
        "Ms Okafor said the new rules had helped ward officers trace 9,000 voters. She argued the change was overdue.",
        nlp,
    )
    assert speaker_text(by_cue(found, "argued")) == "Ms Okafor"


def test_a_clause_set_off_by_spaced_hyphens_is_not_part_of_the_speaker(nlp) -> None:
    found = claims_of("The company - which controls half of the market - aims to double its sales by 2030.", nlp)
    assert speaker_text(by_cue(found, "aims")) == "The company"


def test_a_quotation_going_on_after_the_speaker_is_not_part_of_the_speaker(nlp) -> None:
    found = claims_of(
        '"Fast lines are changing home life," said Dana Ruiz, chief executive of Linkwell, "with people online all day."',
        nlp,
    )
    claim = by_cue(found, "said")
    assert speaker_text(claim) == "Dana Ruiz, chief executive of Linkwell"
    assert claim["content"]["text"] == "Fast lines are changing home life"


def test_a_report_named_for_its_author_is_attributed(nlp) -> None:
    found = claims_of("The Halvorsen report suggests that most phones will have cameras by 2030.", nlp)
    assert speaker_text(by_cue(found, "suggests")) == "The Halvorsen report"


def test_points_as_a_noun_is_no_cue(nlp) -> None:
    assert claims_of("Wales, third in the table with six points, play Italy in Rome on Saturday.", nlp) == []


def test_a_hyphenated_subject_split_by_the_parser_stays_whole(nlp) -> None:
    claim = by_cue(
        claims_of("She said e-mails directing people to the site started circulating two days ago.", nlp), "said"
    )
    assert claim["content"]["text"] == "e-mails directing people to the site started circulating two days ago"


def test_he_and_she_skip_a_person_whose_title_says_otherwise(nlp) -> None:
    found = claims_of(
        "Spokeswoman Jill Ash said the site was fake. Mr Blair said he was confident. She added that police knew.", nlp
    )
    assert speaker_text(by_cue(found, "added")) == "Spokeswoman Jill Ash"


# Defects the second held-out split (bench/data/claims/styles.txt) showed once it had been scored; fixed after that,
# so its later figures are no longer unseen (docs/benchmarks.md says so). Checked on sentences written for the tests.


@pytest.mark.parametrize(
    ("sentence", "cue", "speaker", "content"),
    [
        (  # a wire dateline is not part of the statement
            "LONDON, May 14 (Westwire) - Police searched the offices of the ministry on Tuesday, according to the "
            "state news agency.",
            "according to",
            "the state news agency",
            "Police searched the offices of the ministry on Tuesday",
        ),
        (  # a relative clause set off by a comma is cut even when the parse hangs it low in the phrase
            "Investigators seized documents, according to a person close to the inquiry, who spoke on condition of "
            "anonymity.",
            "according to",
            "a person close to the inquiry",
            "Investigators seized documents",
        ),
        (  # a speaker read off a noun-rooted parse loses its leading "But" and trailing comma
            'But the party\'s health spokesman, Tom Ruiz, accused ministers of "warm words and cold comfort".',
            "accused",
            "the party's health spokesman, Tom Ruiz",
            'ministers of "warm words and cold comfort"',
        ),
        (  # a statement reported inside another ends before the outer reporting clause
            'The council said in a statement that it was "cooperating fully" with the inquiry, the agency reported.',
            "said",
            "The council",
            'it was "cooperating fully" with the inquiry',
        ),
        (
            "She called for nurses to be able to prescribe the drug.",
            "called",
            "She",
            "nurses to be able to prescribe the drug",
        ),
        (
            "The judge warned jurors not to read about the case online.",
            "warned",
            "The judge",
            "jurors not to read about the case online",
        ),
    ],
)
def test_defects_the_styles_split_showed(nlp, sentence: str, cue: str, speaker: str, content: str) -> None:
    claim = by_cue(claims_of(sentence, nlp), cue)
    assert speaker_text(claim) == speaker
    assert claim["content"]["text"] == content


def test_called_for_with_a_clause_is_a_call_to_action(nlp) -> None:
    claim = by_cue(claims_of("She called for nurses to be able to prescribe the drug.", nlp), "called")
    assert claim["kind"] == "call to action"
