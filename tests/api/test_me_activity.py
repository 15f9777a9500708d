"""/api/me/articles/{id}/state and /api/me/interactions: token auth, states, logging and bad input."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory
from tidings.personalization.models import ArticleState, Interaction

pytestmark = pytest.mark.django_db

INTERACTIONS = "/api/me/interactions"


def state_url(article_id):
    return f"/api/me/articles/{article_id}/state"


def post(client, persona, payload):
    return client.post(INTERACTIONS, payload, content_type="application/json", headers=persona.headers)


def test_state_needs_a_token(client):
    article = ArticleFactory()
    assert client.get(state_url(article.pk)).status_code == 401
    assert (
        client.post(
            INTERACTIONS, {"kind": "open", "article_id": article.pk}, content_type="application/json"
        ).status_code
        == 401
    )


def test_an_untouched_article_is_neither_read_nor_saved(client, reader):
    article = ArticleFactory()
    response = client.get(state_url(article.pk), headers=reader.headers)
    assert response.status_code == 200
    assert response.json() == {
        "article_id": article.pk,
        "read": False,
        "read_at": None,
        "saved": False,
        "saved_at": None,
    }


def test_put_state_marks_read_and_saved_for_this_reader_only(client, reader, outsider):
    article = ArticleFactory()
    response = client.put(
        state_url(article.pk), {"read": True, "saved": True}, content_type="application/json", headers=reader.headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["read"] and body["saved"] and body["read_at"] and body["saved_at"]
    assert list(Interaction.objects.values_list("kind", flat=True)) == ["save"]
    assert client.get(state_url(article.pk), headers=outsider.headers).json()["saved"] is False

    unsaved = client.put(
        state_url(article.pk), {"saved": False}, content_type="application/json", headers=reader.headers
    )
    assert unsaved.json()["saved"] is False and unsaved.json()["read"] is True


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({}, 400, 'give "read", "saved" or both'),
        ({"saved": "perhaps"}, 422, "saved"),
    ],
    ids=["empty", "not-a-boolean"],
)
def test_put_state_refuses_bad_bodies(client, reader, payload, status, message):
    article = ArticleFactory()
    response = client.put(state_url(article.pk), payload, content_type="application/json", headers=reader.headers)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not ArticleState.objects.exists()


def test_state_of_a_missing_article_is_404(client, reader):
    for article_id in (999_999, 2**70):
        response = client.get(state_url(article_id), headers=reader.headers)
        assert response.status_code in (404, 422)
    assert client.get(state_url(999_999), headers=reader.headers).json()["detail"] == "no article 999999"


def test_interactions_are_logged_through_the_same_rules_as_the_pages(client, reader):
    article = ArticleFactory()
    assert post(client, reader, {"kind": "open", "article_id": article.pk}).status_code == 201
    read = post(client, reader, {"kind": "read", "article_id": article.pk, "value": 95})
    bounce = post(client, reader, {"kind": "read", "article_id": ArticleFactory().pk, "value": 1})
    assert read.status_code == 201 and read.json() == {"kind": "read", "article_id": article.pk, "logged": True}
    assert bounce.status_code == 201 and bounce.json()["logged"] is False
    assert post(client, reader, {"kind": "share", "article_id": article.pk}).status_code == 201
    rows = sorted(Interaction.objects.filter(profile__user=reader.user).values_list("kind", "value"))
    assert rows == [("open", 1.0), ("read", 95.0), ("share", 1.0)]
    assert client.get(state_url(article.pk), headers=reader.headers).json()["read"] is True


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"kind": "stare", "article_id": 1}, 400, "cannot be logged here"),
        ({"kind": "hide", "article_id": 1}, 400, "more, less and hide are set from My interests"),
        ({"kind": "read", "article_id": 1}, 400, 'needs "value"'),
        ({"kind": "read", "article_id": 1, "value": -4}, 400, "0 or more"),
        ({"kind": "open", "article_id": 1, "value": 3}, 400, 'only for "read"'),
        ({"kind": "open", "article_id": 999_999}, 404, "no article 999999"),
        ({"kind": "open"}, 422, "article_id"),
        ({"kind": "open", "article_id": "first"}, 422, "article_id"),
    ],
    ids=[
        "unknown-kind",
        "explicit-kind",
        "read-without-value",
        "negative",
        "value-on-open",
        "no-article",
        "missing-id",
        "text-id",
    ],
)
def test_bad_interactions_get_a_clear_4xx_and_store_nothing(client, reader, payload, status, message):
    ArticleFactory(pk=1)
    response = post(client, reader, payload)
    assert response.status_code == status, response.content
    assert message in response.json()["detail"]
    assert not Interaction.objects.exists()
