"""Article cards rendered once for every reader (Django's "cards" cache) and filled in per reader: a reader's first
view of a list renders only their own parts of each card.

A card's shared part is web/partials/article_card.html rendered for the card's shape (lead, read, saved, whether
it says why) with placeholders where a reader's own values go: why the list shows it, how long ago it was
published, the follow buttons of its chips and its menu (both already stamped per shape: web.follow_stamps,
web.card_stamps). The rendered text is split at the placeholders (web.stamps) and kept under a key that is a
digest of everything the shared part is made of: every loaded field of the article, its source's and chips'
ids, names and slugs, its story's badge, the shape, the templates' own text and the form of its links, the URL
prefix and URLconf and the time zone. A change to any of them is a new key, so nothing needs invalidating and
an old entry only ages out; nothing a reader owns is in the shared part, so no reader sees another's state. A
page reads its cards in one get_many and writes what it rendered in one set_many.

Rendered each time instead (the partial's own output): under DEBUG (a template edit shows at once), without a
request, with a card note (an undo after feedback), and for a card whose text holds a placeholder.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from tidings.lib.fast_reverse import fast_reverse
from tidings.personalization.reading import CardStates
from tidings.web.ago import ago
from tidings.web.card_stamps import card_actions_html
from tidings.web.follow_stamps import follow_button_html
from tidings.web.stamps import Slots, Stamp
from tidings.web.stamps import fill as fill_stamp

TEMPLATE = "web/partials/article_card.html"
# Every template the card's shared part is rendered from: their text is in the key.
PARTS = (TEMPLATE, "web/partials/card_why.html", "web/partials/card_foot.html", "web/partials/chips.html")
# The links a card's shared part holds, reversed with sample values into the templates' digest.
_LINKS = (
    ("web:article", (1,)),
    ("web:article_read", (1,)),
    ("web:article_save", (1,)),
    ("web:story", (1,)),
    ("web:source", ("s",)),
    ("web:category", ("c",)),
    ("web:topic", ("t",)),
)
CACHE = "cards"
CARD_SECONDS = 6 * 3600  # a card's key changes with its content; this only bounds an unused entry's life
STAMPING = "tidings_card_stamping"  # set in the context the shared part is rendered in (tags return slots)
SLOTS = Slots(
    {
        "why": "\x00card-why\x00",
        "ago": "\x00card-ago\x00",
        "actions": "\x00card-actions\x00",
        "follow_category": "\x00card-follow-category\x00",
        "follow_topic": "\x00card-follow-topic\x00",
    }
)


def slot(name: str) -> str:
    """The placeholder a template tag returns for its part while a card's shared part is rendered."""
    return SLOTS.text[name]


@functools.lru_cache(maxsize=1)
def _templates_digest() -> str:
    """The templates' text and the form of the card's links (a shared cache may outlive a deploy)."""
    sources = [getattr(getattr(get_template(name), "template", None), "source", "") for name in PARTS]
    links = [fast_reverse(name, *args) for name, args in _LINKS]
    return hashlib.blake2b(repr((sources, links)).encode(), digest_size=8).hexdigest()


def _shape(card: Any, lead: bool, states: Any) -> tuple[bool, bool, bool, bool]:
    pk = card.article.pk
    return bool(lead), pk in _ids(states, "read"), pk in _ids(states, "saved"), bool(card.why)


def _ids(states: Any, name: str) -> frozenset[int] | set[int]:
    found = states.get(name) if isinstance(states, Mapping) else getattr(states, name, None)
    return found or frozenset()


