"""Two readers, A (alice) and B (bob), each with a row of every kind of personal data: B tries every private route
with A's ids through every way in (browser session, bearer token, Google Reader, Fever). B is refused A's rows,
A's data is byte for byte the same afterwards, and none of A's secrets reaches B's answers.

The routes and what B sends on each are in tests/accounts/isolation_routes.py; a route of the URL conf or an
operation of the API schema in neither PRIVATE nor PUBLIC fails test_every_route_is_sorted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.isolation_routes import PRIVATE, PUBLIC, Probe
from tests.accounts.personal_rows import fill_account, force_login_verified
from tests.articles.factories import ArticleFactory
from tidings.accounts.models import ApiToken, SignedInSession
from tidings.accounts.personal_data import Subject, export_personal_data
from tidings.api.fever.keys import fever_key, issue_fever_password
from tidings.api.greader.auth import edit_token, issue_reader_token
from tidings.api.routes import api as ninja_api
from tidings.feeds.models import FeedToken
from tidings.personalization.models import KeywordMute, Profile
from tidings.searches.models import SavedSearch
from tidings.sources.models import OpmlImport

pytestmark = pytest.mark.django_db
FIXED = datetime(2026, 1, 1, tzinfo=UTC)


def django_routes() -> set[str]:
    """Every route of the URL conf but the API's operations (those are read from its schema)."""

    def walk(patterns: list[Any], prefix: str) -> list[str]:
        found: list[str] = []
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) == "admin/" and not prefix:
                    found.append("admin/")
                    continue
                found += walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and getattr(p.callback, "__module__", "") != "ninja.operation":
                found.append(prefix + str(p.pattern))
        return found

    return set(walk(get_resolver().url_patterns, ""))


def api_operations() -> set[str]:
    paths = ninja_api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


def test_every_route_is_sorted() -> None:
    routes = django_routes() | api_operations()
    assert not set(PRIVATE) & set(PUBLIC), "a route is listed both private and public"
    unsorted = routes - set(PRIVATE) - set(PUBLIC)
    assert not unsorted, f"routes neither in isolation_routes.PRIVATE (with B's probes) nor PUBLIC: {sorted(unsorted)}"
    gone = (set(PRIVATE) | set(PUBLIC)) - routes
    assert not gone, f"listed routes that no longer exist: {sorted(gone)}"
    assert all(PRIVATE.values()), "a private route without probes"


@dataclass
class Readers:
    alice: Any
    bob: Any
    ids: dict[str, Any]  # A's objects, for the probes' placeholders
    secrets: tuple[str, ...]  # A's strings that no answer to B may hold
    clients: dict[str, tuple[Client, dict[str, str]]]  # via → (client, headers)
    greader_auth: str
    fever_key: str


def _private_source(made: dict[str, Any], tag: str) -> None:
    added = made["added"]
    added.url = f"https://{tag}.example.net/secret-feed-{tag}.xml"
    added.site_url = ""
    added.save()


def alice_snapshot(alice: Any) -> str:
    """A's whole export plus what it leaves out (secrets, password, the user row): any change shows."""
    alice = get_user_model().objects.get(pk=alice.pk)
    profile = Profile.objects.filter(user=alice).first()
    document = export_personal_data(Subject(user=alice, profile=profile), now=FIXED)
    document["hidden"] = {
        "user": [alice.password, alice.email, alice.is_active, alice.username],
        "taste": [profile.taste_vector if profile else None],
        "tokens": sorted(ApiToken.objects.filter(user=alice).values_list("key_hash", "name")),
        "feed": sorted(FeedToken.objects.filter(profile__user=alice).values_list("token", flat=True)),
        "searches": sorted(SavedSearch.objects.filter(profile__user=alice).values_list("feed_token", "params")),
        "totp": sorted(TOTPDevice.objects.filter(user=alice).values_list("key", "confirmed")),
        "static": sorted(StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)),
        "sessions": sorted(SignedInSession.objects.filter(user=alice).values_list("session_key", flat=True)),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, sort_keys=True, default=str)


