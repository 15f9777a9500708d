"""Read and starred states of a profile: the reading list, unread counts, marking, and privacy between profiles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.sources.factories import SourceFactory
from tidings.personalization import reading_state
from tidings.personalization.models import ArticleState
from tidings.personalization.services import set_follow

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed():
    source = SourceFactory()
    return source, [ArticleFactory(source=source) for _ in range(5)]


def test_reading_list_is_followed_sources_without_duplicates_or_mutes(followed):
    source, articles = followed
    profile = ProfileFactory()
    set_follow(profile, source)
    set_follow(profile, SourceFactory(), action="mute")
    ArticleFactory(source=source, duplicate_of=articles[0])
    assert set(reading_state.reading_list(profile)) == set(articles)
    assert reading_state.unread_count(profile) == 5


def test_unread_counts_per_source_with_the_newest_time(followed):
    source, articles = followed
    profile = ProfileFactory()
    set_follow(profile, source)
    reading_state.mark_read(profile, [articles[0].pk], timezone.now())
    [count] = reading_state.unread_counts(profile)
    assert (count.source_id, count.count) == (source.pk, 4)
    assert count.newest == max(a.published_at for a in articles[1:])


def test_mark_read_keeps_the_first_time_and_counts_only_changes(followed):
    _, articles = followed
    profile = ProfileFactory()
    first = timezone.now() - timedelta(days=1)
    assert reading_state.mark_read(profile, [articles[0].pk], first) == 1
    assert reading_state.mark_read(profile, [articles[0].pk, articles[1].pk], timezone.now()) == 1
    assert ArticleState.objects.get(profile=profile, article=articles[0]).read_at == first


def test_unread_and_unstar_clear_only_their_own_state(followed):
    _, articles = followed
    profile = ProfileFactory()
    now = timezone.now()
    reading_state.mark_read(profile, [articles[0].pk], now)
    reading_state.star(profile, [articles[0].pk], now)
    reading_state.mark_unread(profile, [articles[0].pk])
    assert reading_state.states_of(profile, [articles[0].pk]) == {articles[0].pk: (False, True)}
    reading_state.unstar(profile, [articles[0].pk])
    assert reading_state.states_of(profile, [articles[0].pk]) == {articles[0].pk: (False, False)}


def test_mark_all_read_in_batches(followed, monkeypatch):
    source, articles = followed
    monkeypatch.setattr(reading_state, "MARK_ALL_BATCH", 2)
    profile = ProfileFactory()
    set_follow(profile, source)
    reading_state.mark_read(profile, [articles[2].pk], timezone.now())
    assert reading_state.mark_all_read(profile, reading_state.reading_list(profile), timezone.now()) == 4
    assert reading_state.unread_count(profile) == 0


def test_one_profiles_marks_do_not_touch_another(followed):
    source, articles = followed
    mine, theirs = ProfileFactory(), ProfileFactory()
    set_follow(mine, source)
    set_follow(theirs, source)
    reading_state.mark_all_read(theirs, reading_state.reading_list(theirs), timezone.now())
    reading_state.star(theirs, [articles[0].pk], timezone.now())
    assert reading_state.unread_count(mine) == 5
    assert reading_state.states_of(mine, [a.pk for a in articles]) == {}


def test_unknown_article_ids_are_ignored():
    profile = ProfileFactory()
    assert reading_state.mark_read(profile, [424242], timezone.now()) == 0
    assert not ArticleState.objects.exists()
