"""Personas for API tests: a reader with a bearer token, and an outsider with their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.accounts.factories import UserFactory
from tidings.accounts.models import ApiToken


@dataclass(frozen=True)
class Persona:
    user: Any
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_persona(username: str) -> Persona:
    user = UserFactory(username=username)
    _, raw = ApiToken.issue(user)
    return Persona(user=user, token=raw)


@pytest.fixture
def reader(db: None) -> Persona:
    return make_persona("reader")


@pytest.fixture
def outsider(db: None) -> Persona:
    return make_persona("outsider")
