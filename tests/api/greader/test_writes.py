"""Changing things through the Google Reader API: read, starred, mark-all-as-read, subscriptions; two users."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tidings.api.greader.ids import long_item_id
from tidings.personalization import reading_state
from tidings.personalization.models import ArticleState
from tidings.personalization.services import follow_state
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db

API = "/reader/api/0/"
READ = "user/-/state/com.google/read"
KEPT_UNREAD = "user/-/state/com.google/kept-unread"
STARRED = "user/-/state/com.google/starred"


def read_ids(app_user) -> set[int]:
    return set(reading_state.read_article_ids(app_user.profile).values_list("article_id", flat=True))


def starred_ids(app_user) -> set[int]:
    return set(reading_state.starred_article_ids(app_user.profile).values_list("article_id", flat=True))


def test_edit_tag_marks_read_with_every_id_form(alice, library):
    a, b, c = library.world_articles
    response = alice.post(API + "edit-tag", {"i": [long_item_id(a.pk), f"{b.pk:016x}", str(c.pk)], "a": READ})
    assert (response.status_code, response.content) == (200, b"OK")
    assert read_ids(alice) == {a.pk, b.pk, c.pk}
    assert reading_state.unread_count(alice.profile) == 2


def test_edit_tag_marks_unread_as_newsboat_asks(alice, library):
    a, b, _ = library.world_articles
    reading_state.mark_read(alice.profile, [a.pk, b.pk], timezone.now())
    alice.post(API + "edit-tag", {"i": long_item_id(a.pk), "r": READ, "a": [KEPT_UNREAD, KEPT_UNREAD]})
    assert read_ids(alice) == {b.pk}


def test_marking_read_twice_keeps_the_first_time(alice, library):
    a = library.world_articles[0]
    alice.post(API + "edit-tag", {"i": a.pk, "a": READ})
    first = ArticleState.objects.get(profile=alice.profile, article=a).read_at
    alice.post(API + "edit-tag", {"i": a.pk, "a": READ})
    assert ArticleState.objects.get(profile=alice.profile, article=a).read_at == first


def test_star_and_unstar(alice, library):
    a = library.local_articles[0]
    alice.post(API + "edit-tag", {"i": a.pk, "a": STARRED})
    assert starred_ids(alice) == {a.pk}
    assert read_ids(alice) == set()  # starring is not reading
    alice.post(API + "edit-tag", {"i": a.pk, "r": STARRED})
    assert starred_ids(alice) == set()


def test_unknown_item_ids_are_skipped(alice, library):
    a = library.world_articles[0]
    assert alice.post(API + "edit-tag", {"i": [a.pk, 987654], "a": READ}).status_code == 200
    assert read_ids(alice) == {a.pk}


def test_mark_all_as_read_for_a_feed_a_folder_and_everything(alice, library):
    alice.post(API + "mark-all-as-read", {"s": f"feed/{library.local.pk}"})
    assert read_ids(alice) == {a.pk for a in library.local_articles}
    alice.post(API + "mark-all-as-read", {"s": "user/-/label/World"})
    assert reading_state.unread_count(alice.profile) == 0
    assert read_ids(alice) == {a.pk for a in library.world_articles + library.local_articles}


def test_mark_all_as_read_only_up_to_ts(alice, library):
    old, new = library.local_articles[1], library.local_articles[0]
    now = timezone.now()
    type(old).objects.filter(pk=old.pk).update(fetched_at=now - timedelta(days=2))
    type(new).objects.filter(pk=new.pk).update(fetched_at=now)
    ts = int((now - timedelta(days=1)).timestamp() * 1_000_000)
    alice.post(API + "mark-all-as-read", {"s": "user/-/state/com.google/reading-list", "ts": str(ts)})
    assert old.pk in read_ids(alice)
    assert new.pk not in read_ids(alice)


def test_one_users_states_never_reach_another(alice, bob, library):
    a, b, _ = library.world_articles
    bob.post(API + "edit-tag", {"i": a.pk, "a": READ})
    bob.post(API + "edit-tag", {"i": b.pk, "a": STARRED})
    bob.post(API + "mark-all-as-read", {"s": f"feed/{library.local.pk}"})
    assert read_ids(alice) == set()
    assert starred_ids(alice) == set()
    assert reading_state.unread_count(alice.profile) == 5
    ids = [int(r["id"]) for r in alice.get(API + "stream/items/ids", {"s": STARRED}).json()["itemRefs"]]
    assert ids == []
    [item] = alice.get(API + "stream/items/contents", {"i": a.pk}).json()["items"]
    assert "user/-/state/com.google/read" not in item["categories"]
    assert bob.get(API + "subscription/list").json()["subscriptions"] == []  # alice's follows are hers


def test_quickadd_follows_an_existing_source_without_adding_one(alice, library, settings):
    settings.MAX_SOURCES_PER_READER = 0
    response = alice.post(API + "subscription/quickadd", {"quickadd": library.other.url})
    assert response.status_code == 200
    assert response.json()["streamId"] == f"feed/{library.other.pk}"
    assert follow_state(alice.profile, library.other) == "follow"


def test_quickadd_adds_a_new_source_within_the_readers_quota(
    alice, library, settings, django_capture_on_commit_callbacks
):
    settings.MAX_SOURCES_PER_READER = 1
    with django_capture_on_commit_callbacks():
        added = alice.post(API + "subscription/quickadd", {"quickadd": "https://brand-new.example.org/feed"})
    assert added.status_code == 200
    source = Source.objects.get(url="https://brand-new.example.org/feed")
    assert source.added_by == alice.user
    assert follow_state(alice.profile, source) == "follow"
    with django_capture_on_commit_callbacks():
        refused = alice.post(API + "subscription/quickadd", {"quickadd": "https://another.example.org/feed"})
    assert refused.status_code == 403
    assert "You cannot add a source" in refused.content.decode()
    assert not Source.objects.filter(url="https://another.example.org/feed").exists()


def test_subscription_edit_subscribe_and_unsubscribe(alice, library):
    assert (
        alice.post(API + "subscription/edit", {"ac": "unsubscribe", "s": f"feed/{library.local.pk}"}).status_code == 200
    )
    assert follow_state(alice.profile, library.local) is None
    alice.post(API + "subscription/edit", {"ac": "subscribe", "s": f"feed/{library.local.url}"})
    assert follow_state(alice.profile, library.local) == "follow"


def test_moving_a_source_to_a_folder_needs_the_right_to_change_it(alice, library):
    move = {"ac": "edit", "s": f"feed/{library.local.pk}", "a": "user/-/label/Home"}
    refused = alice.post(API + "subscription/edit", move)
    assert refused.status_code == 403
    library.local.added_by = alice.user
    library.local.save()
    assert alice.post(API + "subscription/edit", move).status_code == 200
    library.local.refresh_from_db()
    assert library.local.folder == "Home"
    alice.post(API + "subscription/edit", {"ac": "edit", "s": f"feed/{library.local.pk}", "r": "user/-/label/Home"})
    library.local.refresh_from_db()
    assert library.local.folder == ""


def test_a_source_not_followed_is_still_readable_by_id(alice, library):
    ids = alice.get(API + "stream/items/ids", {"s": f"feed/{library.other.pk}"}).json()["itemRefs"]
    assert [int(r["id"]) for r in ids] == [a.pk for a in library.other_articles]
