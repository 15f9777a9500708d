"""Per-source learned boilerplate: lines a source repeats across its articles are dropped."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest.boilerplate import BoilerplateState, from_json, learn, line_key, normalise, strip, to_json

NEWSLETTER = "Sign up to the Morning Tide newsletter for the harbour's news at 7am."
FOLLOW = "Follow the Courier on Mastodon and Bluesky."


PLACES = ("Penzance", "Falmouth", "Truro", "Looe", "Fowey", "Padstow", "Bude", "Hayle", "Newlyn", "Mevagissey")
PEOPLE = ("Jowan", "Morwenna", "Ennis", "Tamsin", "Kerensa", "Piran", "Demelza", "Locryn", "Wenna", "Conan")


def story(n: int, *extra: str) -> tuple[str, ...]:
    place, person = PLACES[n % 10], PEOPLE[(n * 3 + n // 10) % 10]
    return (
        f"The ferry timetable at {place} changed again after a decade of small repairs.",
        f"Councillor {person} said the crossing would reopen on a day nobody had expected.",
        *extra,
    )


def learned(*articles: tuple[str, ...], **options: int) -> BoilerplateState:
    state = BoilerplateState(**options)
    for paragraphs in articles:
        state = learn(state, paragraphs)
    return state


def test_line_in_three_articles_is_dropped():
    state = learned(*(story(n, NEWSLETTER) for n in range(3)))
    assert strip(state, story(9, NEWSLETTER)) == story(9)


def test_nothing_is_dropped_before_enough_articles_are_known():
    state = learned(story(1, NEWSLETTER), story(2, NEWSLETTER))
    assert strip(state, story(3, NEWSLETTER)) == story(3, NEWSLETTER)


def test_line_in_more_than_half_of_a_short_window_is_dropped():
    state = learned(story(1, FOLLOW), story(2, FOLLOW), story(3))
    assert FOLLOW not in strip(state, story(4, FOLLOW))


def test_line_in_a_minority_of_a_full_window_is_kept():
    articles = [story(n, FOLLOW) for n in range(2)] + [story(n) for n in range(2, 10)]
    state = learned(*articles, min_articles=3)
    assert FOLLOW in strip(state, story(11, FOLLOW))


def test_stock_sentence_in_a_few_of_many_articles_is_story_text():
    stock = "The agency did not respond to a request for further comment."
    articles = [story(n, stock) if n % 10 == 0 else story(n) for n in range(50)]  # 5 of 50
    assert stock in strip(learned(*articles), story(51, stock))


def test_line_on_most_of_many_articles_is_dropped():
    articles = [story(n) if n % 10 == 0 else story(n, NEWSLETTER) for n in range(50)]  # 45 of 50
    assert NEWSLETTER not in strip(learned(*articles), story(51, NEWSLETTER))


def test_learning_the_same_article_again_changes_nothing():
    state = learned(story(1, FOLLOW))
    assert learned(story(1, FOLLOW), story(1, FOLLOW), story(1, FOLLOW)) == state
    assert strip(learn(state, story(1, FOLLOW)), story(1, FOLLOW)) == story(1, FOLLOW)


def test_story_text_is_kept():
    state = learned(*(story(n, NEWSLETTER) for n in range(5)))
    assert strip(state, story(7)) == story(7)


def test_repeated_line_inside_a_paragraph_is_cut_out_of_it():
    state = learned(*(story(n, FOLLOW) for n in range(3)))
    paragraph = f"The last line of the story.\n{FOLLOW}"
    assert strip(state, (paragraph,)) == ("The last line of the story.",)


def test_variants_differing_in_case_punctuation_and_numbers_count_as_one_line():
    variants = ["Read more: 3 comments", "read more - 12 comments!", "READ MORE: 120 COMMENTS"]
    state = learned(*(story(n, v) for n, v in enumerate(variants)))
    assert strip(state, story(5, "Read more: 7 comments")) == story(5)


def test_old_articles_leave_the_window():
    state = learned(*(story(n, NEWSLETTER) for n in range(3)), *(story(n) for n in range(10, 14)), window=4)
    assert strip(state, story(20, NEWSLETTER)) == story(20, NEWSLETTER)


def test_state_survives_a_json_round_trip():
    state = learned(*(story(n, NEWSLETTER) for n in range(4)), window=7)
    assert from_json(to_json(state)) == state


@pytest.mark.parametrize("data", [None, "nonsense", {"window": "x"}, {"articles": 5}, {"window": 0}])
def test_unreadable_stored_state_gives_a_fresh_one(data):
    assert from_json(data) == BoilerplateState()


def test_normalise_ignores_case_accents_form_and_digits():
    assert normalise("Café  CRÈME — 2024!") == normalise("café crème 1999")


def test_empty_and_very_long_lines_are_not_tracked():
    assert line_key("  ...  ") == ""
    assert line_key("word " * 200) == ""


def test_plain_text_sources_learn_the_same_way():
    footer = "This article was first printed in the Evening Lamp. All rights reserved."
    texts = [f"A story about the tides at {place}.\n\nPara two.\n{footer}" for place in PLACES[:3]]
    state = learned(*(tuple(t.split("\n\n")) for t in texts))
    assert strip(state, ("Another story about the moorings.", f"Closing.\n{footer}")) == (
        "Another story about the moorings.",
        "Closing.",
    )


paragraph_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@given(st.lists(st.lists(paragraph_text, max_size=5), max_size=8), st.lists(paragraph_text, max_size=6))
def test_strip_only_removes_and_never_invents(history, paragraphs):
    state = learned(*(tuple(a) for a in history))
    result = strip(state, paragraphs)
    original_lines = {line.strip() for p in paragraphs for line in p.split("\n")}
    assert all(p in paragraphs or all(line in original_lines for line in p.split("\n")) for p in result)
    assert len(result) <= len(paragraphs)


@given(st.lists(paragraph_text, min_size=1, max_size=6, unique_by=normalise), st.integers(2, 6))
def test_line_seen_in_only_one_article_is_never_dropped(lines, others):
    state = learned(*(story(n) for n in range(others)), tuple(lines))
    assert strip(state, tuple(lines)) == tuple(lines) or all(line_key(line) == "" for line in lines)


def test_window_and_threshold_are_checked():
    with pytest.raises(ValueError):
        BoilerplateState(min_articles=1)


def _normalise_reference(line: str) -> str:
    """normalise as first written, for any text: NFKC, casefold, digit runs to 0, non-word runs to spaces."""
    text = re.sub(r"\d+", "0", unicodedata.normalize("NFKC", line).casefold())
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=120))
def test_normalise_of_ascii_text_matches_the_general_rule(line):
    assert normalise(line) == _normalise_reference(line)


@given(st.text(max_size=120))
def test_normalise_of_any_text_matches_the_general_rule(line):
    assert normalise(line) == _normalise_reference(line)


def test_a_line_over_the_tracked_length_has_no_key():
    assert line_key("word " * 100) == ""
    assert line_key("Sign up to the newsletter.") != ""
