"""Personas for who-may-change-what tests: a source's owner, another reader, an editor, staff, anonymous.

The source's feed address carries a private token and its last error a resolved IP address: the two
strings only its owner, staff and editors may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.accounts.factories import UserFactory
from tests.sources.factories import SourceFactory
from tidings.accounts.models import ApiToken
from tidings.sources.access import editors_group
from tidings.sources.fetch_state import pause_reason
from tidings.sources.models import Source

SECRET_FEED_URL = "https://private.example.org/feed.xml?token=s3cr3t-feed-token"
SITE_URL = "https://private.example.org/"
RESOLVED_IP = "10.20.30.40"
STORED_ERROR = f"private.example.org points to a private or reserved address ({RESOLVED_IP}); refusing to fetch it"


@dataclass(frozen=True)
class Persona:
    user: Any
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def persona(username: str, **extra: Any) -> Persona:
    user = UserFactory(username=username, **extra)
    _, raw = ApiToken.issue(user)
    return Persona(user, raw)


def editor_persona(username: str = "editor") -> Persona:
    """A plain (non-staff) account in an "Editors" group holding sources.change_source."""
    found = persona(username)
    found.user.groups.add(editors_group())
    return found


def private_source(owner: Any | None, **extra: Any) -> Source:
    """A failing source whose feed address carries a token, added by `owner` (None: by the operator)."""
    values: dict[str, Any] = {
        "name": "Private Ledger",
        "url": SECRET_FEED_URL,
        "site_url": SITE_URL,
        "last_error": STORED_ERROR,
        "paused_reason": pause_reason(STORED_ERROR),
        "added_by": owner,
    }
    return SourceFactory(**(values | extra))
