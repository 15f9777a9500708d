"""A card's menu (web/partials/card_actions.html), rendered once per shape and then filled in, as web.follow_stamps
does for the follow button: the menu is half of a card's template time (three feedback forms, a read form, two
mute buttons), and a list page shows twenty or more cards.

A shape is (read or not, the source's and the first topic's follow state, whether the card has a topic, whether
the page gives a next_url, whether there is a CSRF token). Its stamp is the partial rendered with placeholder
values for the article's id, the source's and topic's id, name and slug, the page's path, its next_url and the
CSRF token, split at the placeholders; a menu is the stamp's fixed parts joined with the real values, escaped as
the template escapes them. The result is the template's output for that card (tests/web/test_card_stamps.py
checks it against rendering the partial). Under DEBUG, and for a context without a request, the partial is
rendered each time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape

from tidings.personalization.models import FollowAction
from tidings.web.stamps import Slots, Stamp
from tidings.web.stamps import fill as fill_stamp

TEMPLATE = "web/partials/card_actions.html"
# Digits, so that the URLs reverse with them; long and distinct, so that no real text holds them by chance.
_ARTICLE_PK, _SOURCE_PK, _TOPIC_PK = 3805117433961, 4805117433961, 5805117433961
_SLOTS = Slots(
    {
        "article": str(_ARTICLE_PK),
        "source_pk": str(_SOURCE_PK),
        "topic_pk": str(_TOPIC_PK),
        "source_name": "\x00source-name\x00",
        "source_slug": "\x00source-slug\x00",
        "topic_name": "\x00topic-name\x00",
        "topic_slug": "\x00topic-slug\x00",
        "path": "\x00path\x00",
        "next": "\x00next\x00",
        "csrf": "\x00csrf\x00",
    }
)


@dataclass(frozen=True, slots=True)
class _Target:
    pk: int
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class _Article:
    pk: int = _ARTICLE_PK
    source: _Target = _Target(_SOURCE_PK, _SLOTS.text["source_name"], _SLOTS.text["source_slug"])


@dataclass(frozen=True, slots=True)
class _Card:
    article: _Article = _Article()
    topics: tuple[_Target, ...] = ()


@dataclass(frozen=True, slots=True)
class _States:
    read: frozenset[int] = field(default_factory=frozenset)


class _Request:
    """What the partial asks of the request: its path (the forms' next)."""

    def get_full_path(self) -> str:
        return _SLOTS.text["path"]


def _state(value: object) -> str | None:
    return str(value) if value in (FollowAction.FOLLOW, FollowAction.MUTE) else None


@functools.lru_cache(maxsize=256)
def _stamp(
    read: bool,
    source_state: str | None,
    topic_state: str | None,
    has_topic: bool,
    next_given: bool,
    with_csrf: bool,
    prefix: str,
    urlconf: str,
) -> Stamp:
    """The partial for this shape, split at its placeholders."""
    topics = (_Target(_TOPIC_PK, _SLOTS.text["topic_name"], _SLOTS.text["topic_slug"]),) if has_topic else ()
    context = {
        "card": _Card(topics=topics),
        "card_states": _States(read=frozenset({_ARTICLE_PK}) if read else frozenset()),
        "follow_states": {"source": {_SOURCE_PK: source_state}, "topic": {_TOPIC_PK: topic_state}},
        "request": _Request(),
        "next_url": _SLOTS.text["next"] if next_given else "",
        "csrf_token": _SLOTS.text["csrf"] if with_csrf else None,
    }
    return _SLOTS.stamp(get_template(TEMPLATE).render(context))


def card_actions_html(context: Any) -> str:
    """The card's menu for the card in `context` (a template context), as the partial renders it there."""
    request = context.get("request")
    if settings.DEBUG or request is None:  # DEBUG: a template edit shows at once
        return context.template.engine.get_template(TEMPLATE).render(context)
    card = context["card"]
    article, topic = card.article, next(iter(card.topics), None)
    follow = context.get("follow_states") or {}
    states = context.get("card_states")
    next_url = context.get("next_url")
    token = context.get("csrf_token")
    token = str(token) if token else ""
    with_csrf = bool(token) and token != "NOTPROVIDED"  # noqa: S105 (Django's marker for "no token here")
    source = article.source
    read = states.get("read") if isinstance(states, dict) else getattr(states, "read", None)
    stamp = _stamp(
        article.pk in (read or ()),
        _state(follow.get("source", {}).get(source.pk)),
        _state(follow.get("topic", {}).get(topic.pk)) if topic is not None else None,
        topic is not None,
        bool(next_url),
        with_csrf,
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    fill = {
        "article": escape(article.pk),
        "source_pk": escape(source.pk),
        "source_name": escape(source.name),
        "source_slug": escape(source.slug),
        "topic_pk": escape(topic.pk) if topic is not None else "",
        "topic_name": escape(topic.name) if topic is not None else "",
        "topic_slug": escape(topic.slug) if topic is not None else "",
        "path": escape(request.get_full_path()),
        "next": escape(next_url) if next_url else "",
        "csrf": escape(token),
    }
    return fill_stamp(stamp, fill)


def reset() -> None:
    """Forget the stamps (tests that change the template or the URLconf)."""
    _stamp.cache_clear()
