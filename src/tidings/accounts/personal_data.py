"""Everything Tidings keeps about one reader, as one JSON document (the "Download my data" file).

Each section is one entry of SECTIONS: a name, a function of the Subject and the tables it reads. A new kind of
personal data (saved searches, say) is one more line there; tests/accounts/test_personal_data.py checks that every
table pointing at a user or a profile is read by some section or listed in NOT_EXPORTED with a reason.
Secrets are never written: token hashes, the Fever key, the feed token itself, two-factor keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from tidings.accounts.models import ApiToken, SignedInSession
from tidings.personalization.models import (
    ArticleState,
    Follow,
    HiddenStory,
    Interaction,
    Interest,
    KeywordMute,
    Profile,
)
from tidings.searches.models import SavedSearch
from tidings.sources.models import OpmlImport, Source
from tidings.taxonomy.models import Category, Topic

FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose data: a signed-in user with their profile, or an anonymous visitor's profile alone."""

    user: Any | None
    profile: Profile | None


def _account(s: Subject) -> dict[str, Any] | None:
    u = s.user
    if u is None:
        return None
    return {
        "username": u.get_username(),
        "email": u.email,
        "date_joined": u.date_joined,
        "last_login": u.last_login,
        "is_staff": u.is_staff,
    }


def _profile(s: Subject) -> dict[str, Any] | None:
    p = s.profile
    if p is None:
        return None
    return {"created_at": p.created_at, "onboarded_at": p.onboarded_at, "interests_updated_at": p.interests_updated_at}


def _follows(s: Subject) -> list[Any]:
    rows = Follow.objects.filter(profile=s.profile).select_related("category", "topic", "source").order_by("pk")
    out = []
    for f in rows:
        kind = "category" if f.category_id else "topic" if f.topic_id else "source"
        target = f.target
        out.append(
            {
                "kind": kind,
                "id": getattr(target, "pk", None),
                "slug": getattr(target, "slug", ""),
                "name": getattr(target, "name", ""),
                "action": f.action,
                "weight": f.weight,
                "created_at": f.created_at,
            }
        )
    return out


def _article_states(s: Subject) -> list[Any]:
    rows = ArticleState.objects.filter(profile=s.profile).select_related("article").order_by("pk")
    return [
        {
            "article_id": st.article_id,
            "headline": st.article.headline,
            "url": st.article.url,
            "read_at": st.read_at,
            "saved_at": st.saved_at,
            "hidden_at": st.hidden_at,
        }
        for st in rows
    ]


def _hidden_stories(s: Subject) -> list[Any]:
    return list(HiddenStory.objects.filter(profile=s.profile).order_by("pk").values("story_id", "created_at"))


def _interactions(s: Subject) -> list[Any]:
    rows = Interaction.objects.filter(profile=s.profile).order_by("created_at", "pk")
    return list(rows.values("kind", "article_id", "story_id", "value", "created_at"))


def _interests(s: Subject) -> list[Any]:
    rows = list(Interest.objects.filter(profile=s.profile).order_by("kind", "-score", "pk"))
    names = _target_names(rows)
    return [
        {
            "kind": i.kind,
            "id": i.target_id,
            "name": names.get((i.kind, i.target_id), ""),
            "score": i.score,
            "updated_at": i.updated_at,
        }
        for i in rows
    ]


def _target_names(rows: list[Interest]) -> dict[tuple[str, int], str]:
    models: dict[str, Any] = {"category": Category, "topic": Topic, "source": Source}
    names: dict[tuple[str, int], str] = {}
    for kind, model in models.items():
        ids = [r.target_id for r in rows if r.kind == kind]
        for pk, name in model.objects.filter(pk__in=ids).values_list("pk", "name"):
            names[(kind, pk)] = name
    return names


def _muted_words(s: Subject) -> list[Any]:
    rows = KeywordMute.objects.filter(profile=s.profile).order_by("pk")
    return list(rows.values("pattern", "is_regex", "created_at"))


