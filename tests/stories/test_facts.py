"""Figures and days as clustering keys: what counts, what does not."""

from __future__ import annotations

from tidings.stories.facts import fact_keys, lead_text


def test_numbers_are_read_with_and_without_separators() -> None:
    keys = fact_keys("A 6.1 magnitude quake left 1,200 homeless and 3 dead.")
    assert keys == {"number:6.1", "number:1200", "number:3"}


def test_numbers_inside_words_are_not_figures() -> None:
    assert fact_keys("The G7 met at the A1 junction; version 2.0.1 shipped.") == frozenset()


def test_weekdays_always_and_months_only_capitalised() -> None:
    keys = fact_keys("On Tuesday, as in March, rebels may march on the city; friday too.")
    assert keys == {"date:tuesday", "date:march", "date:friday"}


def test_lead_text_reads_headline_standfirst_and_first_paragraphs_only() -> None:
    text = lead_text("Quake hits", "6 dead", ["One 7", "Two 8", "Three 9", "Four 10"])
    assert fact_keys(text) == {"number:6", "number:7", "number:8", "number:9"}
