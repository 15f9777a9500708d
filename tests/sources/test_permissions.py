"""The pure rules of who may change, add and see what of a source (no database)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.sources.permissions import (
    ANONYMOUS,
    HIDDEN,
    Reader,
    add_allowance,
    can_change_source,
    can_see_feed_url,
    redact_addresses,
    shown_site_url,
)


@dataclass(frozen=True)
class Row:
    added_by_id: int | None


OWNER = Reader(user_id=7)
OTHER = Reader(user_id=8)
EDITOR = Reader(user_id=9, is_editor=True)


@pytest.mark.parametrize(
    ("reader", "source", "allowed"),
    [
        (OWNER, Row(7), True),
        (OTHER, Row(7), False),
        (EDITOR, Row(7), True),
        (ANONYMOUS, Row(7), False),
        (OWNER, Row(None), False),  # added by the operator: staff and editors only
        (EDITOR, Row(None), True),
        (ANONYMOUS, Row(None), False),
    ],
)
def test_who_may_change_and_see_the_feed_address(reader, source, allowed):
    assert can_change_source(reader, source) is allowed
    assert can_see_feed_url(reader, source) is allowed


def test_reader_under_the_limit_may_add_the_rest():
    allowance = add_allowance(OWNER, added=3, limit=5)
    assert (allowance.allowed, allowance.left) == (True, 2)


def test_reader_at_the_limit_is_refused_with_the_numbers():
    allowance = add_allowance(OWNER, added=5, limit=5)
    assert not allowance.allowed
    assert allowance.refusal == "you have added 5 sources, the limit for one reader on this server is 5"


def test_limit_zero_leaves_adding_to_staff_and_editors():
    assert add_allowance(OWNER, added=0, limit=0).refusal == "on this server only staff and editors add sources"
    assert add_allowance(EDITOR, added=0, limit=0).allowed


def test_editor_has_no_limit():
    assert add_allowance(EDITOR, added=10_000, limit=5).left is None


def test_anonymous_visitor_may_not_add():
    assert add_allowance(ANONYMOUS, added=0, limit=5).refusal == "sign in to add sources"


def test_redaction_takes_out_the_feed_address_ipv4_and_ipv6():
    text = (
        "'https://x.example/feed?token=abc' failed; x.example points to a private or reserved address "
        "(10.0.0.5); also [fd00::1]:8443 and 192.168.1.9:8080."
    )
    shown = redact_addresses(text, feed_url="https://x.example/feed?token=abc")
    assert shown == (
        f"'{HIDDEN}' failed; x.example points to a private or reserved address ({HIDDEN}); "
        f"also {HIDDEN}:8443 and {HIDDEN}."
    )


def test_redaction_keeps_words_numbers_and_times():
    text = "the server answered 404 Not Found at 10:30 (version 1.5, 3 tries)"
    assert redact_addresses(text) == text


@given(st.ip_addresses(), st.text(alphabet="abc ;()", max_size=20), st.text(alphabet="abc ;()", max_size=20))
def test_no_ip_address_survives_redaction(address, before, after):
    shown = redact_addresses(f"{before} {address} {after}")
    assert str(address) not in shown
    assert not any(_is_ip(token.strip("()[];.")) for token in shown.split())


def _is_ip(token: str) -> bool:
    try:
        ipaddress.ip_address(token)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("site_url", "feed_url", "shown"),
    [
        ("https://example.org/", "https://example.org/feed.xml?token=abc", "https://example.org/"),
        ("https://example.org/feed.xml?token=abc", "https://example.org/feed.xml?token=abc", ""),
        ("https://example.org/feed.xml?token=abc/", "https://example.org/feed.xml?token=abc", ""),
        ("https://example.org/home?token=abc", "https://example.org/feed.xml?token=abc", ""),
        ("https://me:pw@example.org/", "https://example.org/feed.xml", ""),
        ("https://example.org/news", "https://example.org/news/feed", "https://example.org/news"),
        ("https://example.org/", "", "https://example.org/"),
        ("", "https://example.org/feed.xml?token=abc", ""),
    ],
)
def test_site_address_that_gives_the_feed_address_away_is_not_shown(site_url, feed_url, shown):
    assert shown_site_url(site_url, feed_url=feed_url) == shown
