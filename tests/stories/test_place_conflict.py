"""Story clustering's place term: similar reports from different places stay apart; a city and its country agree."""

from __future__ import annotations

import math

import numpy as np

from tidings.stories.clustering import ArticleSignals, Candidate, Params, StoryIndex, place_conflict, story_score
from tidings.stories.places import gazetteer_resolver, place_scope

T0 = 1_800_000_000.0


def at_angle(cosine: float) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[0], vector[1] = cosine, math.sqrt(1 - cosine**2)
    return vector


def article(article_id: int, cosine: float, names: set[str]) -> ArticleSignals:
    keys = frozenset(names)
    return ArticleSignals(
        article_id, at_angle(cosine), keys, T0 + article_id * 3600, place_scope(keys, gazetteer_resolver())
    )


def test_place_scope_adds_the_country_and_leaves_out_world_regions() -> None:
    scope = place_scope({"place:lisbon", "place:asia", "person:ada okafor", "place:quenmoor"}, gazetteer_resolver())
    assert scope == {"place:lisbon", "place:portugal", "place:quenmoor"}
    assert place_scope({"place:japan"}, gazetteer_resolver()) == {"place:japan"}


def test_place_conflict_needs_places_on_both_sides_and_none_shared() -> None:
    lisbon = frozenset({"place:lisbon", "place:portugal"})
    assert place_conflict(lisbon, ["place:osaka", "place:japan"])
    assert not place_conflict(lisbon, ["place:portugal"])
    assert not place_conflict(lisbon, [])
    assert not place_conflict(frozenset(), ["place:osaka"])


def test_the_conflict_lowers_the_score_by_place_conflict() -> None:
    params = Params(place_conflict=0.1)
    apart = story_score(Candidate(1, 0.9, 0.5, conflict=True), params)
    together = story_score(Candidate(1, 0.9, 0.5), params)
    assert math.isclose(together - apart, 0.1)


PLACE_TERM = Params(place_conflict=0.1)  # the option on (its default, 0.0, is off: docs/design.md says why)


def test_poverty_reports_in_lisbon_and_osaka_stay_apart() -> None:
    # Nearly the same text (cosine 0.95) and no people in common; without the place term they join.
    lisbon = {"place:lisbon", "number:24.5"}
    osaka = {"place:osaka", "number:31.2"}
    for params, joined in ((Params(), True), (PLACE_TERM, False)):
        index = StoryIndex(8, params)
        first = index.assign(article(1, 1.0, lisbon))
        second = index.assign(article(2, 0.95, osaka))
        assert (second.story_id == first.story_id) is joined, params.place_conflict


def test_the_same_event_named_by_its_city_and_by_its_country_joins() -> None:
    index = StoryIndex(8, PLACE_TERM)
    first = index.assign(article(1, 1.0, {"place:lisbon", "number:24.5"}))
    second = index.assign(article(2, 0.95, {"place:portugal", "number:24.5"}))
    assert second.story_id == first.story_id
    # ...and a third from another country with the same text does not.
    third = index.assign(article(3, 0.95, {"place:osaka", "number:31.2"}))
    assert third.story_id != first.story_id