def card_key(card: Any, shape: tuple[bool, ...]) -> str:
    """The cache key of the card's shared part in this shape: a digest of all it is rendered from."""
    article = card.article
    deferred = article.get_deferred_fields()
    fields = [
        (f.attname, getattr(article, f.attname)) for f in article._meta.concrete_fields if f.attname not in deferred
    ]
    source = article.source
    parts = (
        _templates_digest(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        timezone.get_current_timezone_name(),
        shape,
        fields,
        (source.pk, source.name, source.slug),
        [(c.pk, c.name, c.slug) for c in card.categories],
        [(t.pk, t.name, t.slug) for t in card.topics],
        dataclasses.astuple(card.story) if card.story is not None else None,
    )
    return "tidings:card:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _render(context: Any, card: Any, lead: bool) -> str:
    """The partial itself, in the page's context, for this card."""
    with context.push(card=card, lead=lead):
        return get_template(TEMPLATE).template.render(context)  # type: ignore[attr-defined,no-any-return]


def _stamp(card: Any, shape: tuple[bool, bool, bool, bool]) -> Stamp | None:
    """The card's shared part in this shape, split at its slots; None when its own text holds a placeholder."""
    lead, read, saved, has_why = shape
    pk = card.article.pk
    values = {
        "card": dataclasses.replace(card, why=slot("why") if has_why else ""),
        "lead": lead,
        "card_states": CardStates(read=frozenset({pk} if read else ()), saved=frozenset({pk} if saved else ())),
        STAMPING: True,
    }
    stamp = SLOTS.stamp(get_template(TEMPLATE).render(values))
    names = stamp[1::2]
    return stamp if len(names) == len(set(names)) else None


def _page_values(context: Any) -> dict[str, Any]:
    """What the reader's own parts of a page's cards are filled in from (the menu's values, the buttons' URL)."""
    menu = {name: context.get(name) for name in ("request", "follow_states", "card_states", "next_url", "csrf_token")}
    return {**menu, "path": menu["request"].get_full_path(), "follow_states": menu["follow_states"] or {}}


def _fill(stamp: Stamp, page: dict[str, Any], card: Any) -> SafeString:
    """The reader's own parts of the card, put into its shared part."""
    follow, next_url, token = page["follow_states"], page["path"], page["csrf_token"]
    values: dict[str, str] = {}
    for name in stamp[1::2]:
        if name == "why":
            values[name] = conditional_escape(card.why)
        elif name == "ago":
            values[name] = conditional_escape(ago(card.article.published_at))
        elif name == "actions":
            values[name] = card_actions_html({**page, "card": card})
        else:
            kind = name.removeprefix("follow_")
            target = (card.categories if kind == "category" else card.topics)[0]
            state = follow.get(kind, {}).get(target.pk)
            values[name] = follow_button_html(kind, target, state, next_url, token, "chip")
    return fill_stamp(stamp, values)


def cards_html(context: Any, cards: Sequence[Any], lead_first: bool = False) -> SafeString:
    """The page's cards, as including web/partials/article_card.html for each (lead=True for the first when
    lead_first) renders them: shared parts from the cache in one read, the misses rendered and written in one."""
    leads = [lead_first and i == 0 for i in range(len(cards))]
    if settings.DEBUG or context.get("request") is None or context.get("note"):
        return mark_safe("".join(_render(context, card, lead) for card, lead in zip(cards, leads, strict=True)))  # noqa: S308
    states = context.get("card_states")
    shapes = [_shape(card, lead, states) for card, lead in zip(cards, leads, strict=True)]
    keys = [card_key(card, shape) for card, shape in zip(cards, shapes, strict=True)]
    store = caches[CACHE if CACHE in settings.CACHES else "default"]
    found: dict[str, Stamp | None] = store.get_many(keys)
    rendered: dict[str, Stamp] = {}
    page = _page_values(context)
    out = []
    for card, lead, shape, key in zip(cards, leads, shapes, keys, strict=True):
        stamp = found.get(key) or rendered.get(key)
        if stamp is None:
            stamp = _stamp(card, shape)
            if stamp is None:  # the card's own text holds a placeholder: the partial, as it is
                out.append(_render(context, card, lead))
                continue
            rendered[key] = stamp
        out.append(_fill(stamp, page, card))
    if rendered:
        store.set_many(rendered, CARD_SECONDS)
    return mark_safe("".join(out))  # noqa: S308


def reset() -> None:
    """Forget the templates' digest (tests that change a template)."""
    _templates_digest.cache_clear()
