"""Template helpers for the web UI: the follow button (web.follow_stamps), a card's menu (web.card_stamps), a page
of cards (web.card_cache), short relative times, and the link guard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from tidings.lib.fast_reverse import fast_reverse
from tidings.lib.urls import safe_http_url
from tidings.web import card_cache
from tidings.web.ago import ago as ago_text
from tidings.web.card_stamps import card_actions_html
from tidings.web.follow_stamps import FOLLOW_VARIANTS, follow_button_context, follow_button_html

register = template.Library()
# The follow button's values live in web.follow_stamps; still importable from here.
__all__ = ["FOLLOW_VARIANTS", "follow_button_context", "register"]


@register.simple_tag(takes_context=True)
def follow_button(context: template.Context, kind: str, target: Any, variant: str = "chip") -> str:
    """{% follow_button "category" category %}: state from the page's `follow_states` (one query per page); the
    partial web/partials/follow_button.html, filled in from a stamp of its shape (web.follow_stamps)."""
    if context.get(card_cache.STAMPING):  # a card's shared part: the reader's button goes in later
        return card_cache.slot(f"follow_{kind}")
    states = context.get("follow_states") or {}
    request = context.get("request")
    next_url = request.get_full_path() if request is not None else "/"
    return follow_button_html(
        kind, target, states.get(kind, {}).get(target.pk), next_url, context.get("csrf_token"), variant
    )


@register.simple_tag(takes_context=True)
def card_actions(context: template.Context) -> str:
    """{% card_actions %}: the card's menu, web/partials/card_actions.html filled in from a stamp of its shape
    (web.card_stamps)."""
    if context.get(card_cache.STAMPING):
        return card_cache.slot("actions")
    return card_actions_html(context)


@register.simple_tag(takes_context=True)
def article_cards(context: template.Context, cards: Any, lead_first: bool = False) -> str:
    """{% article_cards cards %}: web/partials/article_card.html for each card (lead=True for the first with
    lead_first=True), the parts shared by every reader from the cards cache (web.card_cache)."""
    return card_cache.cards_html(context, list(cards), lead_first)


@register.simple_tag(takes_context=True)
def card_ago(context: template.Context, value: datetime | None) -> str:
    """{% card_ago a.published_at %}: the ago filter's text, left as a slot in a card's shared part."""
    if context.get(card_cache.STAMPING):
        return card_cache.slot("ago")
    return ago_text(value)


@register.simple_tag
def link(viewname: str, *args: int | str) -> str:
    """{% link 'web:article_read' a.pk %}: {% url %} for the links repeated on every card (lib.fast_reverse)."""
    return fast_reverse(viewname, *args)


@register.filter
def ago(value: datetime | None) -> str:
    """'3 hours ago'; 'just now' under a minute; '' for no date (web.ago)."""
    return ago_text(value)


@register.filter
def safe_url(value: object) -> str:
    """{{ article.url|safe_url }}: the stored link if it is an absolute http(s) URL, else "" (lib.urls).

    The second line behind the checks at storage: every href/src that renders a stored URL goes through it.
    """
    return safe_http_url(value)


@register.filter
def claim_class(kind: object) -> str:
    """{{ claim.kind|claim_class }}: the CSS class of a claim kind ("call to action" → "claim-call-to-action")."""
    from tidings.stories.ledger import kind_class

    return kind_class(str(kind or ""))


@register.simple_tag(takes_context=True)
def reader_theme(context: template.Context) -> str:
    """{% reader_theme as theme %}: "light", "dark" or "system", from the theme cookie (web.theme)."""
    from tidings.web.theme import theme_from_cookies

    request = context.get("request")
    return theme_from_cookies(request.COOKIES) if request is not None else "system"
