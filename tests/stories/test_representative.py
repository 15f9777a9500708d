"""The story's headline: the earliest article's while it has fewer than three, then the most central one's."""

from __future__ import annotations

import numpy as np
import pytest

from tests.stories.helpers import story_of
from tidings.enrichment.vectors import DIMENSIONS, store_embeddings
from tidings.stories.editing import refresh_story
from tidings.stories.representative import representative


def unit(*values: float) -> np.ndarray:
    """A unit vector of the stored embeddings' size (DIMENSIONS) whose first coordinates are `values`."""
    v = np.zeros(DIMENSIONS, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def test_no_articles_no_choice():
    assert representative([], {}) is None


def test_one_or_two_articles_the_earliest_heads_it():
    vectors = {1: unit(1, 0, 0), 2: unit(0, 1, 0)}
    assert representative([2, 1], vectors) == 2
    assert representative([1], vectors) == 1


def test_the_outlier_published_first_does_not_head_the_story():
    outlier, a, b, c = 10, 11, 12, 13
    vectors = {outlier: unit(0, 0, 1), a: unit(1, 0.3, 0), b: unit(1, -0.3, 0), c: unit(1, 0, 0)}
    chosen = representative([outlier, a, b, c], vectors)
    assert chosen == c  # the one closest to both other members of the event


def test_articles_without_embeddings_fall_back_to_the_earliest():
    assert representative([5, 6, 7], {6: unit(1, 0, 0), 7: unit(0, 1, 0)}) == 5


def test_equal_centrality_goes_to_the_earlier_article():
    same = unit(1, 1, 0)
    assert representative([3, 4, 5], {3: same, 4: same, 5: same}) == 3


@pytest.mark.django_db
def test_refresh_story_stores_the_central_headline():
    story, articles = story_of(
        ("Harbour Herald", "Detectives appeal for witnesses in drug case", 9),
        ("Evening Post", "Murder trial opens in Lisbon", 8),
        ("Coastline Times", "Lisbon murder trial hears first witness", 7),
        ("Daily Ledger", "Jury sworn in Lisbon murder trial", 6),
    )
    assert story.headline == "Detectives appeal for witnesses in drug case"  # no embeddings yet: the earliest
    outlier, *trial = articles
    store_embeddings(
        {
            outlier.pk: unit(0, 0, 1),
            trial[0].pk: unit(1, 0.3, 0),
            trial[1].pk: unit(1, 0, 0),
            trial[2].pk: unit(1, -0.3, 0),
        }
    )
    refresh_story(story.pk)
    story.refresh_from_db()
    assert story.headline == "Lisbon murder trial hears first witness"
