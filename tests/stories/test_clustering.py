"""Story clustering: join, new story, merge by a bridging article, the time window, and B-cubed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tidings.stories.bcubed import b_cubed
from tidings.stories.clustering import (
    DAY,
    ArticleSignals,
    Candidate,
    Params,
    StoryIndex,
    decide,
    entity_overlap,
    rarity,
)

PARAMS = Params(join=0.7, merge=0.8, entity_weight=0.5, entity_prior=0.2, window_seconds=3 * DAY)
T0 = 1_800_000_000.0


def unit(*values: float) -> np.ndarray:
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def at_angle(cosine: float, first: int = 0, second: int = 1) -> np.ndarray:
    """A unit vector with `cosine` to axis `first`, the rest along axis `second`."""
    vector = np.zeros(8, dtype=np.float32)
    vector[first], vector[second] = cosine, math.sqrt(1 - cosine**2)
    return vector


def article(article_id: int, vector: np.ndarray, names: set[str], hours: float | None = 0.0) -> ArticleSignals:
    published = None if hours is None else T0 + hours * 3600
    return ArticleSignals(article_id, vector, frozenset(names), published)


def test_same_event_joins_the_story() -> None:
    index = StoryIndex(8, PARAMS)
    first = index.assign(article(1, unit(1), {"dunmore", "rail union", "ada okafor"}))
    second = index.assign(article(2, at_angle(0.9), {"dunmore", "rail union", "ada okafor"}, hours=5))
    assert first.story_id is not None
    assert second.story_id == first.story_id
    assert index.members(first.story_id) == [1, 2]


def test_other_event_starts_a_new_story() -> None:
    index = StoryIndex(8, PARAMS)
    first = index.assign(article(1, unit(1), {"dunmore"}))
    second = index.assign(article(2, unit(0, 1), {"kestrel bay"}))
    assert second.story_id != first.story_id
    assert len(index) == 2


def test_similar_text_about_other_people_stays_apart() -> None:
    # Cosine 0.78 alone would join (join 0.7); no shared name pulls it under the threshold.
    index = StoryIndex(8, PARAMS)
    first = index.assign(article(1, unit(1), {"tara reid", "malibu", "promises"}))
    second = index.assign(article(2, at_angle(0.78), {"lindsay lohan", "betty ford"}))
    assert second.story_id != first.story_id
    # ...while the same cosine with the same names joins.
    third = index.assign(article(3, at_angle(0.78), {"tara reid", "malibu", "promises"}))
    assert third.story_id == first.story_id


def test_an_article_that_bridges_two_stories_merges_them() -> None:
    index = StoryIndex(8, PARAMS)
    left = index.assign(article(1, at_angle(0.65, 0, 1), {"dunmore", "rail union"})).story_id
    right = index.assign(article(2, at_angle(0.65, 0, 2), {"dunmore", "ada okafor"})).story_id
    assert left != right  # cosine 0.42 and one common name out of three: two stories
    bridge = index.assign(article(3, unit(1), {"dunmore", "rail union", "ada okafor"}))
    assert bridge.merged and bridge.story_id in {left, right}
    assert sorted(index.members(bridge.story_id)) == [1, 2, 3]
    assert len(index) == 1
    assert index.story_of(1) == index.story_of(2) == bridge.story_id


def test_articles_outside_the_time_window_do_not_join() -> None:
    index = StoryIndex(8, PARAMS)
    first = index.assign(article(1, unit(1), {"dunmore"}))
    later = index.assign(article(2, unit(1), {"dunmore"}, hours=24 * 4))
    assert later.story_id != first.story_id
    undated = index.assign(article(3, unit(1), {"dunmore"}, hours=None))
    assert undated.story_id in {first.story_id, later.story_id}


def test_an_article_already_assigned_keeps_its_story() -> None:
    index = StoryIndex(8, PARAMS)
    first = index.assign(article(1, unit(1), set()))
    index.assign(article(2, unit(0, 1), set()))
    assert index.assign(article(1, unit(0, 1), set())).story_id == first.story_id
    assert index.members(first.story_id) == [1]


def test_the_index_grows_and_forgets_old_stories() -> None:
    index = StoryIndex(8, PARAMS, capacity=2)
    for n in range(6):
        index.assign(article(n, unit(*([0] * (n % 8)), 1), {f"name {n}"}, hours=24 * n))
    assert len(index) == 6
    assert index.evict_before(T0 + 24 * 3 * 3600) == 3
    assert len(index) == 3 and index.story_of(0) is None
    # The compacted rows still answer: the newest story is found again.
    again = index.assign(article(99, unit(*([0] * 5), 1), {"name 5"}, hours=24 * 5))
    assert again.story_id == index.story_of(5)


def test_decide_without_candidates_or_below_join_starts_a_story() -> None:
    assert decide([], PARAMS).story_id is None
    weak = Candidate(story_id=4, cosine=0.5, overlap=None)
    assert decide([weak], PARAMS).story_id is None


def test_decide_joins_the_best_and_merges_only_those_above_merge() -> None:
    best, bridged, near = Candidate(1, 0.95, None), Candidate(2, 0.85, None), Candidate(3, 0.75, None)
    decision = decide([near, bridged, best], PARAMS)
    assert decision.story_id == 1
    assert decision.merged == (2,)


def test_entity_overlap_weighs_rare_names_and_story_shares() -> None:
    even = rarity({}, 10)
    assert entity_overlap(set(), {"a": 1}, 1, even) is None
    assert entity_overlap({"a", "b"}, {"a": 2, "b": 2}, 2, even) == pytest.approx(1.0)
    # A name only half the story's members have counts half.
    assert entity_overlap({"a"}, {"a": 1}, 2, even) == pytest.approx(0.5)
    common = rarity({"city": 9}, 10)
    assert common("city") < common("person")
    shared_common = entity_overlap({"city", "person x"}, {"city": 1, "person y": 1}, 1, common)
    shared_rare = entity_overlap({"city", "person x"}, {"person x": 1, "town": 1}, 1, common)
    assert shared_common is not None and shared_rare is not None and shared_rare > shared_common


def test_kind_weights_count_a_shared_person_more_than_a_shared_place() -> None:
    params = Params(join=0.7, merge=0.9, entity_weight=1.0, kind_weights=(("person", 1.0), ("place", 0.25)))
    assert params.kind_weight("person:ada okafor") == 1.0
    assert params.kind_weight("place:dunmore") == 0.25
    assert params.kind_weight("organisation:rail union") == 0.0  # not listed: ignored
    assert params.kind_weight("plain key") == 1.0
    index = StoryIndex(8, params)
    story = index.assign(article(1, unit(1), {"person:ada okafor", "place:dunmore"})).story_id
    same_person = index.candidates(article(2, at_angle(0.6), {"person:ada okafor", "place:kestrel bay"}))
    same_place = index.candidates(article(3, at_angle(0.6), {"person:ben idris", "place:dunmore"}))
    assert same_person[0].story_id == story == same_place[0].story_id
    seen, unseen = math.log(3 / 2) / math.log(3), 1.0  # rarity after one article: a name it had, a new one
    assert same_person[0].overlap == pytest.approx(seen / (seen + 0.25 * unseen))
    assert same_place[0].overlap == pytest.approx(0.25 * seen / (0.25 * seen + unseen))
    # Only an organisation in common: no weight, so judged as naming no one.
    assert index.candidates(article(4, at_angle(0.6), {"organisation:rail union"}))[0].overlap is None


def test_b_cubed_scores_known_clusterings() -> None:
    gold = {1: "a", 2: "a", 3: "b", 4: "b"}
    assert b_cubed(gold, gold) == (1.0, 1.0, 1.0)
    precision, recall, _f1 = b_cubed({1: 0, 2: 0, 3: 0, 4: 0}, gold)
    assert (precision, recall) == (0.5, 1.0)
    precision, recall, _f1 = b_cubed({1: 1, 2: 2, 3: 3, 4: 4}, gold)
    assert (precision, recall) == (1.0, 0.5)
    assert b_cubed({}, gold) == (0.0, 0.0, 0.0)
