"""/api/me: a follow's weight (GET, PUT) and unmuting (DELETE /api/me/mutes/...)."""

from __future__ import annotations

import pytest

from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import TopicFactory
from tidings.personalization.models import Follow
from tidings.personalization.services import profile_for_user, set_follow

pytestmark = pytest.mark.django_db

FOLLOWS = "/api/me/follows"


def put_weight(client, persona, path, weight):
    return client.put(
        f"{FOLLOWS}/{path}/weight", {"weight": weight}, content_type="application/json", headers=persona.headers
    )


def test_list_and_get_show_the_weight(client, reader):
    source = SourceFactory(slug="gazette")
    set_follow(profile_for_user(reader.user), source)
    assert client.get(FOLLOWS, headers=reader.headers).json()[0]["weight"] == "normal"
    response = put_weight(client, reader, "source/gazette", "more")
    assert response.status_code == 200
    assert response.json()["weight"] == "more"
    one = client.get(f"{FOLLOWS}/source/gazette", headers=reader.headers)
    assert (one.status_code, one.json()["weight"], one.json()["action"]) == (200, "more", "follow")
    assert Follow.objects.get().weight == 1


def test_weight_of_what_is_not_followed_is_404(client, reader, outsider):
    topic = TopicFactory(slug="gaza")
    set_follow(profile_for_user(outsider.user), topic)
    response = put_weight(client, reader, "topic/gaza", "less")
    assert response.status_code == 404
    assert "do not follow" in response.json()["detail"]
    assert client.get(f"{FOLLOWS}/topic/gaza", headers=reader.headers).status_code == 404
    assert Follow.objects.get().weight == 0


def test_weight_of_a_mute_is_400(client, reader):
    topic = TopicFactory(slug="gaza")
    set_follow(profile_for_user(reader.user), topic, "mute")
    response = put_weight(client, reader, "topic/gaza", "more")
    assert response.status_code == 400
    assert "you do not follow" in response.json()["detail"]


@pytest.mark.parametrize("weight", ["lots", 2, None])
def test_bad_weight_is_422(client, reader, weight):
    topic = TopicFactory(slug="gaza")
    set_follow(profile_for_user(reader.user), topic)
    assert put_weight(client, reader, "topic/gaza", weight).status_code == 422
    assert Follow.objects.get().weight == 0


def test_weight_needs_authentication(client):
    TopicFactory(slug="gaza")
    response = client.put(f"{FOLLOWS}/topic/gaza/weight", {"weight": "more"}, content_type="application/json")
    assert response.status_code in (401, 403)


def test_unmute_deletes_a_mute_only(client, reader):
    muted, followed = TopicFactory(slug="muted"), TopicFactory(slug="followed")
    profile = profile_for_user(reader.user)
    set_follow(profile, muted, "mute")
    set_follow(profile, followed)
    assert client.delete("/api/me/mutes/topic/muted", headers=reader.headers).status_code == 204
    response = client.delete("/api/me/mutes/topic/followed", headers=reader.headers)
    assert response.status_code == 404
    assert "do not mute" in response.json()["detail"]
    assert list(Follow.objects.values_list("topic__slug", "action")) == [("followed", "follow")]
