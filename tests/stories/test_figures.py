"""Conflicting figures: numbers measuring the same thing that differ between outlets or speakers (short sentences)."""

from __future__ import annotations

from tidings.stories.figures import Statement, conflicting_figures, figures_in, singular


def said(text: str, outlet: str = "Courier", speaker: str = "") -> Statement[str]:
    return Statement(text, outlet, speaker, text)


def measured(text: str) -> list[tuple[float, str, str, str, str, str]]:
    return [(f.value, f.text, f.kind, f.noun, f.per, f.state) for f in figures_in(said(text))]


def test_a_number_measures_the_noun_after_it_lemmatised_with_its_state() -> None:
    [figure] = figures_in(said("the strikes reportedly killed 300 fighters near the town"))
    assert (figure.value, figure.text, figure.kind, figure.noun, figure.label) == (
        300,
        "300",
        "count",
        "fighter",
        "fighters",
    )
    assert figure.state == "dead" and figure.per == ""


def test_commas_multipliers_percentages_and_money_are_read_and_years_are_not_figures() -> None:
    assert measured("In 2024 some 1,200 homes and 2.5 million people lost 40% of their water") == [
        (1200, "1,200", "count", "home", "", ""),
        (2_500_000, "2.5 million", "count", "person", "", ""),
        (40, "40%", "percent", "water", "", ""),
    ]
    assert measured("donors pledged $5m in aid") == [(5_000_000, "$5m", "money:$", "aid", "", "")]
    assert measured("a bill of 300 euros in damages") == [(300, "300 euros", "money:€", "damage", "", "")]
    assert measured("40 per cent of voters") == [(40, "40 per cent", "percent", "voter", "", "")]


def test_the_word_before_a_number_is_never_its_label() -> None:
    assert figures_in(said("the toll could reach 300 on Monday")) == []
    assert figures_in(said("turnout reached 90 percent")) == []
    [figure] = figures_in(said("the flood could reach 300 homes"))
    assert figure.label == "homes"


def test_verbs_units_modifiers_and_commas_after_a_number() -> None:
    assert figures_in(said("300 were killed")) == []  # a verb, not what is counted
    assert figures_in(said("a truce of 30 days")) == []  # a unit: a measure, not what is measured
    assert figures_in(said("Orozco, 27, a known gang member")) == []  # across a comma
    assert [f.noun for f in figures_in(said("300 Syrian fighters and 25 new homes"))] == ["fighter", "home"]


def test_rates_are_read_and_denominators_are_not_figures() -> None:
    assert measured("25 pupils per class") == [(25, "25", "count", "pupil", "class", "")]
    assert measured("300 cars a day") == [(300, "300", "count", "car", "day", "")]
    assert figures_in(said("one in 5 adults")) == []
    assert measured("3 doctors per 1,000 people") == [(3, "3", "count", "doctor", "1000", "")]  # 1,000: no figure


def test_singular_by_plural_rules() -> None:
    pairs = {
        "fighters": "fighter",
        "casualties": "casualty",
        "cases": "case",
        "houses": "house",
        "people": "person",
        "class": "class",
    }
    assert {word: singular(word) for word in pairs} == pairs
    assert singular("churches") == "church" and singular("status") == "status"


def test_true_conflict_killed_300_versus_250_fighters() -> None:
    conflicts = conflicting_figures(
        [
            said("the offensive killed 300 fighters", outlet="Courier", speaker="Syrian army"),
            said("at least 250 fighters died in the fighting", outlet="Herald", speaker="rebel forces"),
            said("the ministry will meet on 3 June", outlet="Herald"),
        ]
    )
    [conflict] = conflicts
    assert conflict.about == "fighters"
    assert [(f.value, f.statement.outlet, f.statement.speaker) for f in conflict.figures] == [
        (250, "Herald", "rebel forces"),
        (300, "Courier", "Syrian army"),
    ]


def test_rate_versus_count_is_not_a_conflict() -> None:
    statements = [said("schools have 25 pupils per class", "Courier"), said("7,361 pupils are affected", "Herald")]
    assert conflicting_figures(statements) == []
    rates = [said("schools have 25 pupils per class", "Courier"), said("about 31 pupils per class", "Herald")]
    assert [(c.about, c.values) for c in conflicting_figures(rates)] == [("pupils per class", [25, 31])]


