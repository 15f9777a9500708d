"""Figures and days as clustering keys: a figure counts with what it counts, days by name."""

from __future__ import annotations

import numpy as np

from tidings.stories.clustering import ArticleSignals, Params, pair_score
from tidings.stories.facts import fact_keys, lead_text, singular


def numbers(text: str) -> set[str]:
    return {key for key in fact_keys(text) if key.startswith("number:")}


def test_a_figure_is_keyed_by_the_words_around_it_with_and_without_separators() -> None:
    keys = numbers("A 6.1 magnitude quake left 1,200 homeless and 3 dead.")
    assert {"number:6.1:magnitude", "number:6.1:quake", "number:1200:homeless", "number:3:dead"} <= keys
    assert not any(key.count(":") != 2 for key in keys), keys  # never a bare figure


def test_the_same_figure_counting_different_things_shares_no_key() -> None:
    dead = numbers("At least 11 dead as floods hit Dunmore")
    goals = numbers("Okafor has scored 11 goals this season")
    assert dead and goals
    assert not dead & goals


def test_the_same_figure_counting_the_same_thing_shares_a_key_in_any_word_order() -> None:
    assert numbers("A 6.1 magnitude quake hit the coast") & numbers("Magnitude 6.1 quake strikes")
    assert numbers("Eleven? No: 11 people died") & numbers("Floods killed 11 people")


def test_a_figure_with_no_word_next_to_it_makes_no_key() -> None:
    assert numbers("The score: 11.") == set()
    assert numbers("11") == set()


def test_context_stops_at_sentence_punctuation_and_skips_filler() -> None:
    assert numbers("Some 40 of the injured recovered. Goals followed") == {"number:40:injured"}


def test_years_are_keyed_as_years() -> None:
    assert numbers("In 2005, Okafor left") == {"number:2005:year"}


def test_numbers_inside_words_are_not_figures() -> None:
    assert fact_keys("The G7 met at the A1 junction; version 2.0.1 shipped.") == frozenset()


def test_weekdays_always_and_months_only_capitalised() -> None:
    keys = fact_keys("On Tuesday, as in March, rebels may march on the city; friday too.")
    assert keys == {"date:tuesday", "date:march", "date:friday"}


def test_lead_text_reads_headline_standfirst_and_first_paragraphs_only() -> None:
    text = lead_text("Quake hits", "6 dead", ["One 7 dead", "Two 8 dead", "Three 9 dead", "Four 10 dead"])
    assert {key.split(":")[1] for key in numbers(text)} == {"6", "7", "8", "9"}


def test_singular_is_crude_but_keeps_short_words_and_latin_endings() -> None:
    assert [singular(w) for w in ("goals", "casualties", "bus", "crisis", "gas", "police's")] == [
        "goal",
        "casualty",
        "bus",
        "crisis",
        "gas",
        "police",
    ]


def test_one_shared_name_and_a_shared_bare_number_no_longer_join_two_stories() -> None:
    # The demo's false merge: two different events, one person in common, and "11" in both leads.
    params = Params()
    vector = np.zeros(8, dtype=np.float32)
    vector[0] = 1.0
    other = np.zeros(8, dtype=np.float32)
    other[0], other[1] = 0.55, np.sqrt(1 - 0.55**2)
    flood = "Floods in Dunmore leave 11 dead; Mayor Ada Okafor visits"
    match = "Ada Okafor scores as Dunmore wins after 11 goals"
    a = ArticleSignals(1, vector, frozenset({"person:ada okafor"}) | fact_keys(flood), None)
    b = ArticleSignals(2, other, frozenset({"person:ada okafor"}) | fact_keys(match), None)
    assert pair_score(a, b, params) < params.join
    # ...while the same people and the same count of the same thing still pull together.
    same = "Flood toll: 11 dead in Dunmore, says Ada Okafor"
    c = ArticleSignals(3, other, frozenset({"person:ada okafor"}) | fact_keys(same), None)
    assert pair_score(a, c, params) > pair_score(a, b, params)
