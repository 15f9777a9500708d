"""Every operation of the OpenAPI schema called once with inputs that succeed, as a signed-in token holder: the
answer is a 2xx that matches the schema (status, content type, body). The fuzz test (test_openapi_fuzz) sends
random inputs, which almost never name a row that exists, so its 2xx answers come from the list operations only.

A new operation fails test_every_operation_has_a_success_case until a case for it is added to CASES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.factories import UserFactory
from tests.api.test_openapi_fuzz import keep_test_connection, schema  # noqa: F401 (keep_test_connection: fixture)
from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.stories.test_story_claims import claim
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory
from tidings.accounts.models import ApiToken
from tidings.personalization.models import Follow, FollowAction, KeywordMute, Profile
from tidings.searches.models import SavedSearch
from tidings.stories.editing import refresh_story
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPML = b'<?xml version="1.0"?><opml version="2.0"><body><outline text="A" xmlUrl="https://a.example.org/f.xml"/></body></opml>'


@dataclass(frozen=True)
class Call:
    """Placeholders in values: {article} {story} {category} {topic} {source} {muted} {mute} {search} {user}."""

    path: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] | None = None
    body: Any = None
    media_type: str | None = None


CASES: dict[str, Call] = {
    "GET /api/articles": Call(query={"category": "{category}"}),
    "GET /api/articles/{article_id}": Call(path={"article_id": "{article}"}),
    "GET /api/articles/{article_id}/claims": Call(path={"article_id": "{article}"}),
    "GET /api/stories": Call(),
    "GET /api/stories/{story_id}": Call(path={"story_id": "{story}"}),
    "GET /api/categories": Call(),
    "GET /api/topics": Call(),
    "GET /api/sources": Call(),
    "POST /api/sources": Call(body={"url": "https://fuzz.example.org/feed.xml", "name": "Fuzz News"}),
    "GET /api/sources/export.opml": Call(),
    "GET /api/sources/{source_key}/health": Call(path={"source_key": "{source}"}),
    "POST /api/sources/import-opml": Call(body={"file": OPML}, media_type="multipart/form-data"),
    "PATCH /api/sources/{source_key}": Call(path={"source_key": "{source}"}, body={"full_text": "never"}),
    "GET /api/me/follows": Call(),
    "POST /api/me/follows": Call(body={"kind": "topic", "slug": "{topic}"}),
    "DELETE /api/me/follows/{kind}/{key}": Call(path={"kind": "category", "key": "{category}"}),
    "GET /api/me/follows/{kind}/{key}": Call(path={"kind": "category", "key": "{category}"}),
    "PUT /api/me/follows/{kind}/{key}/weight": Call(
        path={"kind": "category", "key": "{category}"}, body={"weight": "more"}
    ),
    "DELETE /api/me/mutes/{kind}/{key}": Call(path={"kind": "source", "key": "{muted}"}),
    "GET /api/me/feed": Call(),
    "GET /api/me/articles/{article_id}/state": Call(path={"article_id": "{article}"}),
    "PUT /api/me/articles/{article_id}/state": Call(
        path={"article_id": "{article}"}, body={"read": True, "saved": True}
    ),
    "POST /api/me/interactions": Call(body={"kind": "read", "article_id": "{article}", "value": 12.5}),
    "GET /api/me/export": Call(),
    "DELETE /api/me": Call(body={"confirm": "{user}"}),
    "GET /api/me/muted-words": Call(),
    "POST /api/me/muted-words": Call(body={"pattern": "royal visit"}),
    "DELETE /api/me/muted-words/{mute_id}": Call(path={"mute_id": "{mute}"}),
    "GET /api/me/saved-searches": Call(),
    "POST /api/me/saved-searches": Call(body={"name": "strikes", "q": "strikes"}),
    "DELETE /api/me/saved-searches/{saved_id}": Call(path={"saved_id": "{search}"}),
    "GET /api/me/saved-searches/{saved_id}/articles": Call(path={"saved_id": "{search}"}),
}


def test_every_operation_has_a_success_case() -> None:
    operations = {f"{method.upper()} {path}" for path, ops in schema.raw_schema["paths"].items() for method in ops}
    assert operations == set(CASES), f"missing: {operations - set(CASES)}; gone: {set(CASES) - operations}"


@pytest.fixture
def world(db: None, keep_test_connection: None) -> tuple[dict[str, Any], dict[str, str]]:  # noqa: F811
    """The token holder's rows of every kind, and shared data for the public operations."""
    link = ArticleCategoryFactory()
    topic_link = ArticleTopicFactory(article=link.article)
    story = Story.objects.create(headline=link.article.headline)
    ArticleStory.objects.create(article=link.article, story=story, score=0.0)
    refresh_story(story.pk)
    claim(link.article, 0, "the strikes killed 300 fighters", "the army")
    user = UserFactory(username="fuzzer")
    profile, _ = Profile.objects.get_or_create(user=user)
    own = SourceFactory(added_by=user)
    muted = SourceFactory()
    ArticleFactory(source=own)
    Follow.objects.create(profile=profile, category=link.category, weight=1)
    Follow.objects.create(profile=profile, source=muted, action=FollowAction.MUTE)
    _, raw = ApiToken.issue(user)
    ids = {
        "article": link.article.pk,
        "story": story.pk,
        "category": link.category.slug,
        "topic": topic_link.topic.slug,
        "source": own.slug,
        "muted": muted.slug,
        "mute": KeywordMute.objects.create(profile=profile, pattern="royal").pk,
        "search": SavedSearch.objects.create(profile=profile, name="s", params={"q": "strikes"}, feed_token="t1").pk,
        "user": user.username,
    }
    return ids, {"Authorization": f"Bearer {raw}"}


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("operation", sorted(CASES))
def test_a_good_call_succeeds_and_matches_the_schema(operation: str, world: Any) -> None:
    ids, headers = world
    method, path = operation.split(" ", 1)
    call = CASES[operation]
    kwargs: dict[str, Any] = {"path_parameters": _fill(call.path, ids), "query": _fill(call.query, ids)}
    if call.body is not None:
        kwargs["body"] = _fill(call.body, ids)
        kwargs["media_type"] = call.media_type or "application/json"
    case = schema[path][method].Case(**kwargs)
    response = case.call(headers=headers)
    assert 200 <= response.status_code < 300, f"{operation}: {response.status_code} {response.text[:300]}"
    case.validate_response(response, checks=CHECKS)


def test_every_operation_with_a_body_documents_an_unreadable_one() -> None:
    """django-ninja answers 400 "Cannot parse request body" to a body that is not JSON, before the view runs."""
    lacking = [
        f"{method.upper()} {path}"
        for path, ops in schema.raw_schema["paths"].items()
        for method, op in ops.items()
        if "requestBody" in op and "400" not in set(map(str, op["responses"]))
    ]
    assert not lacking, f"operations taking a body but not documenting 400: {lacking}"


def test_an_unreadable_body_is_a_documented_400(world: Any) -> None:
    ids, headers = world
    case = schema["/api/sources/{source_key}"]["PATCH"].Case(
        path_parameters={"source_key": ids["source"]}, body=b"\xff\xfe{", media_type="application/json"
    )
    response = case.call(headers=headers)
    assert response.status_code == 400 and response.json()["detail"] == "Cannot parse request body"
    case.validate_response(response, checks=CHECKS)
