"""The Fever API: app passwords, groups and feeds from follows and folders, items, read and saved marks."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.accounts.models import ApiToken
from tidings.accounts.tokens import tokens_of
from tidings.api.fever.keys import FEVER_TOKEN_NAME, fever_key, issue_fever_password
from tidings.api.fever.views import group_id
from tidings.personalization import reading_state
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db


class FeverApp:
    def __init__(self, user, password: str) -> None:
        self.user = user
        self.key = fever_key(user.username, password)
        self.client = Client()

    def call(self, *selectors: str, **form: object):
        query = "&".join(["api", *selectors])
        response = self.client.post(f"/fever/?{query}", {"api_key": self.key, **form})
        assert response.status_code == 200
        return response.json()

    @property
    def profile(self):
        return profile_for_user(self.user)


@pytest.fixture
def alice():
    user = UserFactory(username="alice")
    return FeverApp(user, issue_fever_password(user))


@pytest.fixture
def shelf(alice):
    world = SourceFactory(name="World Wire", folder="World")
    local = SourceFactory(name="Town Crier")
    set_follow(alice.profile, world)
    set_follow(alice.profile, local)
    now = timezone.now()
    world_articles = [ArticleFactory(source=world, published_at=now - timedelta(hours=i)) for i in range(3)]
    local_articles = [ArticleFactory(source=local, published_at=now - timedelta(days=2, hours=i)) for i in range(2)]
    ArticleFactory(source=SourceFactory(name="Not followed"))
    return world, local, world_articles, local_articles


def test_right_key_is_auth_1_and_wrong_or_missing_key_is_auth_0(alice):
    assert alice.call()["auth"] == 1
    assert Client().post("/fever/?api", {"api_key": fever_key("alice", "guess")}).json() == {
        "api_version": 3,
        "auth": 0,
    }
    assert Client().post("/fever/?api").json()["auth"] == 0


def test_the_account_password_is_not_a_fever_password(alice):
    assert (
        Client().post("/fever/?api", {"api_key": fever_key("alice", "correct horse battery staple")}).json()["auth"]
        == 0
    )


def test_a_new_fever_password_replaces_the_old_one_and_is_a_listed_token(alice):
    old_key = alice.key
    out = StringIO()
    call_command("create_fever_password", "alice", stdout=out, stderr=StringIO())
    new = FeverApp(alice.user, out.getvalue().strip())
    assert new.call()["auth"] == 1
    assert Client().post("/fever/?api", {"api_key": old_key}).json()["auth"] == 0
    assert [t.name for t in tokens_of(alice.user)] == [FEVER_TOKEN_NAME]
    ApiToken.objects.filter(user=alice.user).delete()
    assert new.call()["auth"] == 0


def test_groups_are_folders_and_feeds_the_followed_sources(alice, shelf):
    world, local, _, _ = shelf
    groups = alice.call("groups")
    assert groups["groups"] == [{"id": group_id("World"), "title": "World"}]
    assert groups["feeds_groups"] == [{"group_id": group_id("World"), "feed_ids": str(world.pk)}]
    feeds = alice.call("feeds")["feeds"]
    assert {f["id"]: f["title"] for f in feeds} == {world.pk: "World Wire", local.pk: "Town Crier"}


def test_items_pages_by_id_with_states(alice, shelf):
    _, _, world_articles, local_articles = shelf
    everyone = sorted(a.pk for a in world_articles + local_articles)
    reading_state.mark_read(alice.profile, [everyone[0]], timezone.now())
    reading_state.star(alice.profile, [everyone[1]], timezone.now())
    first = alice.call("items", since_id="0")
    assert first["total_items"] == 5
    newest_first = [item["id"] for item in first["items"]]
    assert newest_first == everyone[::-1]
    since = alice.call("items", since_id=str(everyone[2]))
    assert [item["id"] for item in since["items"]] == everyone[3:]
    by_ids = {item["id"]: item for item in alice.call("items", with_ids=f"{everyone[0]},{everyone[1]},junk")["items"]}
    assert (by_ids[everyone[0]]["is_read"], by_ids[everyone[0]]["is_saved"]) == (1, 0)
    assert (by_ids[everyone[1]]["is_read"], by_ids[everyone[1]]["is_saved"]) == (0, 1)


def test_unread_and_saved_item_ids(alice, shelf):
    _, _, world_articles, local_articles = shelf
    everyone = sorted(a.pk for a in world_articles + local_articles)
    alice.call(mark="item", **{"as": "read"}, id=str(everyone[0]))
    alice.call(mark="item", **{"as": "saved"}, id=str(everyone[4]))
    assert alice.call("unread_item_ids")["unread_item_ids"] == ",".join(map(str, everyone[1:]))
    assert alice.call("saved_item_ids")["saved_item_ids"] == str(everyone[4])
    alice.call(mark="item", **{"as": "unread"}, id=str(everyone[0]))
    alice.call(mark="item", **{"as": "unsaved"}, id=str(everyone[4]))
    assert alice.call("unread_item_ids")["unread_item_ids"] == ",".join(map(str, everyone))
    assert alice.call("saved_item_ids")["saved_item_ids"] == ""


def test_mark_feed_and_group_read_before_a_time(alice, shelf):
    _, local, _, _ = shelf
    yesterday = int((timezone.now() - timedelta(days=1)).timestamp())
    alice.call(mark="feed", **{"as": "read"}, id=str(local.pk), before=str(yesterday))
    assert reading_state.unread_count(alice.profile) == 3
    alice.call(mark="group", **{"as": "read"}, id=str(group_id("World")), before=str(yesterday))
    assert reading_state.unread_count(alice.profile) == 3  # World's articles are all from today
    alice.call(mark="group", **{"as": "read"}, id=str(group_id("World")))
    assert reading_state.unread_count(alice.profile) == 0


def test_another_users_marks_stay_theirs(alice, shelf):
    _, _, world_articles, _ = shelf
    bob_user = UserFactory(username="bob")
    bob = FeverApp(bob_user, issue_fever_password(bob_user))
    bob.call(mark="item", **{"as": "read"}, id=str(world_articles[0].pk))
    bob.call(mark="group", **{"as": "read"}, id="0")
    assert reading_state.unread_count(alice.profile) == 5
    assert bob.call("feeds")["feeds"] == []


@pytest.mark.parametrize(
    "form",
    [
        {"mark": "item", "as": "read", "id": "-3"},
        {"mark": "item", "as": "exploded", "id": "1"},
        {"mark": "feed", "as": "read", "id": "x", "before": "soon"},
        {"mark": "group", "as": "read", "id": "99999999999999999999999"},
        {"mark": "nonsense"},
    ],
)
def test_junk_marks_change_nothing_and_answer_normally(alice, shelf, form):
    assert alice.call(**form)["auth"] == 1
    assert reading_state.unread_count(alice.profile) == 5


@pytest.mark.parametrize(
    "selector", ["items&since_id=abc", "items&max_id=-1", "items&with_ids=,,x,", "favicons", "links"]
)
def test_junk_read_arguments_answer_normally(alice, shelf, selector):
    assert alice.call(selector)["auth"] == 1


def test_fever_posts_need_no_csrf_cookie(alice):
    response = Client(enforce_csrf_checks=True).post("/fever/?api", {"api_key": alice.key})
    assert response.json()["auth"] == 1
