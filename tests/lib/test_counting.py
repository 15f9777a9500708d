"""lib.counting: a count stops one past the cap and says whether it is the whole count; every list uses it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.lib import counting
from tidings.lib.counting import Capped, capped_count

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("made", "expected"), [(0, Capped(0, True)), (3, Capped(3, True)), (5, Capped(3, False))])
def test_a_count_stops_at_the_cap(made, expected):
    ArticleFactory.create_batch(made)
    assert capped_count(Article.objects.all(), cap=3) == expected


def test_the_default_cap_is_read_when_counting_and_the_order_is_dropped(monkeypatch):
    monkeypatch.setattr(counting, "COUNT_CAP", 2)
    ArticleFactory.create_batch(4)
    with CaptureQueriesContext(connection) as captured:
        found = capped_count(Article.objects.order_by("-published_at"))
    assert found == (2, False)
    assert len(captured.captured_queries) == 1
    assert "ORDER BY" not in captured.captured_queries[0]["sql"]
