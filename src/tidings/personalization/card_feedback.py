"""A card's explicit feedback: "more like this", "less like this", "hide this story", and undoing them.

Each one logs an Interaction (learning.record) and rebuilds the profile's learned interests at once, so the next
page already reflects it. Hiding also stores what ranking leaves out: a HiddenStory when the article is in a story,
else ArticleState.hidden_at for the article alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization.learning import record, refresh_interests
from tidings.personalization.models import ArticleState, HiddenStory, Interaction, InteractionKind, Profile
from tidings.stories.models import ArticleStory

FEEDBACK_KINDS = (InteractionKind.MORE, InteractionKind.LESS, InteractionKind.HIDE)


@dataclass(frozen=True, slots=True)
class FeedbackResult:
    kind: str
    article_id: int
    story_id: int | None
    message: str


MESSAGES = {
    InteractionKind.MORE: "Thanks: you will see more like this.",
    InteractionKind.LESS: "Thanks: you will see less like this.",
    InteractionKind.HIDE: "Story hidden: you will not see it again.",
}
UNDONE = {
    InteractionKind.MORE: "“More like this” taken back.",
    InteractionKind.LESS: "“Less like this” taken back.",
    InteractionKind.HIDE: "Story shown again.",
}


def parse_kind(kind: str) -> str:
    if kind not in FEEDBACK_KINDS:
        raise InvalidInput(f"unknown feedback {kind!r}: use more, less or hide")
    return kind


def _story_id(article: Article) -> int | None:
    link = ArticleStory.objects.filter(article=article).only("story_id").first()
    return link.story_id if link else None


def give_feedback(profile: Profile, article: Article, kind: str) -> FeedbackResult:
    """Log more/less/hide for this article (and its story), store a hide, rebuild learned interests."""
    kind = parse_kind(kind)
    story_id = _story_id(article)
    now = timezone.now()
    with transaction.atomic():
        interaction = record(profile, kind, article=article, now=now)
        if kind == InteractionKind.HIDE:
            if story_id is not None:
                HiddenStory.objects.get_or_create(profile=profile, story_id=story_id, defaults={"created_at": now})
            else:
                ArticleState.objects.update_or_create(profile=profile, article=article, defaults={"hidden_at": now})
    refresh_interests(profile, now)
    return FeedbackResult(kind, article.pk, interaction.story_id, MESSAGES[InteractionKind(kind)])


def undo_feedback(profile: Profile, article: Article, kind: str) -> FeedbackResult:
    """Take back the newest more/less/hide given to this article: its Interaction goes, a hide is lifted."""
    kind = parse_kind(kind)
    story_id = _story_id(article)
    with transaction.atomic():
        newest = (
            Interaction.objects.filter(profile=profile, article=article, kind=kind)
            .order_by("-created_at", "-pk")
            .first()
        )
        if newest is not None:
            newest.delete()
        if kind == InteractionKind.HIDE:
            if story_id is not None:
                HiddenStory.objects.filter(profile=profile, story_id=story_id).delete()
            ArticleState.objects.filter(profile=profile, article=article).update(hidden_at=None)
    refresh_interests(profile)
    return FeedbackResult(kind, article.pk, story_id, UNDONE[InteractionKind(kind)])
