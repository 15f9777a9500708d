"""How a stored claim reads in a "Who says what" line (`stories.claim_display`): pure functions."""

from __future__ import annotations

import pytest

from tidings.stories.claim_display import cue_phrase, speaker_label, text_between
from tidings.stories.ledger import text_parts


@pytest.mark.parametrize(
    ("cue", "between", "shown"),
    [
        ("calls", " for ", "calls for"),  # "calls for action on …", not "calls action on …"
        ("called", " on ", "called on"),
        ("pointed", " to ", "pointed to"),
        ("warned", " of ", "warned of"),
        ("complained", " about ", "complained about"),
        ("pointed", " out that ", "pointed out that"),
        ("said", " that ", "said that"),
        ("said", " ", "said"),
        ("urged", " ", "urged"),
        ("said", ' "', "said"),  # a quotation opening right after the cue
        ("said", ': "', "said:"),
        ("told", " reporters in Halden that ", "told:"),
        ("According to", " the ministry, ", "according to"),  # a title: the speaker is named beside it
        ("said", None, "said:"),  # "'…,' she said": the content comes first
        ("according to", None, "according to"),
        ("reportedly", None, "reportedly"),  # an adverb cue: no colon
    ],
)
def test_the_cue_keeps_the_words_that_tie_it_to_its_content(cue: str, between: str | None, shown: str) -> None:
    assert cue_phrase(cue, between) == shown


@pytest.mark.parametrize(
    ("cue", "between", "speaker", "shown"),
    [
        ("According to", " the ministry, ", "the ministry", "according to the ministry,"),
        ("according to", None, "housing  campaigner Marta Aldana", "according to housing campaigner Marta Aldana,"),
        ("according to", None, "", "reportedly"),  # never "according to:" with nobody after it
        ("said", None, "the ministry", "said:"),  # a verb cue is not changed by its speaker
        ("calls", " for ", "Aldana", "calls for"),
    ],
)
def test_according_to_carries_its_speaker_in_a_line_and_never_a_colon(
    cue: str, between: str | None, speaker: str, shown: str
) -> None:
    assert cue_phrase(cue, between, speaker) == shown
    assert not cue_phrase(cue, between, speaker).endswith("to:")


def test_the_text_between_is_read_inside_one_part_only() -> None:
    parts = text_parts("Aldana calls for action on poverty", "", ["She said rents rose.", "Rents rose, she said."])
    headline = parts[0].text
    cue_end = headline.index("calls") + len("calls")
    assert text_between(parts, cue_end, headline.index("action")) == " for "
    body = parts[1]
    assert text_between(parts, body.start + 8, body.start + 9) == " "
    later = parts[2]
    assert text_between(parts, later.start + 21, later.start) is None  # content before the cue
    assert text_between(parts, cue_end, body.start + 9) is None  # across parts


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("housing campaigner Marta Aldana", "Housing campaigner Marta Aldana"),
        ("a  housing campaigner", "A housing campaigner"),
        ("the ministry", "The ministry"),
        ("Marta Aldana", "Marta Aldana"),
        ("de Klerk", "De Klerk"),
    ],
)
def test_a_speaker_label_starts_with_a_capital(text: str, label: str) -> None:
    assert speaker_label(text) == label
