"""A reader with one row of every kind of personal data, for the export and deletion tests."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import CategoryFactory
from tidings.accounts.deletion import email_hash
from tidings.accounts.models import ApiToken, PasswordResetRequest, SignedInSession
from tidings.feeds.models import FeedToken
from tidings.personalization.models import (
    ArticleState,
    Follow,
    FollowAction,
    HiddenStory,
    Interaction,
    InteractionKind,
    Interest,
    KeywordMute,
    Profile,
)
from tidings.searches.models import SavedSearch
from tidings.sources.models import OpmlImport
from tidings.stories.models import Story


def fill_profile(profile: Profile, tag: str) -> dict[str, Any]:
    """Follows (one weighted), a mute, article states, a hidden story, interactions, an interest, a feed token, a
    muted word and a saved search."""
    category = CategoryFactory(name=f"category {tag}", slug=f"category-{tag}")
    muted = SourceFactory(name=f"muted source {tag}")
    article = ArticleFactory(headline=f"article {tag}")
    story = Story.objects.create(headline=f"story {tag}")
    Follow.objects.create(profile=profile, category=category, weight=1)
    Follow.objects.create(profile=profile, source=muted, action=FollowAction.MUTE)
    ArticleState.objects.create(profile=profile, article=article, read_at=timezone.now(), saved_at=timezone.now())
    HiddenStory.objects.create(profile=profile, story=story)
    Interaction.objects.create(profile=profile, article=article, kind=InteractionKind.READ, value=42)
    Interest.objects.create(profile=profile, kind="category", target_id=category.pk, score=1.5)
    FeedToken.objects.create(profile=profile, token=f"feedtoken-{tag}")
    KeywordMute.objects.create(profile=profile, pattern=f"royal {tag}")
    SavedSearch.objects.create(profile=profile, name=f"search {tag}", params={"q": tag}, feed_token=f"search-{tag}")
    return {"category": category, "muted": muted, "article": article, "story": story}


def fill_account(user: Any, tag: str) -> dict[str, Any]:
    """Everything of fill_profile on the user's profile, plus the rows that hang from the user itself."""
    profile, _ = Profile.objects.get_or_create(user=user)
    made = fill_profile(profile, tag)
    ApiToken.issue(user, name=f"token {tag}")
    SignedInSession.objects.create(user=user, session_key=f"{tag}".ljust(32, "x")[:40], user_agent="Firefox/1")
    OpmlImport.objects.create(user=user, file_name=f"{tag}.opml", data=b"<opml/>")
    made["added"] = SourceFactory(name=f"added by {tag}", added_by=user)
    totp = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.create(device=static, token=f"code{tag}"[:16])
    AccessAttempt.objects.create(
        username=user.get_username(), ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    PasswordResetRequest.objects.create(email_hash=email_hash(user.email), ip_address="192.0.2.1")
    made["totp"] = totp
    return made


def force_login_verified(client: Any, user: Any) -> None:
    """client.force_login, and the session marked as having passed the code step when the user has two-factor on
    (else TwoFactorRequiredMiddleware signs it out, as it would a password-only sign-in)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
