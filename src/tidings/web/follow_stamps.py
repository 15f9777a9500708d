"""The follow button, rendered once per shape and then filled in: a page with a long follow list and twenty cards
shows a hundred or more of them, and rendering the partial for each was most of the page's template time.

A shape is (kind, variant, state, whether there is a CSRF token). Its stamp is web/partials/follow_button.html
rendered with placeholder values for the target's id, name and slug, the next URL and the CSRF token, split at
the placeholders; a button is the stamp's fixed parts joined with the real values, escaped as the template
escapes them. The result is the template's output for that target (tests/web/test_follow_stamps.py checks it
against rendering the partial). The "pick" variant capitalises the name in the template, so it is rendered.
The button's values (follow_button_context) are here too: the follow view renders the partial from them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape

from tidings.personalization.models import FollowAction
from tidings.web.stamps import Slots, Stamp
from tidings.web.stamps import fill as fill_stamp

TEMPLATE = "web/partials/follow_button.html"
_PK = 2905117433961  # digits, so that the follow URL reverses with it
_SLOTS = Slots(
    {
        "pk": str(_PK),
        "name": "\x00name\x00",
        "slug": "\x00slug\x00",
        "next": "\x00next\x00",
        "csrf": "\x00csrf\x00",
    }
)
_UNFILLED = ("pick",)  # variants rendered each time (their template changes the name's case)


FOLLOW_VARIANTS = ("chip", "heading", "mute", "pick")


def follow_button_context(
    *, kind: str, target: Any, state: str | None, next_url: str, csrf_token: object, variant: str = "chip"
) -> dict[str, object]:
    """Everything the follow_button partial needs; also used by the follow view to re-render it.

    Variants: "chip" (a star; on a muted target it shows the mute and undoes it), "heading" (Follow and Mute
    buttons beside a page title), "mute" (a Mute button alone, in a card's menu), "pick" (a star with the name,
    in the first-visit picker). Every button carries its label for each state (data-label-*), so the page's
    script (static web/tidings.js) updates all controls of one target after a click without re-rendering them.
    """
    variant = variant if variant in FOLLOW_VARIANTS else "chip"
    current = state if state in (FollowAction.FOLLOW, FollowAction.MUTE) else "none"
    name = target.name
    main_role = "follow" if variant == "heading" else "chip"
    main_labels = {
        "none": f"Follow {name}",
        "follow": f"Unfollow {name}",
        "mute": f"Follow {name} instead of muting it" if main_role == "follow" else f"Unmute {name}",
    }
    mute_labels = {"none": f"Mute {name}", "follow": f"Mute {name} instead of following it", "mute": f"Unmute {name}"}
    return {
        "kind": kind,
        "target": target,
        "state": current,
        "followed": current == FollowAction.FOLLOW,
        "main_role": main_role,
        "main_labels": main_labels,
        "main_label": main_labels[current],
        "main_pressed": current == FollowAction.FOLLOW or (main_role == "chip" and current == FollowAction.MUTE),
        "mute_labels": mute_labels,
        "mute_label": mute_labels[current],
        "mute_pressed": current == FollowAction.MUTE,
        "label": main_labels[current],
        "next_url": next_url,
        "csrf_token": csrf_token,
        "variant": variant,
    }


@dataclass(frozen=True, slots=True)
class _Placeholder:
    pk: int = _PK
    name: str = _SLOTS.text["name"]
    slug: str = _SLOTS.text["slug"]


def render_follow_button(values: dict[str, Any]) -> str:
    """The partial rendered from follow_button_context() values."""
    return get_template(TEMPLATE).render(values)


@functools.lru_cache(maxsize=256)
def _stamp(kind: str, variant: str, state: str, with_csrf: bool, prefix: str, urlconf: str) -> Stamp:
    """The partial for this shape, split at its placeholders."""
    values = follow_button_context(
        kind=kind,
        target=_Placeholder(),
        state=state,
        next_url=_SLOTS.text["next"],
        csrf_token=_SLOTS.text["csrf"] if with_csrf else None,
        variant=variant,
    )
    return _SLOTS.stamp(render_follow_button(values))


def follow_button_html(
    kind: str, target: Any, state: str | None, next_url: str, csrf_token: object, variant: str
) -> str:
    """The follow button for `target`, as the partial renders it with follow_button_context()."""
    variant = variant if variant in FOLLOW_VARIANTS else "chip"
    token = str(csrf_token) if csrf_token else ""
    if variant in _UNFILLED or settings.DEBUG:  # DEBUG: a template edit shows at once
        values = follow_button_context(
            kind=kind, target=target, state=state, next_url=next_url, csrf_token=csrf_token, variant=variant
        )
        return render_follow_button(values)
    current = state if state in (FollowAction.FOLLOW, FollowAction.MUTE) else "none"
    with_csrf = bool(token) and token != "NOTPROVIDED"  # noqa: S105 (Django's marker for "no token here")
    stamp = _stamp(kind, variant, current, with_csrf, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    fill = {
        "pk": escape(target.pk),
        "name": escape(target.name),
        "slug": escape(target.slug) if hasattr(target, "slug") else "",
        "next": escape(next_url),
        "csrf": escape(token),
    }
    return fill_stamp(stamp, fill)


def reset() -> None:
    """Forget the stamps (tests that change the template or the URLconf)."""
    _stamp.cache_clear()
