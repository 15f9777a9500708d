"""Schemathesis drives every operation of the OpenAPI schema through WSGI: no input may cause a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tests.stories.test_story_claims import claim
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory
from tidings.accounts.models import ApiToken
from tidings.stories.editing import refresh_story
from tidings.stories.models import ArticleStory, Story

pytestmark = pytest.mark.django_db

# Loaded at import (serving the schema touches no database). schemathesis.pytest.from_fixture would be the
# lazy alternative, but schemathesis 4.32 reads pytest's private Function._nodeid, which pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Django's real WSGI handler closes connections after each request, which would end the test's
    transaction on PostgreSQL; the test client disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_headers(db, keep_test_connection):
    """Some data to find, and a signed-in client so /me/* and POST /sources get past authentication."""
    link = ArticleCategoryFactory()
    ArticleTopicFactory(article=link.article)
    SourceFactory()
    story = Story.objects.create(headline=link.article.headline)
    ArticleStory.objects.create(article=link.article, story=story, score=0.0)
    refresh_story(story.pk)
    claim(link.article, 0, "the strikes killed 300 fighters", "the army")  # the story's claims are served too
    claim(link.article, 1, "images show 250 fighters")
    _, raw = ApiToken.issue(UserFactory(username="fuzzer"))
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_no_input_causes_a_server_error(case, fuzz_headers):
    response = case.call(headers=fuzz_headers)
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance],
    )
