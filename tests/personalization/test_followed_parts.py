"""The followed pool's parts (personalization.followed._part): a shape seen before reuses the ORM's statement with
its parameters put in by hand; they are exactly the ORM's own, for every shape, on either database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from django.db import DEFAULT_DB_ALIAS

from tidings.personalization import followed

pytestmark = pytest.mark.django_db

SINCE = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.mark.parametrize("kind", ["category", "topic", "source"])
def test_a_reused_statement_has_the_orms_own_text_and_parameters(kind):
    followed._PARTS.clear()
    for n, since, sources, categories, topics in itertools.product(
        (1, 3), (None, SINCE), ([], [5]), ([], [7, 9]), ([], [11])
    ):
        ids = list(range(100, 100 + n))
        mutes = {"source": sources, "category": categories, "topic": topics}
        first = followed._part(kind, ids, mutes, since, 500, DEFAULT_DB_ALIAS)  # compiled by the ORM
        other_ids = list(range(200, 200 + n))
        again = followed._part(kind, other_ids, mutes, since, 500, DEFAULT_DB_ALIAS)  # the same shape: reused
        query = (
            followed._from_sources_query(other_ids, mutes, since, 500)
            if kind == "source"
            else followed._listed_joined_query(kind, other_ids, mutes, since, 500)
        )
        assert again[0] == first[0]
        assert (again[0], list(again[1])) == (lambda sql, params: (sql, list(params)))(
            *followed._sql(query, DEFAULT_DB_ALIAS)
        )
