"""Any text, however odd, gives claims whose spans are exactly where they say, and never an exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.stories.claims_helpers import claims_of, nlp

__all__ = ["nlp"]
pytestmark = pytest.mark.models

WORDS = [
    "said",
    "the",
    "ministry",
    "claimed",
    "that",
    "rebels",
    "\u201c",
    "\u201d",
    '"',
    ",",
    ".",
    "\n",
    "\r\n",
    "according",
    "to",
    "reportedly",
    "it",
    "is",
    "alleged",
    "he",
    "she",
    "told",
    "reporters",
    ":",
    "'s",
    "Police",
    "denied",
    "urged",
    "calls",
    "for",
    "which",
    "-",
    "\u2014",
    "(",
    ")",
    "  ",
    "\u00e9t\u00e9",
    "\t",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join))
def test_spans_always_point_into_the_text(nlp, text):
    for claim in claims_of(text, nlp):  # claims_of checks every span against the text
        assert claim["cue"]["end"] > claim["cue"]["start"]
        assert claim["content"]["text"].strip()


def test_a_very_long_line_is_read_in_pieces_with_offsets_kept(nlp):
    sentence = "The council said the road would reopen soon. "
    text = sentence * (25_000 // len(sentence))  # one line longer than extract.MAX_LINE_CHARS
    claims = claims_of(text, nlp)  # claims_of checks every span against the text
    assert len(claims) == text.count("said")
