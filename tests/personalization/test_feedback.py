"""Implicit feedback: impressions, opens, reading time, saves and shares, and the throttled refresh of interests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.lib.errors import InvalidInput
from tidings.personalization import feedback
from tidings.personalization.feedback import (
    log_impressions,
    log_open,
    log_reading_time,
    log_share,
    schedule_refresh,
    set_read,
    set_saved,
    tracking_refused,
)
from tidings.personalization.models import ArticleState, Interaction, Interest

pytestmark = pytest.mark.django_db


def kinds(profile):
    return sorted(Interaction.objects.filter(profile=profile).values_list("kind", flat=True))


def test_impressions_are_one_row_per_card_and_a_reload_logs_nothing_new():
    profile = ProfileFactory()
    articles = [ArticleFactory() for _ in range(3)]
    now = timezone.now()
    assert log_impressions(profile, [a.pk for a in articles] + [articles[0].pk], now) == 3
    assert log_impressions(profile, [a.pk for a in articles], now + timedelta(minutes=5)) == 0
    later = now + feedback.IMPRESSION_REPEAT_WINDOW + timedelta(minutes=1)
    assert log_impressions(profile, [articles[0].pk], later) == 1
    assert kinds(profile) == ["impression"] * 4


def test_impressions_per_page_are_bounded(monkeypatch):
    monkeypatch.setattr(feedback, "MAX_IMPRESSIONS_PER_PAGE", 2)
    profile = ProfileFactory()
    assert log_impressions(profile, [ArticleFactory().pk for _ in range(4)]) == 2


def test_open_logs_and_marks_read_once(django_capture_on_commit_callbacks):
    profile = ProfileFactory()
    article = ArticleFactory()
    first = timezone.now() - timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        log_open(profile, article, now=first)
        state = log_open(profile, article)
    assert kinds(profile) == ["open", "open"]
    assert state.read_at == first
    assert ArticleState.objects.get(profile=profile, article=article).read_at == first


def test_reading_time_of_one_sitting_adds_up_in_one_row():
    profile = ProfileFactory()
    article = ArticleFactory()
    now = timezone.now()
    assert log_reading_time(profile, article, 30, now)
    assert log_reading_time(profile, article, 1.5, now + timedelta(minutes=3))  # joins the sitting
    assert log_reading_time(profile, article, 45, now + feedback.SITTING + timedelta(minutes=10))  # a new sitting
    values = sorted(Interaction.objects.filter(profile=profile, kind="read").values_list("value", flat=True))
    assert values == [31.5, 45.0]


def test_a_bounce_is_not_logged_as_reading():
    profile = ProfileFactory()
    assert not log_reading_time(profile, ArticleFactory(), 1.0)
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf")], ids=["negative", "nan", "infinite"])
def test_bad_reading_time_is_refused(seconds):
    with pytest.raises(InvalidInput, match="reading time must be a number of seconds"):
        log_reading_time(ProfileFactory(), ArticleFactory(), seconds)
    assert not Interaction.objects.exists()


def test_save_logs_once_and_unsave_forgets_the_save():
    profile = ProfileFactory()
    article = ArticleFactory()
    assert set_saved(profile, article, True).saved_at is not None
    set_saved(profile, article, True)  # already saved: nothing new
    assert kinds(profile) == ["save"]
    assert set_saved(profile, article, False).saved_at is None
    assert kinds(profile) == []
    assert ArticleState.objects.get(profile=profile, article=article).saved_at is None


def test_mark_read_and_unread_are_states_only():
    profile = ProfileFactory()
    article = ArticleFactory()
    assert set_read(profile, article, True).read_at is not None
    assert set_read(profile, article, False).read_at is None
    assert kinds(profile) == []


def test_share_is_logged():
    profile = ProfileFactory()
    log_share(profile, ArticleFactory())
    assert kinds(profile) == ["share"]


@pytest.mark.parametrize(
    ("headers", "refused"),
    [({}, False), ({"DNT": "1"}, True), ({"Sec-GPC": "1"}, True), ({"DNT": "0"}, False), ({"Sec-GPC": " 1 "}, True)],
)
def test_do_not_track_and_global_privacy_control_refuse_tracking(headers, refused):
    assert tracking_refused(headers) is refused


def test_refresh_is_queued_at_most_once_per_window(django_capture_on_commit_callbacks):
    profile = ProfileFactory()
    now = timezone.now()
    with django_capture_on_commit_callbacks() as callbacks:
        assert schedule_refresh(profile, now)
        assert not schedule_refresh(profile, now + feedback.REFRESH_EVERY / 2)
        assert schedule_refresh(profile, now + feedback.REFRESH_EVERY)
    assert len(callbacks) == 2


def test_signals_rebuild_the_learned_interests(django_capture_on_commit_callbacks):
    profile = ProfileFactory()
    science = CategoryFactory(slug="science")
    article = ArticleFactory()
    ArticleCategoryFactory(article=article, category=science)
    with django_capture_on_commit_callbacks(execute=True):
        log_open(profile, article)
    interest = Interest.objects.get(profile=profile, kind="category", target_id=science.pk)
    assert interest.score > 0
