"""An outsider's probes of the hardening (issue 11): no feed address or IP on any public answer, error pages
with the security headers and no internals, no open redirect after sign-in, sign-in throttling that a
username's spelling does not get around and that does not tell whether an account exists."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.sources.personas import RESOLVED_IP, SECRET_FEED_URL, persona, private_source
from tests.taxonomy.factories import CategoryFactory
from tidings.sources.models import OpmlImport

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SECRET = "s3cr3t-feed-token"


def test_no_public_page_or_api_answer_shows_a_feed_address_or_ip(client):
    source = private_source(persona("owner").user)
    article = ArticleFactory(source=source, headline="Ledger story")
    other = persona("other")
    paths = [
        "/",
        "/sources/",
        source.get_absolute_url(),
        article.get_absolute_url(),
        "/search/?q=Ledger",
        "/api/sources",
        f"/api/sources/{source.pk}/health",
        "/api/articles",
        f"/api/articles/{article.pk}",
        "/api/articles?q=Ledger",
    ]
    for headers in ({}, other.headers):
        for path in paths:
            response = client.get(path, headers=headers)
            body = response.content.decode()
            assert response.status_code == 200, path
            assert SECRET not in body and RESOLVED_IP not in body, (path, headers)
    feed = client.get("/api/me/feed", headers=other.headers).content.decode()
    assert SECRET not in feed and RESOLVED_IP not in feed


def test_another_readers_import_page_is_not_found(client):
    job = OpmlImport.objects.create(user=UserFactory(username="importer"), file_name="mine.opml")
    client.force_login(UserFactory(username="snoop"))
    assert client.get(job.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(job.get_absolute_url()).status_code == 302  # to sign-in


@pytest.mark.parametrize("path", ["/", "/no-such-page/", "/api/articles", "/api/no-such-route", "/accounts/signin/"])
def test_pages_and_errors_carry_the_security_headers(client, settings, path):
    settings.DEBUG = False
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_static_files_carry_the_policy(client, settings):
    settings.DEBUG = False
    response = client.get("/static/web/tidings.css")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/api/sources"])
def test_server_error_pages_show_no_internals_and_carry_the_headers(settings, monkeypatch, path):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise RuntimeError(f"failed for https://private.example.org/feed?token={SECRET} at {RESOLVED_IP}")

    monkeypatch.setattr("tidings.web.views.front.render", broken)
    monkeypatch.setattr("tidings.api.sources.request_reader", broken)
    response = Client(raise_request_exception=False).get(path)
    body = response.content.decode()
    assert response.status_code == 500
    assert SECRET not in body and RESOLVED_IP not in body and "RuntimeError" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)"],
)
def test_sign_in_never_redirects_off_site(client, next_url):
    UserFactory(username="ada")
    response = client.post(f"/accounts/signin/?next={next_url}", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my/"


def test_sign_out_by_get_is_refused(client):
    client.force_login(UserFactory(username="ada"))
    assert client.get("/accounts/signout/").status_code == 405
    assert "_auth_user_id" in client.session


def test_spelling_variants_of_a_username_count_against_the_same_account(client, settings):
    """Spaces around it and compatibility forms (full-width letters, no-break space) are the same account."""
    settings.SIGNIN_MAX_FAILURES = 100
    settings.SIGNIN_MAX_ACCOUNT_FAILURES = 4
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    UserFactory(username="Ada")
    for number, spelling in enumerate(["Ada ", " Ada", "Ada\u00a0", "\uff21da"], start=1):
        answer = client.post(
            "/accounts/signin/", {"username": spelling, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{number}"
        )
        assert answer.status_code in (400, 429)
    response = client.post("/accounts/signin/", {"username": "Ada", "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.content.decode()


def test_lockout_answer_is_the_same_for_an_account_that_does_not_exist(client, settings):
    settings.SIGNIN_MAX_FAILURES = 100
    settings.SIGNIN_MAX_ACCOUNT_FAILURES = 3
    UserFactory(username="real")
    answers = []
    for username in ("real", "ghost"):
        for number in range(4):
            response = client.post(
                "/accounts/signin/", {"username": username, "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{number}"
            )
        answers.append((response.status_code, response.content.decode().replace(username, "NAME")))
    assert answers[0][0] == 429
    assert answers[0] == answers[1]


@pytest.mark.parametrize("key", ["a\x00b", "\u00b2", "\u0663", "9" * 30, "x" * 300])
@pytest.mark.parametrize("kind", ["category", "topic", "source"])
def test_follow_with_a_key_no_database_can_hold_is_not_found(client, kind, key):
    """NUL (PostgreSQL refuses it), digits that int() refuses and huge ids: a 404, never a 500."""
    response = Client(raise_request_exception=False).post(f"/follow/{kind}/{quote(key)}/")
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get_health", "patch"])
def test_source_key_with_nul_is_a_json_422_not_a_500(client, method):
    reader = persona("reader")
    if method == "patch":
        response = client.patch(
            "/api/sources/a%00b", {"full_text": "always"}, content_type="application/json", headers=reader.headers
        )
    else:
        response = client.get("/api/sources/a%00b/health")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("source_key:")


def test_a_site_link_that_is_the_tokened_feed_address_is_shown_only_to_those_who_see_the_feed(client):
    """Many feeds give their own address as the channel link; stored as the site, it carried the token."""
    owner = persona("owner")
    source = private_source(owner.user, site_url=SECRET_FEED_URL)
    for headers in ({}, persona("other").headers):
        for path in (source.get_absolute_url(), "/api/sources", f"/api/sources/{source.pk}/health"):
            body = client.get(path, headers=headers).content.decode()
            assert SECRET not in body, (path, headers)
    assert client.get("/api/sources").json()["items"][0]["site_url"] == ""
    assert client.get("/api/sources", headers=owner.headers).json()["items"][0]["site_url"] == SECRET_FEED_URL
    client.force_login(owner.user)
    assert SECRET_FEED_URL in client.get(source.get_absolute_url()).content.decode()


def test_every_session_write_needs_the_csrf_token():
    """A signed-in browser's writes, web and API, are refused (403) without the CSRF token."""
    owner = UserFactory(username="owner")
    source = private_source(owner)
    category = CategoryFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    writes = [
        ("post", f"/follow/category/{category.slug}/", {}),
        ("post", "/accounts/signout/", {}),
        ("post", "/accounts/settings/tokens/", {"name": "x"}),
        ("post", "/accounts/settings/tokens/1/revoke/", {}),
        ("post", "/sources/", {"url": "https://new.example.org/feed"}),
        ("post", f"/source/{source.slug}/full-text/", {"full_text": "always"}),
        ("post", "/sources/import/", {}),
        ("post", "/api/me/follows", {"kind": "category", "slug": category.slug}),
        ("delete", f"/api/me/follows/category/{category.slug}", None),
        ("post", "/api/sources", {"url": "https://new.example.org/feed"}),
        ("patch", f"/api/sources/{source.pk}", {"full_text": "always"}),
        ("post", "/api/sources/import-opml", {}),
    ]
    for method, path, data in writes:
        if path.startswith("/api/") and data is not None:
            response = getattr(client, method)(path, data, content_type="application/json")
        else:
            response = getattr(client, method)(path, data or {})
        assert response.status_code == 403, (method, path, response.status_code)
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_sign_up_and_follow_never_redirect_off_site(client, next_url):
    response = client.post(
        f"/accounts/signup/?next={next_url}",
        {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/my/"
    category = CategoryFactory()
    response = client.post(f"/follow/category/{category.slug}/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == category.get_absolute_url()
