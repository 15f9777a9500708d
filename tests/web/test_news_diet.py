"""The News diet page: empty, and with reading logged; its chart geometry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.personalization.diet import OTHER, Reading, news_diet
from tidings.personalization.feedback import log_open
from tidings.personalization.services import profile_for_user, set_follow
from tidings.web.diet_chart import diet_chart, nice_ceiling

pytestmark = pytest.mark.django_db


def test_a_visitor_who_read_nothing_gets_the_empty_state(client):
    response = client.get(reverse("web:news_diet"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing read yet" in body and '<svg class="diet-chart"' not in body
    assert 'href="/me/interests/" aria-current="page"' in body  # the diet lives under the Interests tab


def test_the_chart_shows_what_was_read_by_category_next_to_the_follows(client):
    user = UserFactory()
    client.force_login(user)
    profile = profile_for_user(user)
    politics = CategoryFactory(name="Politics", slug="politics")
    election = CategoryFactory(name="Election", slug="election", parent=politics)
    sport = CategoryFactory(name="Sport", slug="sport")
    for n in range(3):
        article = ArticleFactory()
        ArticleCategoryFactory(article=article, category=election)  # rolls up to Politics
        log_open(profile, article, now=timezone.now() - timedelta(days=7 * n))
    set_follow(profile, sport)

    response = client.get(reverse("web:news_diet"))

    assert response.status_code == 200
    chart = response.context["chart"]
    assert [(e.name, e.read_percent, e.follow_percent) for e in chart.legend] == [
        ("Politics", 100.0, 0.0),
        ("Sport", 0.0, 100.0),
    ]
    assert [c.articles for c in chart.columns][-3:] == [1, 1, 1]
    body = response.content.decode()
    assert body.count('class="diet-bar diet-c0"') == 3  # one weekly segment per week read
    assert 'class="diet-share diet-c0" x="0" y="1" width="100.0"' in body  # Politics: all the reading
    assert "Nothing read yet" not in body


def test_nice_ceiling_gives_at_most_five_round_ticks():
    assert nice_ceiling(0) == (1, 1)
    assert nice_ceiling(3) == (3, 1)
    assert nice_ceiling(7) == (8, 2)
    assert nice_ceiling(23) == (25, 5)
    assert nice_ceiling(140) == (150, 50)


def test_chart_segments_stack_up_to_each_weeks_count():
    today = date(2026, 12, 9)
    readings = [Reading(n, today, frozenset({1 + n % 3})) for n in range(6)] + [Reading(9, today, frozenset({7}))]
    diet = news_diet(readings, [], today, weeks=2, shown=2)
    chart = diet_chart(diet, {1: "One", 2: "Two"})
    week = chart.columns[-1]
    heights = sum(s.height for s in week.segments)
    assert heights == pytest.approx((chart.baseline - chart.ticks[-1].y) * 7 / int(chart.ticks[-1].label), abs=0.05)
    assert [s.css for s in week.segments] == ["diet-c0", "diet-c1", "diet-other"]
    assert chart.legend[-1].key == OTHER and chart.legend[-1].name == "Other categories"
    assert chart.columns[0].segments == ()


def test_follows_without_reading_show_the_empty_state_naming_them(client):
    user = UserFactory()
    client.force_login(user)
    profile = profile_for_user(user)
    set_follow(profile, CategoryFactory(name="Sport", slug="sport"))
    set_follow(profile, CategoryFactory(name="Science", slug="science"))
    body = client.get(reverse("web:news_diet")).content.decode()
    assert "Nothing read yet" in body
    assert "You follow Science, Sport." in body or "You follow Sport, Science." in body
