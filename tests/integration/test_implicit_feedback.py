"""Implicit feedback moves the learned interests the expected way, through the real pages and tasks.

A reader is shown cards from two categories on Home, opens, reads and saves only those of A: A's learned score
ends above B's, and B's (shown, passed over) below zero. Runs on SQLite and PostgreSQL like the rest.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.personalization import feedback
from tidings.personalization.models import Interest

pytestmark = pytest.mark.django_db


def scores(user):
    return {(i.kind, i.target_id): i.score for i in Interest.objects.filter(profile__user=user)}


def test_opening_reading_and_saving_category_a_lifts_it_above_category_b(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(feedback, "REFRESH_EVERY", timedelta(0))  # rebuild after every signal, to see each step
    user = UserFactory()
    client.force_login(user)
    a, b = CategoryFactory(name="Science", slug="science"), CategoryFactory(name="Sport", slug="sport")
    in_a = [ArticleFactory(headline=f"Telescope finding {n}") for n in range(3)]
    in_b = [ArticleFactory(headline=f"Match report {n}") for n in range(3)]
    for article in in_a:
        ArticleCategoryFactory(article=article, category=a)
    for article in in_b:
        ArticleCategoryFactory(article=article, category=b)

    # Queued refreshes run when each block ends (on commit), as after each request in production.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(reverse("web:home")).status_code == 200  # six impressions
    for article in in_a[:2]:
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(article.get_absolute_url()).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            beacon = client.post(reverse("web:article_reading", args=[article.pk]), {"seconds": "120"})
            assert beacon.status_code == 204
    before_save = scores(user)[("category", a.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(reverse("web:article_save", args=[in_a[2].pk]), {"saved": "1"})
        assert saved.status_code == 302

    learned = scores(user)
    assert learned[("category", a.pk)] > before_save > 0, "opens and reading time add to A, and so does the save"
    assert learned[("category", b.pk)] < 0, "B's cards were shown and passed over"
    assert learned[("category", a.pk)] > learned[("category", b.pk)]


def test_unsaving_takes_the_save_back_out_of_the_interests(client, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(feedback, "REFRESH_EVERY", timedelta(0))
    user = UserFactory()
    client.force_login(user)
    a = CategoryFactory(slug="science")
    article = ArticleFactory()
    ArticleCategoryFactory(article=article, category=a)
    url = reverse("web:article_save", args=[article.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"saved": "1"})
    with_save = scores(user)[("category", a.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"saved": "0"})
    assert with_save > 0
    assert ("category", a.pk) not in scores(user)
