"""Template tags for the reader's controls: the first-visit picker on My News and its offer on Home."""

from __future__ import annotations

from django import template

from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.personalization.services import followed_ids, profile_for_request
from tidings.taxonomy.models import Category

register = template.Library()

PICKER_NEEDED = 3  # same as web.views.interests.PICKER_NEEDED


def picker_due(profile: Profile | None, states: dict[str, dict[int, str]] | None = None) -> bool:
    """Offer the picker: the profile follows fewer than PICKER_NEEDED things and has not finished or dismissed it.

    `states` (the page's follow_states, services.followed_ids) saves the count query when the page has them.
    """
    if profile is None:
        return True
    if profile.onboarded_at is not None:
        return False
    if states is not None:
        return sum(a == FollowAction.FOLLOW for ids in states.values() for a in ids.values()) < PICKER_NEEDED
    return Follow.objects.filter(profile=profile, action=FollowAction.FOLLOW).count() < PICKER_NEEDED


@register.inclusion_tag("web/partials/picker.html", takes_context=True)
def first_visit_picker(context: template.Context) -> dict[str, object]:
    """{% first_visit_picker %}: "Choose at least 3 categories" with the top-level categories' follow buttons.

    Shown while picker_due(); ?pick=1 shows it again (the link on an empty My interests page).
    """
    request = context.get("request")
    profile = profile_for_request(request, create=False) if request is not None else None
    forced = request is not None and request.GET.get("pick") == "1"
    states = context.get("follow_states")
    if states is None:
        states = followed_ids(profile)
    if not forced and not picker_due(profile, states):
        return {"show": False}
    categories = list(Category.objects.filter(parent__isnull=True).order_by("name"))
    shown = {c.pk for c in categories}
    followed = {k: {i for i, a in v.items() if a == FollowAction.FOLLOW} for k, v in states.items()}
    elsewhere = sum(len(ids) for kind, ids in followed.items() if kind != "category") + len(
        followed["category"] - shown
    )
    chosen = elsewhere + len(followed["category"] & shown)
    return {
        "show": bool(categories),
        "categories": categories,
        "follow_states": states,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "needed": PICKER_NEEDED,
        "elsewhere": elsewhere,
        "chosen": chosen,
        "ready": chosen >= PICKER_NEEDED,
    }


@register.simple_tag(takes_context=True)
def picker_offered(context: template.Context) -> bool:
    """{% picker_offered as offer %}: whether Home should point a newcomer to the picker."""
    request = context.get("request")
    profile = profile_for_request(request, create=False) if request is not None else None
    return picker_due(profile, context.get("follow_states"))
