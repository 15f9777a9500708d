"""Profiles for visitors and users; follow, mute and unfollow; merging an anonymous profile on sign-in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from tidings.lib.errors import InvalidInput
from tidings.personalization.models import (
    ArticleState,
    Follow,
    FollowAction,
    HiddenStory,
    Interaction,
    Profile,
    Weight,
)
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
    """The signed-in user's profile, or the visitor's session-backed one (made on first need).

    Remembered on the request for its user, so the page's view and its template tags read it once.
    """
    user = getattr(request, "user", AnonymousUser())
    remembered = getattr(request, "_tidings_profile", None)
    if remembered is not None and remembered[0] == user.pk:
        return remembered[1]  # type: ignore[no-any-return]
    profile = _find_profile(request, user, create)
    if profile is not None:
        request._tidings_profile = (user.pk, profile)  # type: ignore[attr-defined]
    return profile


def _find_profile(request: HttpRequest, user: AbstractBaseUser | AnonymousUser, create: bool) -> Profile | None:
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


def find_follow(profile: Profile | None, target: Category | Topic | Source) -> Follow | None:
    """The profile's follow or mute of this target, if any."""
    if profile is None:
        return None
    return Follow.objects.filter(profile=profile, **{_target_field(target): target}).first()


def follow_state(profile: Profile | None, target: Category | Topic | Source) -> str | None:
    """'follow', 'mute' or None."""
    follow = find_follow(profile, target)
    return follow.action if follow else None


def set_follow(profile: Profile, target: Category | Topic | Source, action: str = FollowAction.FOLLOW) -> Follow:
    if action not in FollowAction.values:
        raise InvalidInput(f"unknown action {action!r}: use follow or mute")
    lookup: dict[str, Any] = {"profile": profile, _target_field(target): target}
    follow, created = Follow.objects.get_or_create(defaults={"action": action}, **lookup)
    if not created and follow.action != action:  # a follow's weight means nothing to a mute, and back
        follow.action = action
        follow.weight = Weight.NORMAL
        follow.save(update_fields=["action", "weight"])
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


# What a click on each kind of control does, by the target's state before the click (None: neither).
#   chip:   the small star on chips and lists; on a muted target it shows the mute and undoes it.
#   follow: the Follow button beside a page's title; it replaces a mute (and says so).
#   mute:   the Mute button beside it, and "Mute" in a card's menu.
CONTROLS = ("chip", "follow", "mute")
_NEXT_STATE: dict[tuple[str, str | None], str | None] = {
    ("chip", None): FollowAction.FOLLOW,
    ("chip", FollowAction.FOLLOW): None,
    ("chip", FollowAction.MUTE): None,
    ("follow", None): FollowAction.FOLLOW,
    ("follow", FollowAction.FOLLOW): None,
    ("follow", FollowAction.MUTE): FollowAction.FOLLOW,
    ("mute", None): FollowAction.MUTE,
    ("mute", FollowAction.FOLLOW): FollowAction.MUTE,
    ("mute", FollowAction.MUTE): None,
}


def next_state(control: str, before: str | None) -> str | None:
    """The state a click on `control` leads to from `before` (pure); InvalidInput for an unknown control."""
    if control not in CONTROLS:
        raise InvalidInput(f"unknown control {control!r}: use {', '.join(CONTROLS)}")
    return _NEXT_STATE[(control, before)]


def change_message(name: str, before: str | None, after: str | None) -> str:
    """What a reader is told after a click, naming a replaced follow or mute (pure)."""
    if after == FollowAction.FOLLOW:
        return f"Following {name}; no longer muted." if before == FollowAction.MUTE else f"Following {name}."
    if after == FollowAction.MUTE:
        return f"Muted {name}; no longer following." if before == FollowAction.FOLLOW else f"Muted {name}."
    if before == FollowAction.MUTE:
        return f"Unmuted {name}."
    return f"No longer following {name}."


def apply_control(profile: Profile, target: Category | Topic | Source, control: str) -> tuple[str | None, str | None]:
    """Click `control` for this target: returns (state before, state after)."""
    before = follow_state(profile, target)
    after = next_state(control, before)
    if after is None:
        remove_follow(profile, target)
    elif after != before:
        set_follow(profile, target, after)
    return before, after


