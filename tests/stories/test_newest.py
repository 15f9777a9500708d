"""The newest ids (stories.newest), the key of kept pages: each process reuses what it read for
NEWEST_IDS_SECONDS, so a kept page costs no query, and a new article shows on it once that time has passed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tidings.stories import newest

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch, settings):
    settings.NEWEST_IDS_SECONDS = 1
    fake = Clock()
    monkeypatch.setattr(newest.time, "monotonic", fake)
    return fake


def test_the_ids_are_read_once_within_the_time_then_again(clock, django_assert_num_queries):
    first = ArticleFactory()
    with django_assert_num_queries(1):
        assert newest.newest_ids()[0] == first.pk
    second = ArticleFactory()
    clock.now += 0.5
    with django_assert_num_queries(0):
        assert newest.newest_ids()[0] == first.pk  # still what this process read half a second ago
    clock.now += 0.6
    with django_assert_num_queries(1):
        assert newest.newest_ids()[0] == second.pk


def test_zero_reads_them_every_time(settings, django_assert_num_queries):
    settings.NEWEST_IDS_SECONDS = 0
    ArticleFactory()
    newest.newest_ids()
    later = ArticleFactory()
    with django_assert_num_queries(1):
        assert newest.newest_ids()[0] == later.pk


def test_a_kept_page_costs_no_query_and_a_new_article_shows_after_the_time(clock, django_assert_num_queries):
    ArticleFactory(headline="Harbour reopens")
    assert "Harbour reopens" in Client().get(reverse("web:home")).content.decode()
    with django_assert_num_queries(0):
        kept = Client().get(reverse("web:home"))
    assert kept.status_code == 200
    ArticleFactory(headline="Bridge closes")
    assert "Bridge closes" not in Client().get(reverse("web:home")).content.decode()  # within the second
    clock.now += 1.0
    assert "Bridge closes" in Client().get(reverse("web:home")).content.decode()