@pytest.fixture
def readers(db: None) -> Readers:
    users = get_user_model()
    alice = users.objects.create_user("alice", "alice@example.org", "correct horse battery staple")
    bob = users.objects.create_user("bob", "bob@example.org", "correct horse battery staple")
    made = fill_account(alice, "alpha")
    _private_source(made, "alpha")
    added_article = ArticleFactory(source=made["added"], headline="news of the source alice added")
    _private_source(fill_account(bob, "bravo"), "bravo")
    alice_fever = issue_fever_password(alice)
    issue_reader_token(alice, "alpha app")
    web = Client()
    force_login_verified(web, bob)
    _, raw = ApiToken.issue(bob, name="token bravo")
    greader = issue_reader_token(bob, "bravo app")
    fever = fever_key("bob", issue_fever_password(bob))
    token = ApiToken.objects.filter(user=alice, name="token alpha").get()
    ids = {
        "article": made["article"].pk,
        "story": made["story"].pk,
        "search": SavedSearch.objects.get(profile__user=alice).pk,
        "mute": KeywordMute.objects.get(profile__user=alice).pk,
        "token": token.pk,
        "session": SignedInSession.objects.get(user=alice).pk,
        "import": OpmlImport.objects.get(user=alice).pk,
        "category": made["category"].slug,
        "muted_source": made["muted"].slug,
        "added": made["added"].slug,
        "added_id": made["added"].pk,
        "added_article": added_article.pk,
        "feedtoken": "feedtoken-alpha",
        "searchtoken": "search-alpha",
    }
    secrets = (
        "royal alpha",
        "search alpha",
        "feedtoken-alpha",
        "search-alpha",
        "token alpha",
        "alpha app",
        "alpha.opml",
        "alice@example.org",
        "secret-feed-alpha",
        token.prefix,
        fever_key("alice", alice_fever)[:8],
    )
    clients = {
        "web": (web, {}),
        "api": (Client(), {"Authorization": f"Bearer {raw}"}),
        "greader": (Client(), {"Authorization": f"GoogleLogin auth={greader}"}),
        "fever": (Client(), {}),
    }
    return Readers(alice, bob, ids, secrets, clients, greader, fever)


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if value in {"{article}", "{story}"} and filled.isdigit() else filled
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def send(readers: Readers, probe: Probe) -> Any:
    client, headers = readers.clients[probe.via]
    path = _fill(probe.path, readers.ids)
    data = _fill(probe.data, readers.ids) or {}
    if probe.via == "greader" and probe.method == "POST":
        data = {**data, "T": edit_token(readers.greader_auth)}
    if probe.via == "fever":
        data = {**data, "api_key": readers.fever_key}
    if probe.json and probe.method != "GET":
        body = json.dumps(data)
        return client.generic(probe.method, path, body, content_type="application/json", headers=headers)
    return getattr(client, probe.method.lower())(path, data, headers=headers)


@pytest.mark.parametrize("route", sorted(PRIVATE))
def test_b_never_sees_nor_changes_a(route: str, readers: Readers) -> None:
    before = alice_snapshot(readers.alice)
    for probe in PRIVATE[route]:
        response = send(readers, probe)
        where = f"{probe.via} {probe.method} {_fill(probe.path, readers.ids)}"
        assert response.status_code in probe.status, f"{where}: {response.status_code} {response.content[:300]!r}"
        signed_out = response.status_code == 401 or "signin" in response.headers.get("Location", "")
        assert not signed_out, f"{where}: B's credentials were refused, so the probe proves nothing"
        body = b"".join(response) if getattr(response, "streaming", False) else response.content
        text = body.decode("utf-8", "replace")
        for secret in (*readers.secrets, *(_fill(s, readers.ids) for s in probe.absent)):
            assert secret not in text, f"{where} shows A's {secret!r}"
        for own in probe.present:
            assert own in text, f"{where} lacks B's own {own!r}: the absence checks would prove nothing"
    assert alice_snapshot(readers.alice) == before, f"B changed A's data through {route}"


def test_the_snapshot_sees_a_change(readers: Readers) -> None:
    """The check above can fail: one change of A's own shows in the snapshot."""
    before = alice_snapshot(readers.alice)
    KeywordMute.objects.filter(pk=readers.ids["mute"]).update(pattern="royal alpha!")
    assert alice_snapshot(readers.alice) != before


def test_a_visitor_without_an_account_gets_nothing_of_a(readers: Readers) -> None:
    """Every probe again, in turn, from one browser signed in nowhere (it gains its own anonymous profile)."""
    anonymous = Client()
    readers.clients = {via: (anonymous, {}) for via in readers.clients}
    readers.fever_key = readers.greader_auth = "none"
    before = alice_snapshot(readers.alice)
    for route, probes in PRIVATE.items():
        for probe in probes:
            response = send(readers, probe)
            body = b"".join(response) if getattr(response, "streaming", False) else response.content
            text = body.decode("utf-8", "replace")
            assert response.status_code < 500, f"{route}: {response.status_code}"
            leaked = [s for s in readers.secrets if s in text]  # (a probe's `absent` is about B's state alone)
            assert not leaked, f"{route} ({probe.method} {probe.path}) shows a visitor A's {leaked}"
    assert alice_snapshot(readers.alice) == before