def set_weight(profile: Profile, target: Category | Topic | Source, weight: int | str) -> Follow:
    """Set how much of a followed thing the reader wants (-1/0/1 or less/normal/more); InvalidInput if not followed."""
    value = parse_weight(weight)
    follow = Follow.objects.filter(
        profile=profile, action=FollowAction.FOLLOW, **{_target_field(target): target}
    ).first()
    if follow is None:
        raise InvalidInput(f"you do not follow {target.name!r}: follow it before setting how much of it you want")
    if follow.weight != value:
        follow.weight = value
        follow.save(update_fields=["weight"])
    return follow


WEIGHT_NAMES = {"less": Weight.LESS, "normal": Weight.NORMAL, "more": Weight.MORE}


def parse_weight(weight: int | str) -> int:
    """-1/0/1 or less/normal/more (also as strings) to -1/0/1; InvalidInput otherwise (pure)."""
    text = str(weight).strip().lower()
    if text in WEIGHT_NAMES:
        return int(WEIGHT_NAMES[text])
    if text in {"-1", "0", "1", "+1"}:
        return int(text)
    raise InvalidInput(f"unknown weight {weight!r}: use less, normal or more (-1, 0, 1)")


def weight_name(weight: int) -> str:
    return {int(v): k for k, v in WEIGHT_NAMES.items()}.get(weight, "normal")


def followed_ids(profile: Profile | None) -> dict[str, dict[int, str]]:
    """{'category': {id: action}, 'topic': {...}, 'source': {...}} for rendering icons without N queries."""
    if profile is None:
        return follow_states(())
    return follow_states(Follow.objects.filter(profile=profile).only("action", "category_id", "topic_id", "source_id"))


class FollowLike(Protocol):
    """A Follow, or a row with its fields (personalization.my_news.FollowRow)."""

    @property
    def action(self) -> str: ...
    @property
    def weight(self) -> int: ...
    @property
    def category_id(self) -> int | None: ...
    @property
    def topic_id(self) -> int | None: ...
    @property
    def source_id(self) -> int | None: ...


def follow_states(follows: Iterable[FollowLike]) -> dict[str, dict[int, str]]:
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
    """Move an anonymous profile into an account's profile; the account's own choice wins.

    Follows and mutes (with their weights) move where the account has no choice for that target; so do hidden
    stories and article states (read, saved, hidden) for articles the account has none for. Every interaction
    moves (it is history, not a choice), and the first-visit picker counts as done if either profile did it.
    Returns how many follows and mutes moved. Learned interests are rebuilt when interactions moved.
    """
    if anonymous.pk == into.pk:
        return 0
    moved = 0
    with transaction.atomic():
        for follow in Follow.objects.filter(profile=anonymous).select_related("category", "topic", "source"):
            target = follow.category or follow.topic or follow.source
            assert target is not None
            if follow_state(into, target) is None:
                try:
                    with transaction.atomic():
                        created = set_follow(into, target, follow.action)
                        if follow.weight != created.weight:
                            created.weight = follow.weight
                            created.save(update_fields=["weight"])
                    moved += 1
                except IntegrityError:
                    pass
        _move_rows(HiddenStory, "story_id", anonymous, into)
        _move_rows(ArticleState, "article_id", anonymous, into)
        interactions = Interaction.objects.filter(profile=anonymous).update(profile=into)
        if into.onboarded_at is None and anonymous.onboarded_at is not None:
            into.onboarded_at = anonymous.onboarded_at
            into.save(update_fields=["onboarded_at"])
        anonymous.delete()
    if interactions:
        from tidings.personalization.learning import refresh_interests  # numpy and embeddings: only when needed

        refresh_interests(into)
    return moved


def _move_rows(model: type[HiddenStory] | type[ArticleState], key: str, source: Profile, into: Profile) -> None:
    """Re-point `source`'s rows to `into`, except where `into` already has a row with the same key (kept)."""
    taken = model.objects.filter(profile=into).values(key)
    model.objects.filter(profile=source).exclude(**{f"{key}__in": taken}).update(profile=into)
