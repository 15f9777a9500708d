"""Who may change, add and see what of a source: pure rules over values (the edge is sources.access).

- Staff and editors (holders of the `sources.change_source` permission, directly or through a group such as
  "Editors") change every source, add any number and see every feed address.
- A reader changes and sees the feed address of the sources they added, and adds up to a quota of them.
- Everyone else (other readers, anonymous visitors) sees a source's name, site and health, with feed
  addresses and network addresses taken out of its error text: a feed address may carry a private token.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

EDITOR_PERMISSION = "sources.change_source"
HIDDEN = "[hidden]"


@dataclass(frozen=True, slots=True)
class Reader:
    """Who is asking: `user_id` None for an anonymous visitor; `is_editor` for staff and editors."""

    user_id: int | None
    is_editor: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None


ANONYMOUS = Reader(user_id=None)


class AddedBy(Protocol):
    """Anything with the id of the reader who added it (a Source row)."""

    @property
    def added_by_id(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class AddAllowance:
    """How many more sources a reader may add: `left` None means no limit; `refusal` says why not, when 0."""

    left: int | None
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return self.left is None or self.left > 0


def can_change_source(reader: Reader, source: AddedBy) -> bool:
    """Staff and editors change every source; a reader only those they added (operator-added ones have none)."""
    if reader.is_editor:
        return True
    return reader.user_id is not None and source.added_by_id == reader.user_id


def can_see_feed_url(reader: Reader, source: AddedBy) -> bool:
    """The same people who may change a source see its feed address (and its unredacted errors)."""
    return can_change_source(reader, source)


def add_allowance(reader: Reader, *, added: int, limit: int) -> AddAllowance:
    """What `reader`, who has added `added` sources, may still add under a per-reader `limit` (0: none)."""
    if reader.is_editor:
        return AddAllowance(left=None)
    if reader.is_anonymous:
        return AddAllowance(left=0, refusal="sign in to add sources")
    if limit == 0:
        return AddAllowance(left=0, refusal="on this server only staff and editors add sources")
    left = max(limit - added, 0)
    if left == 0:
        return AddAllowance(
            left=0, refusal=f"you have added {added} sources, the limit for one reader on this server is {limit}"
        )
    return AddAllowance(left=left)


# A URL with a scheme, up to whitespace, quotes or angle brackets.
_URL = re.compile(r"""\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'"<>]+""")
# Candidates for IPv4 and IPv6 addresses (checked with ipaddress, so times like 10:30 stay).
_IP_CANDIDATE = re.compile(r"\[?[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*\]?")


def redact_addresses(text: str, *, feed_url: str = "") -> str:
    """`text` without `feed_url`, any other URL or any IP address: what an error may show to everyone."""
    if not text:
        return text
    if feed_url:
        text = text.replace(feed_url, HIDDEN)
    text = _URL.sub(HIDDEN, text)
    return _IP_CANDIDATE.sub(_hide_ip, text)


def shown_site_url(site_url: str, *, feed_url: str) -> str:
    """The site address as shown to those who may not see the feed address: "" when it would give the feed's
    secret away (a feed whose channel link is the feed address itself, or carries its query or credentials)."""
    if not site_url or not feed_url:
        return site_url
    try:
        site, feed = urlsplit(site_url), urlsplit(feed_url)
        has_credentials = bool(site.username or site.password)
    except ValueError:
        return ""
    if has_credentials or site_url.rstrip("/") == feed_url.rstrip("/"):
        return ""
    if feed.query and feed.query in site.query:
        return ""
    return site_url


def _hide_ip(match: re.Match[str]) -> str:
    candidate = match.group(0)
    trailing = candidate[len(candidate.rstrip(".")) :]  # a full stop ending the sentence stays
    core = candidate.rstrip(".").strip("[]")
    for address in (core, core.rsplit(":", 1)[0]):  # the second drops a port: 10.0.0.5:8080
        try:
            ipaddress.ip_address(address)
        except ValueError:
            continue
        return HIDDEN + trailing
    return candidate
