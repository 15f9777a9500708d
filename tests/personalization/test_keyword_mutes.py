"""Muted words and patterns (pure): what is refused on the way in, and what they hide."""

from __future__ import annotations

import time

import pytest

from tidings.lib.errors import InvalidInput
from tidings.personalization.keyword_mutes import MATCH_TIMEOUT, MAX_PATTERN, MuteMatcher, MuteRule, validate_rule


def matcher(*rules: MuteRule) -> MuteMatcher:
    return MuteMatcher(rules)


def test_a_word_mutes_whole_words_in_any_case():
    m = matcher(MuteRule("war"))
    assert m.matches("War ends in the north")
    assert not m.matches("Award for the best novel")


def test_a_phrase_mutes_its_words_in_order_across_spaces():
    m = matcher(MuteRule("transfer window"))
    assert m.matches("The transfer   window closes")
    assert not m.matches("Window transfer")


def test_the_standfirst_counts_too():
    assert matcher(MuteRule("derby")).matches("Weekend results", "A derby decided late")


def test_a_regex_matches_as_a_pattern():
    m = matcher(MuteRule(r"celeb\w*", is_regex=True))
    assert m.matches("Celebrity wedding")
    assert not m.matches("Cell phone prices")


def test_no_rules_hide_nothing():
    m = matcher()
    assert not m and not m.matches("Anything")


def test_invalid_regex_says_what_and_where():
    with pytest.raises(InvalidInput, match=r"'\(unclosed' is not a valid regular expression: .* at position"):
        validate_rule("(unclosed", is_regex=True)


def test_too_long_pattern_is_refused():
    with pytest.raises(InvalidInput, match=f"at most {MAX_PATTERN} characters"):
        validate_rule("a" * (MAX_PATTERN + 1), is_regex=False)


def test_empty_pattern_is_refused():
    with pytest.raises(InvalidInput, match="type a word"):
        validate_rule("   ", is_regex=False)


def test_a_pattern_matching_everything_is_refused():
    with pytest.raises(InvalidInput, match="matches every article"):
        validate_rule("x*", is_regex=True)


def test_catastrophic_backtracking_is_refused():
    with pytest.raises(InvalidInput, match="takes too long to match"):
        validate_rule("(?:a|aa)+$", is_regex=True)


def test_a_slow_pattern_stored_anyway_times_out_instead_of_hanging():
    m = matcher(MuteRule("(?:a|aa)+$", is_regex=True))  # as if stored before validation existed
    started = time.perf_counter()
    assert not m.matches("a" * 60 + "!")
    assert time.perf_counter() - started < MATCH_TIMEOUT * 20


def test_a_word_is_stored_with_its_spaces_collapsed():
    assert validate_rule("  transfer   window ", is_regex=False) == MuteRule("transfer window")


def test_muted_ids_of_rows():
    m = matcher(MuteRule("war"))
    rows = [(1, "War ends", ""), (2, "Budget", "No war talk"), (3, "Budget", "Taxes")]
    assert m.muted_ids(rows) == {1, 2}
