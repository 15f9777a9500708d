"""/api/me/*: authentication, follows and the personal feed."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.accounts.models import ApiToken
from tidings.personalization.models import Follow
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db

FOLLOWS = "/api/me/follows"


def follow(client, persona, **payload):
    return client.post(FOLLOWS, payload, content_type="application/json", headers=persona.headers)


def stored_follows():
    """Every Follow row as (username, action, kind, target id), to compare the whole stored state."""
    rows = Follow.objects.values_list("profile__user__username", "action", "category_id", "topic_id", "source_id")
    return {
        (user, action, kind, target)
        for user, action, *targets in rows
        for kind, target in zip(("category", "topic", "source"), targets, strict=True)
        if target is not None
    }


def test_follows_without_token_is_401_with_message(client):
    response = client.get(FOLLOWS)
    assert response.status_code == 401
    assert "authentication required" in response.json()["detail"]


def test_follows_with_unknown_token_is_401(client, reader):
    response = client.get(FOLLOWS, headers={"Authorization": "Bearer tid_forged"})
    assert response.status_code == 401


def test_follows_with_good_token_is_200(client, reader):
    response = client.get(FOLLOWS, headers=reader.headers)
    assert response.status_code == 200
    assert response.json() == []


def test_token_of_inactive_user_is_401(client, reader):
    reader.user.is_active = False
    reader.user.save()
    assert client.get(FOLLOWS, headers=reader.headers).status_code == 401


def test_using_a_token_records_last_used_at(client, reader):
    client.get(FOLLOWS, headers=reader.headers)
    assert ApiToken.objects.get(user=reader.user).last_used_at is not None


def test_signed_in_session_is_accepted(client):
    user = UserFactory()
    set_follow(profile_for_user(user), SourceFactory(slug="session-source"))
    client.force_login(user)
    response = client.get(FOLLOWS)
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()] == ["session-source"]


def test_token_of_one_user_never_sees_another_users_follows(client, reader, outsider):
    set_follow(profile_for_user(outsider.user), SourceFactory(slug="outsiders-source"))
    mine = SourceFactory(slug="readers-source")
    set_follow(profile_for_user(reader.user), mine)
    body = client.get(FOLLOWS, headers=reader.headers).json()
    assert [item["slug"] for item in body] == ["readers-source"]


def test_follow_topic_by_slug(client, reader):
    topic = TopicFactory(name="Harbour Bridge")
    response = follow(client, reader, kind="topic", slug=topic.slug)
    assert response.status_code == 200
    assert response.json()["id"] == topic.pk
    assert stored_follows() == {("reader", "follow", "topic", topic.pk)}


def test_follow_source_by_id(client, reader):
    source = SourceFactory()
    response = follow(client, reader, kind="source", id=source.pk)
    assert response.status_code == 200
    assert response.json()["kind"] == "source"
    assert stored_follows() == {("reader", "follow", "source", source.pk)}


def test_follow_category_by_qcode(client, reader):
    category = CategoryFactory(qcode="medtop:15000000", slug="sport")
    response = follow(client, reader, kind="category", slug="medtop:15000000")
    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["id"]) == ("category", category.pk)
    assert stored_follows() == {("reader", "follow", "category", category.pk)}


def test_mute_replaces_follow(client, reader):
    topic = TopicFactory()
    follow(client, reader, kind="topic", id=topic.pk)
    response = follow(client, reader, kind="topic", id=topic.pk, action="mute")
    assert response.status_code == 200
    assert response.json()["action"] == "mute"
    assert stored_follows() == {("reader", "mute", "topic", topic.pk)}


def test_follow_unknown_target_is_400_with_message(client, reader):
    response = follow(client, reader, kind="topic", slug="no-such-topic")
    assert response.status_code == 400
    assert response.json() == {"detail": "no topic 'no-such-topic'"}
    assert not Follow.objects.exists()


def test_follow_without_id_or_slug_is_400(client, reader):
    TopicFactory()
    response = follow(client, reader, kind="topic")
    assert response.status_code == 400
    assert "id or the slug" in response.json()["detail"]
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{"kind": "planet", "id": 1}, {"kind": "topic", "id": 1, "action": "adore"}, {"kind": "topic", "id": 0}],
)
def test_follow_with_bad_fields_is_422(client, reader, payload):
    TopicFactory(pk=1)
    response = follow(client, reader, **payload)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not Follow.objects.exists()


def test_delete_follow_by_slug(client, reader):
    source = SourceFactory(slug="gazette")
    set_follow(profile_for_user(reader.user), source)
    response = client.delete(f"{FOLLOWS}/source/gazette", headers=reader.headers)
    assert response.status_code == 204
    assert not Follow.objects.exists()


def test_delete_what_is_not_followed_is_404(client, reader):
    SourceFactory(slug="gazette")
    response = client.delete(f"{FOLLOWS}/source/gazette", headers=reader.headers)
    assert response.status_code == 404
    assert "neither follow nor mute" in response.json()["detail"]


def test_delete_leaves_another_users_follow(client, reader, outsider):
    source = SourceFactory(slug="gazette")
    set_follow(profile_for_user(outsider.user), source)
    response = client.delete(f"{FOLLOWS}/source/gazette", headers=reader.headers)
    assert response.status_code == 404
    assert Follow.objects.filter(profile__user=outsider.user).exists()


@pytest.mark.parametrize("path", ["planet/1", "topic/99999999999999999999999", "topic/²"])
def test_delete_with_bad_kind_or_key_is_4xx(client, reader, path):
    topic = TopicFactory()
    set_follow(profile_for_user(reader.user), topic)
    response = client.delete(f"{FOLLOWS}/{path}", headers=reader.headers)
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    assert stored_follows() == {("reader", "follow", "topic", topic.pk)}


def test_feed_needs_authentication(client):
    assert client.get("/api/me/feed").status_code == 401


def test_feed_of_profile_that_follows_nothing_is_empty(client, reader):
    ArticleFactory()
    assert client.get("/api/me/feed", headers=reader.headers).json() == {"items": [], "count": 0, "next": None}


def test_feed_has_followed_topics_articles(client, reader):
    topic = TopicFactory()
    ArticleTopicFactory(topic=topic, article__headline="About the topic")
    ArticleFactory(headline="Unrelated")
    set_follow(profile_for_user(reader.user), topic)
    items = client.get("/api/me/feed", headers=reader.headers).json()["items"]
    assert [item["headline"] for item in items] == ["About the topic"]


def test_feed_hides_muted_category(client, reader):
    source = SourceFactory()
    sport = CategoryFactory(slug="sport")
    ArticleFactory(source=source, headline="Council news")
    ArticleCategoryFactory(article__source=source, article__headline="Football", category=sport)
    profile = profile_for_user(reader.user)
    set_follow(profile, source)
    set_follow(profile, sport, "mute")
    items = client.get("/api/me/feed", headers=reader.headers).json()["items"]
    assert [item["headline"] for item in items] == ["Council news"]


def test_feed_uses_the_existing_profile(client, reader):
    existing = ProfileFactory(user=UserFactory(username="has-profile"))
    topic = TopicFactory()
    ArticleTopicFactory(topic=topic)
    set_follow(existing, topic)
    _, raw = ApiToken.issue(existing.user)
    body = client.get("/api/me/feed", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["count"] == 1


def test_session_write_without_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    topic = TopicFactory()
    response = browser.post(FOLLOWS, {"kind": "topic", "id": topic.pk}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF check Failed"}
    assert not Follow.objects.exists()


def test_bearer_write_needs_no_csrf_token(reader):
    api_client = Client(enforce_csrf_checks=True)
    topic = TopicFactory()
    response = api_client.post(
        FOLLOWS, {"kind": "topic", "id": topic.pk}, content_type="application/json", headers=reader.headers
    )
    assert response.status_code == 200
    assert stored_follows() == {("reader", "follow", "topic", topic.pk)}
