"""Template helpers for the web UI: the follow button, short relative times, and the link guard."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from tidings.lib.urls import safe_http_url
from tidings.personalization.models import FollowAction

register = template.Library()


def follow_button_context(
    *, kind: str, target: Any, state: str | None, next_url: str, csrf_token: object, variant: str = "chip"
) -> dict[str, object]:
    """Everything the follow_button partial needs; also used by the follow view to re-render it."""
    followed = state == FollowAction.FOLLOW
    verb = "Unfollow" if followed else "Follow"
    return {
        "kind": kind,
        "target": target,
        "followed": followed,
        "label": f"{verb} {target.name}",
        "next_url": next_url,
        "csrf_token": csrf_token,
        "variant": variant,
    }


@register.inclusion_tag("web/partials/follow_button.html", takes_context=True)
def follow_button(context: template.Context, kind: str, target: Any, variant: str = "chip") -> dict[str, object]:
    """{% follow_button "category" category %}: state from the page's `follow_states` (one query per page)."""
    states = context.get("follow_states") or {}
    request = context.get("request")
    next_url = request.get_full_path() if request is not None else "/"
    return follow_button_context(
        kind=kind,
        target=target,
        state=states.get(kind, {}).get(target.pk),
        next_url=next_url,
        csrf_token=context.get("csrf_token"),
        variant=variant,
    )


@register.filter
def ago(value: datetime | None) -> str:
    """'3 hours ago'; 'just now' under a minute; '' for no date."""
    if value is None:
        return ""
    now = timezone.now()
    if value > now or (now - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, now, depth=1)} ago"


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
