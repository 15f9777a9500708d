"""Personas for the Google Reader API: a reader who follows two sources (one in a folder), and an outsider."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.api.greader.auth import edit_token
from tidings.articles.models import Article
from tidings.personalization.services import profile_for_user, set_follow

PASSWORD = "correct horse battery staple"


@dataclass
class AppUser:
    """A user signed in through ClientLogin, with helpers that send the auth header (and T on writes)."""

    user: Any
    auth: str
    client: Client

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"GoogleLogin auth={self.auth}"}

    def get(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, data or {}, headers=self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None, *, with_token: bool = True) -> Any:
        body = dict(data or {})
        if with_token:
            body["T"] = edit_token(self.auth)
        return self.client.post(path, body, headers=self.headers)

    @property
    def profile(self) -> Any:
        return profile_for_user(self.user)


def sign_in(username: str) -> AppUser:
    user = UserFactory(username=username)
    client = Client()
    response = client.post("/accounts/ClientLogin", {"Email": username, "Passwd": PASSWORD})
    assert response.status_code == 200, response.content
    auth = dict(line.split("=", 1) for line in response.content.decode().splitlines())["Auth"]
    return AppUser(user=user, auth=auth, client=client)


@dataclass
class Library:
    """Two followed sources (the first in folder "World") and one the reader does not follow."""

    world: Any
    local: Any
    other: Any
    world_articles: list[Article]
    local_articles: list[Article]
    other_articles: list[Article]


def articles_of(source: Any, count: int, start: int) -> list[Article]:
    now = timezone.now()
    return [
        ArticleFactory(source=source, published_at=now - timedelta(hours=start + i), headline=f"{source.name} {i}")
        for i in range(count)
    ]


@pytest.fixture
def alice(db: None) -> AppUser:
    return sign_in("alice")


@pytest.fixture
def bob(db: None) -> AppUser:
    return sign_in("bob")


@pytest.fixture
def library(alice: AppUser) -> Library:
    world = SourceFactory(name="World Wire", folder="World")
    local = SourceFactory(name="Town Crier")
    other = SourceFactory(name="Not Followed")
    set_follow(alice.profile, world)
    set_follow(alice.profile, local)
    return Library(
        world=world,
        local=local,
        other=other,
        world_articles=articles_of(world, 3, 0),
        local_articles=articles_of(local, 2, 10),
        other_articles=articles_of(other, 2, 20),
    )
