"""Story split: the pure rule (clustering.split_story) on hand-built vectors and names."""

from __future__ import annotations

import math

import numpy as np

from tidings.stories.clustering import ArticleSignals, Params, split_story

PARAMS = Params(join=0.7, merge=0.9, entity_weight=1.5, entity_prior=0.2)


def near(axis: int, cosine: float, wobble: int) -> np.ndarray:
    """A unit vector with `cosine` to `axis`, the rest along its own axis `wobble` (2..7)."""
    vector = np.zeros(8, dtype=np.float32)
    vector[axis], vector[wobble] = cosine, math.sqrt(1 - cosine**2)
    return vector


def member(article_id: int, vector: np.ndarray, *names: str) -> ArticleSignals:
    return ArticleSignals(article_id, vector, frozenset(names))


FIRE = ("person:ada okafor", "place:dunmore")
FLOOD = ("person:ivo brandt", "place:kestrel bay")


def test_two_events_in_one_story_are_split_larger_first() -> None:
    story = [
        member(1, near(0, 0.95, 2), *FIRE),
        member(2, near(0, 0.95, 3), *FIRE),
        member(3, near(0, 0.95, 4), *FIRE),
        member(4, near(1, 0.95, 5), *FLOOD),
        member(5, near(1, 0.95, 6), *FLOOD),
    ]
    assert split_story(story, PARAMS) == [[1, 2, 3], [4, 5]]


def test_one_event_stays_whole() -> None:
    story = [member(i, near(0, 0.95, i + 1), *FIRE) for i in range(1, 6)]
    assert split_story(story, PARAMS) == [[1, 2, 3, 4, 5]]


def test_an_outlier_article_is_split_off_alone() -> None:
    story = [member(i, near(0, 0.95, i + 1), *FIRE) for i in range(1, 5)]
    story.append(member(9, near(1, 1.0, 7), *FLOOD))
    assert split_story(story, PARAMS) == [[1, 2, 3, 4], [9]]


def test_shared_people_keep_similar_texts_together() -> None:
    # Texts far apart, but every article names the same person: the entity term lifts the pairs above join.
    story = [
        member(1, near(0, 0.95, 2), *FIRE),
        member(2, near(0, 0.95, 3), *FIRE),
        member(3, near(0, 0.6, 1), *FIRE),
        member(4, near(0, 0.6, 1), *FIRE),
    ]
    assert split_story(story, PARAMS) == [[1, 2, 3, 4]]
    unnamed = [member(m.article_id, m.vector) for m in story]  # no names: no bonus, no penalty
    assert split_story(unnamed, PARAMS) == [[1, 2], [3, 4]]


def test_three_events_are_not_forced_into_two() -> None:
    # Three far-apart pairs: whichever two join, that group does not hold together, so nothing is split.
    story = [
        member(1, near(0, 0.95, 3), "person:a"),
        member(2, near(0, 0.95, 4), "person:a"),
        member(3, near(1, 0.95, 5), "person:b"),
        member(4, near(1, 0.95, 6), "person:b"),
        member(5, near(2, 0.95, 7), "person:c"),
        member(6, near(2, 0.95, 7), "person:c"),
    ]
    assert split_story(story, PARAMS) == [[1, 2, 3, 4, 5, 6]]


def test_one_or_no_member_is_never_split() -> None:
    assert split_story([], PARAMS) == [[]]
    assert split_story([member(1, near(0, 1.0, 2))], PARAMS) == [[1]]
