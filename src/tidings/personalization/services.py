"""Profiles for visitors and users; follow, mute and unfollow; merging an anonymous profile on sign-in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from tidings.lib.errors import InvalidInput
from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.sources.models import Source
from tidings.taxonomy.models import Category, Topic

TargetKind = Literal["category", "topic", "source"]
TARGET_MODELS: dict[str, type[Category] | type[Topic] | type[Source]] = {
    "category": Category,
    "topic": Topic,
    "source": Source,
}


def profile_for_user(user: AbstractBaseUser | AnonymousUser) -> Profile:
    if user.pk is None:
        raise InvalidInput("a profile needs a signed-in user")
    profile, _ = Profile.objects.get_or_create(user_id=user.pk)
    return profile


def profile_for_request(request: HttpRequest, *, create: bool = True) -> Profile | None:
    """The signed-in user's profile, or the visitor's session-backed one (made on first need)."""
    user = getattr(request, "user", AnonymousUser())
    if user.is_authenticated:
        return profile_for_user(user)
    session = request.session
    profile_id = session.get("profile_id")
    if profile_id:
        profile = Profile.objects.filter(pk=profile_id, user__isnull=True).first()
        if profile is not None:
            return profile
    if not create:
        return None
    if session.session_key is None:
        session.save()
    profile = Profile.objects.create(session_key=session.session_key)
    session["profile_id"] = profile.pk
    return profile


MAX_KEY_LENGTH = 255  # longer than any slug or id


def resolve_target(kind: str, key: str | int) -> Category | Topic | Source:
    """Find a follow target by kind and id or slug; InvalidInput when there is none."""
    model = TARGET_MODELS.get(kind)
    if model is None:
        raise InvalidInput(f"cannot follow a {kind!r}: use category, topic or source")
    text = str(key)
    if "\x00" in text or len(text) > MAX_KEY_LENGTH:  # PostgreSQL refuses NUL in a query; no slug is that long
        raise InvalidInput(f"no {kind} {text[:MAX_KEY_LENGTH]!r}")
    # ASCII digits only: "²".isdigit() is true, but int("²") fails.
    lookup = {"pk": int(text)} if text.isascii() and text.isdigit() else {"slug": text}
    target = model.objects.filter(**lookup).first()  # type: ignore[attr-defined]
    if target is None:
        raise InvalidInput(f"no {kind} {text!r}")
    return target  # type: ignore[no-any-return]


def _target_field(target: Category | Topic | Source) -> str:
    if isinstance(target, Category):
        return "category"
    if isinstance(target, Topic):
        return "topic"
    return "source"


def follow_state(profile: Profile | None, target: Category | Topic | Source) -> str | None:
    """'follow', 'mute' or None."""
    if profile is None:
        return None
    follow = Follow.objects.filter(profile=profile, **{_target_field(target): target}).first()
    return follow.action if follow else None


def set_follow(profile: Profile, target: Category | Topic | Source, action: str = FollowAction.FOLLOW) -> Follow:
    if action not in FollowAction.values:
        raise InvalidInput(f"unknown action {action!r}: use follow or mute")
    lookup: dict[str, Any] = {"profile": profile, _target_field(target): target}
    follow, _ = Follow.objects.update_or_create(defaults={"action": action}, **lookup)
    return follow


def remove_follow(profile: Profile, target: Category | Topic | Source) -> bool:
    deleted, _ = Follow.objects.filter(profile=profile, **{_target_field(target): target}).delete()
    return deleted > 0


def toggle_follow(profile: Profile, target: Category | Topic | Source) -> str | None:
    """Follow if not followed, else unfollow; returns the new state."""
    if follow_state(profile, target) == FollowAction.FOLLOW:
        remove_follow(profile, target)
        return None
    set_follow(profile, target)
    return FollowAction.FOLLOW


def followed_ids(profile: Profile | None) -> dict[str, dict[int, str]]:
    """{'category': {id: action}, 'topic': {...}, 'source': {...}} for rendering icons without N queries."""
    if profile is None:
        return follow_states(())
    return follow_states(Follow.objects.filter(profile=profile).only("action", "category_id", "topic_id", "source_id"))


def follow_states(follows: Iterable[Follow]) -> dict[str, dict[int, str]]:
    """Follows and mutes as {'category': {id: action}, 'topic': {...}, 'source': {...}} (pure)."""
    states: dict[str, dict[int, str]] = {"category": {}, "topic": {}, "source": {}}
    for f in follows:
        if f.category_id:
            states["category"][f.category_id] = f.action
        elif f.topic_id:
            states["topic"][f.topic_id] = f.action
        elif f.source_id:
            states["source"][f.source_id] = f.action
    return states


def merge_profiles(anonymous: Profile, into: Profile) -> int:
    """Move an anonymous profile's follows into an account's profile; the account's own choice wins."""
    if anonymous.pk == into.pk:
        return 0
    moved = 0
    with transaction.atomic():
        for follow in Follow.objects.filter(profile=anonymous):
            target = follow.category or follow.topic or follow.source
            assert target is not None
            if follow_state(into, target) is None:
                try:
                    with transaction.atomic():
                        set_follow(into, target, follow.action)
                    moved += 1
                except IntegrityError:
                    pass
        anonymous.delete()
    return moved