def test_different_nouns_are_not_a_conflict() -> None:
    assert conflicting_figures([said("300 fighters", "Courier"), said("250 civilians", "Herald")]) == []
    # Different words for the same thing are not paired either (known weak, precision first).
    assert conflicting_figures([said("300 fighters", "Courier"), said("250 militants", "Herald")]) == []


def test_the_same_value_repeated_by_three_outlets_is_not_a_conflict() -> None:
    statements = [said("1,200 homes were flooded", outlet) for outlet in ("Courier", "Herald", "Post")]
    assert conflicting_figures(statements) == []


def test_repeats_collapse_into_one_row_per_value_with_every_source() -> None:
    statements = [
        said("1,200 homes were flooded", "Courier"),
        said("1,200 homes were flooded", "Herald"),
        said("1,200 homes were flooded", "Herald"),  # the same outlet twice counts once
        said("some 900 homes were flooded", "Post", "the council"),
    ]
    [conflict] = conflicting_figures(statements)
    assert [(row.value, [f.statement.outlet for f in row.sources]) for row in conflict.rows] == [
        (900, ["Post"]),
        (1200, ["Courier", "Herald"]),
    ]
    assert [(speaker, [f.statement.outlet for f in figs]) for speaker, figs in conflict.rows[1].speakers] == [
        ("", ["Courier", "Herald"])
    ]


def test_money_versus_count_is_not_a_conflict() -> None:
    assert (
        conflicting_figures(
            [said("thieves took $300 in jewellery", "Courier"), said("thieves took 40 jewellery items", "Herald")]
        )
        == []
    )
    money = [said("thieves took $300 in jewellery", "Courier"), said("thieves took $450 in jewellery", "Herald")]
    assert [c.about for c in conflicting_figures(money)] == ["jewellery ($)"]
    other_currency = [
        said("thieves took $300 in jewellery", "Courier"),
        said("thieves took €280 in jewellery", "Herald"),
    ]
    assert conflicting_figures(other_currency) == []


def test_killed_and_injured_are_different_things() -> None:
    assert (
        conflicting_figures([said("3 people were killed", "Courier"), said("20 people were injured", "Herald")]) == []
    )
    # A state on one figure and none on the other: not known to be the same thing.
    assert conflicting_figures([said("3 people were killed", "Courier"), said("20 people", "Herald")]) == []


def test_values_far_apart_measure_different_things() -> None:
    assert (
        conflicting_figures(
            [said("25 pupils were sent home", "Courier"), said("7,361 pupils were sent home", "Herald")]
        )
        == []
    )


def test_agreeing_figures_and_one_source_revising_itself_are_not_conflicts() -> None:
    assert conflicting_figures([said("300 fighters were killed", "Courier"), said("300 fighters died", "Herald")]) == []
    same_source = [
        said("12 people were hurt", "Courier", "police"),
        said("later 14 people were hurt", "Courier", "police"),
    ]
    assert conflicting_figures(same_source) == []


def test_same_outlet_different_speakers_do_conflict() -> None:
    conflicts = conflicting_figures(
        [said("120 soldiers were captured", "Courier", "rebel forces"), said("40 soldiers", "Courier", "army")]
    )
    assert [c.values for c in conflicts] == [[40, 120]]


def test_names_ordinals_times_dates_compounds_paths_and_addresses_are_not_figures() -> None:
    text = "the AK-47 rifles, the 52nd street, at 3:30 or 10 a.m. on May 10, a 59-year-old man, 9 pm, 4 June, 5m"
    assert figures_in(said(text)) == []
    assert figures_in(said("see 2013 / 05 / 02 / lindsay and story - 19548736 - detail")) == []
    assert figures_in(said("in the 12000 block of East Street, 12 nautical miles out")) == []


def test_a_money_rate_counts_no_noun_of_its_own() -> None:
    assert figures_in(said("he wants $20 million per season")) == []
