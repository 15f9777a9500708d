"""The Content-Security-Policy header is on every response: pages, API, admin, errors and the API docs."""

from __future__ import annotations

import pytest

from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize(
    "path", ["/", "/browse/", "/sources/", "/accounts/signin/", "/admin/login/", "/api/articles", "/api/docs", "/nope/"]
)
def test_every_response_carries_the_policy(client, path):
    policy = directives(client.get(path))
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["base-uri"] == "base-uri 'self'" and policy["form-action"] == "form-action 'self'"
    assert "'unsafe-inline'" not in " ".join(policy.values())


def test_article_page_policy_allows_hot_linked_images(client):
    policy = directives(client.get(ArticleFactory().get_absolute_url()))
    assert policy["img-src"] == "img-src 'self' https: http: data:"


def test_api_docs_load_swagger_from_this_site_not_a_cdn(client):
    body = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn." not in body
