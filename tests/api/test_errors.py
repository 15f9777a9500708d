"""The API answers JSON {"detail": ...} for every error: 401, 403, 404, 405, 413 and 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.taxonomy.factories import CategoryFactory
from tidings.api.middleware import error_detail
from tidings.personalization.models import Follow

pytestmark = pytest.mark.django_db

FOLLOWS = "/api/me/follows"


@pytest.fixture
def strict_client() -> Client:
    """A client that enforces CSRF, as a real browser or program meets it."""
    return Client(enforce_csrf_checks=True)


def detail(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()["detail"]


def test_write_without_credentials_is_401_not_a_csrf_403(strict_client):
    response = strict_client.post(FOLLOWS, {"kind": "category", "slug": "x"}, content_type="application/json")
    assert response.status_code == 401
    assert "Authorization: Bearer" in detail(response)


def test_read_without_credentials_is_401(strict_client):
    response = strict_client.get(FOLLOWS)
    assert response.status_code == 401
    assert "sign in" in detail(response)


def test_bad_bearer_token_is_401(strict_client):
    CategoryFactory(slug="x")  # a target that exists, so only the token can stop the write
    response = strict_client.post(
        FOLLOWS, {"kind": "category", "slug": "x"}, content_type="application/json", HTTP_AUTHORIZATION="Bearer nope"
    )
    assert response.status_code == 401
    assert detail(response)
    assert not Follow.objects.exists()


def test_signed_in_write_without_csrf_token_is_still_refused(strict_client):
    CategoryFactory(slug="x")
    strict_client.force_login(UserFactory(username="reader"))
    response = strict_client.post(FOLLOWS, {"kind": "category", "slug": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in detail(response)
    assert not Follow.objects.exists()


def test_signed_in_write_with_csrf_token_works(strict_client):
    category = CategoryFactory(slug="science")
    strict_client.force_login(UserFactory(username="reader"))
    strict_client.get("/")  # sets the CSRF cookie
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post(
        FOLLOWS,
        {"kind": "category", "slug": category.slug, "action": "follow"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    assert list(Follow.objects.values_list("profile__user__username", "action", "category_id")) == [
        ("reader", "follow", category.pk)
    ]


def test_body_over_the_limit_is_413(client, reader, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = json.dumps({"kind": "category", "slug": "x" * 500, "action": "follow"})
    response = client.post(FOLLOWS, body, content_type="application/json", headers=reader.headers)
    assert response.status_code == 413
    assert "larger than the limit" in detail(response)


def test_unknown_path_is_json_404(client):
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert detail(response) == "no API endpoint at /api/no/such/thing"


def test_wrong_method_is_json_405_with_allow_header(client):
    response = client.delete("/api/categories")
    assert response.status_code == 405
    assert detail(response) == "method DELETE is not allowed here; allowed: GET"
    assert response["Allow"] == "GET"


def test_bug_in_a_route_is_json_500_without_traceback(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("tidings.api.taxonomy.listed_article_counts", broken)
    response = client.get("/api/categories")
    assert response.status_code == 500
    assert detail(response) == "internal error; it has been logged"
    assert "secret internals" not in response.content.decode()
    assert "api.unexpected_error" in caplog.text


def test_error_made_outside_ninja_becomes_json(monkeypatch):
    def broken_view(*args, **kwargs):
        raise RuntimeError("outside ninja")

    # The URL resolver's view for /api/ is replaced: the error happens before ninja's handlers.
    from ninja.operation import PathView

    monkeypatch.setattr(PathView, "_sync_view", broken_view)
    response = Client(raise_request_exception=False).get("/api/categories")
    assert response.status_code == 500
    assert detail(response) == "internal server error"


def test_pages_outside_the_api_keep_html_errors(client):
    response = client.get("/no-such-page-here/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_error_detail_names_the_method_and_allowed_ones():
    assert error_detail(405, "PUT", "GET, POST") == "method PUT is not allowed here; allowed: GET, POST"
    assert error_detail(404, "GET", None) == "not found"


def test_too_many_query_parameters_is_json_400_not_500(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = client.get("/api/articles?" + "&".join(f"p{n}=1" for n in range(60)))
    assert response.status_code == 400
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in detail(response)


def test_too_many_form_fields_in_an_opml_upload_is_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    reader = UserFactory(username="uploader")
    client.force_login(reader)
    fields = {f"f{n}": "x" for n in range(10)}
    response = client.post("/api/sources/import-opml", fields)
    assert response.status_code == 400
    assert detail(response).startswith(("bad request", "the upload could not be read"))


def test_error_rewritten_as_json_keeps_the_security_headers(settings):
    """A 400 for a host not allowed is made outside ninja and rewritten as JSON by the middleware."""
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/api/articles", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert detail(response) == "bad request"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