def _saved_searches(s: Subject) -> list[Any]:
    # The feed address's token is a secret, as the My News feed's: the search itself, not where its feed is.
    rows = SavedSearch.objects.filter(profile=s.profile).order_by("pk")
    return list(rows.values("name", "params", "created_at"))


def _feed_token(s: Subject) -> dict[str, Any] | None:
    token = getattr(s.profile, "feed_token", None) if s.profile is not None else None
    # The address itself is a secret: only that it exists, and since when.
    return {"created_at": token.created_at} if token is not None else None


def _api_tokens(s: Subject) -> list[Any]:
    if s.user is None:
        return []
    rows = ApiToken.objects.filter(user=s.user).order_by("pk")
    return list(rows.values("name", "prefix", "created_at", "last_used_at"))


def _sessions(s: Subject) -> list[Any]:
    if s.user is None:
        return []
    rows = SignedInSession.objects.filter(user=s.user).order_by("pk")
    return list(rows.values("user_agent", "ip_address", "created_at", "last_seen_at"))


def _two_factor(s: Subject) -> dict[str, Any] | None:
    if s.user is None:
        return None
    from tidings.accounts.two_factor import two_factor_status  # django-otp models: only when asked

    status = two_factor_status(s.user)
    return {"enabled": status.enabled, "recovery_codes_left": status.recovery_codes_left}


def _sources_added(s: Subject) -> list[Any]:
    if s.user is None:
        return []
    rows = Source.objects.filter(added_by=s.user).order_by("pk")
    return list(rows.values("name", "url", "site_url", "folder", "created_at"))


def _opml_imports(s: Subject) -> list[Any]:
    if s.user is None:
        return []
    rows = OpmlImport.objects.filter(user=s.user).order_by("pk")
    return list(rows.values("file_name", "title", "status", "imported", "skipped", "created_at"))


@dataclass(frozen=True, slots=True)
class Section:
    read: Callable[[Subject], Any]
    models: tuple[str, ...] = ()  # the tables it reads ("app_label.Model"), checked against every user/profile FK


# name → what it holds and from which tables. One line per kind of personal data.
SECTIONS: dict[str, Section] = {
    "account": Section(_account, ("auth.User",)),
    "profile": Section(_profile, ("personalization.Profile",)),
    "follows": Section(_follows, ("personalization.Follow",)),  # follows and mutes, with their weights
    "article_states": Section(_article_states, ("personalization.ArticleState",)),  # read, saved, hidden
    "hidden_stories": Section(_hidden_stories, ("personalization.HiddenStory",)),
    "interactions": Section(_interactions, ("personalization.Interaction",)),
    "interests": Section(_interests, ("personalization.Interest",)),  # what the profile learned
    "muted_words": Section(_muted_words, ("personalization.KeywordMute",)),  # words and regular expressions
    "saved_searches": Section(_saved_searches, ("searches.SavedSearch",)),
    "my_news_feed": Section(_feed_token, ("feeds.FeedToken",)),
    "api_tokens": Section(_api_tokens, ("accounts.ApiToken",)),  # Fever and Google Reader sign-ins too
    "sessions": Section(_sessions, ("accounts.SignedInSession",)),
    "two_factor": Section(_two_factor, ("otp_totp.TOTPDevice", "otp_static.StaticDevice")),
    "sources_added": Section(_sources_added, ("sources.Source",)),
    "opml_imports": Section(_opml_imports, ("sources.OpmlImport",)),
}

# Tables that point at a user or profile but hold nothing of the reader's own to export, and why.
NOT_EXPORTED: dict[str, str] = {
    "admin.LogEntry": "the operator's audit trail of admin changes",
    "auth.User_groups": "permissions, shown as is_staff",
    "auth.User_user_permissions": "permissions, shown as is_staff",
}


def export_personal_data(subject: Subject, now: datetime | None = None) -> dict[str, Any]:
    """The whole document: format version, when, and one key per section (empty when there is no profile)."""
    document: dict[str, Any] = {"format": "tidings-personal-data", "version": FORMAT_VERSION}
    document["exported_at"] = now or timezone.now()
    for name, section in SECTIONS.items():
        document[name] = section.read(subject) if subject.profile is not None or subject.user is not None else None
    return document
