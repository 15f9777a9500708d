"""Story clustering's country term: two reports from different countries are apart; places the gazetteer does not
know (a suburb, an invented town) never make them so."""

from __future__ import annotations

import math

from tests.stories.test_place_conflict import article as place_article
from tests.stories.test_place_conflict import at_angle
from tidings.stories.clustering import (
    Candidate,
    Params,
    StoryIndex,
    country_conflict,
    pair_score,
    story_score,
)
from tidings.stories.places import gazetteer_countries, gazetteer_resolver, place_scope

T0 = 1_800_000_000.0


def scope(*names: str) -> frozenset[str]:
    return place_scope({f"place:{n}" for n in names}, gazetteer_resolver(), gazetteer_countries())


def article(article_id: int, cosine: float, names: set[str]):
    from tidings.stories.clustering import ArticleSignals

    keys = frozenset(names)
    places = place_scope(keys, gazetteer_resolver(), gazetteer_countries())
    return ArticleSignals(article_id, at_angle(cosine), keys, T0 + article_id * 3600, places)


def test_the_scope_holds_the_country_of_each_known_place_and_nothing_for_unknown_ones() -> None:
    assert {k for k in scope("lisbon", "quenmoor") if k.startswith("country:")} == {"country:portugal"}
    assert {k for k in scope("portugal") if k.startswith("country:")} == {"country:portugal"}
    assert not any(k.startswith("country:") for k in scope("quenmoor", "europe"))
    # without the countries given, the scope is what it was (place keys only)
    assert place_scope({"place:lisbon"}, gazetteer_resolver()) == {"place:lisbon", "place:portugal"}


def test_country_conflict_needs_countries_on_both_sides_and_none_shared() -> None:
    assert country_conflict(scope("lisbon"), scope("medellín"))
    assert not country_conflict(scope("lisbon", "ashcombe ridge"), scope("porto"))  # one country
    assert not country_conflict(scope("lisbon"), scope("quenmoor"))  # an unknown place says nothing
    assert not country_conflict(scope("lisbon"), [])


def test_the_penalty_is_taken_off_the_score() -> None:
    params = Params(country_conflict=0.2)
    apart = story_score(Candidate(1, 0.9, 0.5, country_conflict=True), params)
    assert math.isclose(story_score(Candidate(1, 0.9, 0.5), params) - apart, 0.2)
    a, b = article(1, 1.0, {"place:lisbon"}), article(2, 0.9, {"place:medellín"})
    off = Params(country_conflict=0.0)
    assert math.isclose(pair_score(a, b, off) - pair_score(a, b, params), 0.2, abs_tol=1e-6)


def test_a_trial_in_lisbon_and_a_drug_case_in_medellin_stay_apart_with_the_term() -> None:
    # Nearly the same text (cosine 0.95), nothing named in common: without the term they join.
    lisbon, medellin = {"place:lisbon", "number:285.9"}, {"place:medellín", "number:293.8"}
    for params, joined in ((Params(country_conflict=0.0), True), (Params(), False)):  # the default is on
        index = StoryIndex(8, params)
        first = index.assign(article(1, 1.0, medellin))
        second = index.assign(article(2, 0.95, lisbon))
        assert (second.story_id == first.story_id) is joined, params.country_conflict


def test_the_same_event_told_from_a_suburb_the_gazetteer_does_not_know_still_joins() -> None:
    index = StoryIndex(8, Params())
    first = index.assign(article(1, 1.0, {"place:lisbon", "number:23"}))
    second = index.assign(article(2, 0.95, {"place:ashcombe ridge", "number:23"}))
    assert second.story_id == first.story_id
    assert place_article(3, 1.0, {"place:lisbon"}).places == {"place:lisbon", "place:portugal"}
