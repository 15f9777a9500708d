"""Profiles (signed-in or anonymous) and what they follow or mute."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="profile"
    )
    session_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    onboarded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the first-visit picker was completed or dismissed"
    )
    taste_vector = models.BinaryField(
        null=True, blank=True, help_text="Decayed mean embedding of what the reader engaged with (float32)"
    )
    interests_updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"profile of {self.user}" if self.user_id else f"anonymous profile {self.pk}"


class FollowAction(models.TextChoices):
    FOLLOW = "follow", "Follow"
    MUTE = "mute", "Mute"


class Follow(models.Model):
    """A profile follows or mutes exactly one category, topic or source."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="follows")
    action = models.CharField(max_length=8, choices=FollowAction.choices, default=FollowAction.FOLLOW)
    category = models.ForeignKey("taxonomy.Category", null=True, blank=True, on_delete=models.CASCADE)
    topic = models.ForeignKey("taxonomy.Topic", null=True, blank=True, on_delete=models.CASCADE)
    source = models.ForeignKey("sources.Source", null=True, blank=True, on_delete=models.CASCADE)
    weight = models.SmallIntegerField(default=0, help_text="-1 less, 0 normal, 1 more (see Weight)")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(category__isnull=False, topic__isnull=True, source__isnull=True)
                    | Q(category__isnull=True, topic__isnull=False, source__isnull=True)
                    | Q(category__isnull=True, topic__isnull=True, source__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["profile", "category"], name="follow_category_once", condition=Q(category__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["profile", "topic"], name="follow_topic_once", condition=Q(topic__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["profile", "source"], name="follow_source_once", condition=Q(source__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.action}s {self.target}"

    @property
    def target(self) -> models.Model | None:
        return self.category or self.topic or self.source


class Weight(models.IntegerChoices):
    """How much a reader wants of a followed thing (set on My interests)."""

    LESS = -1, "Less"
    NORMAL = 0, "Normal"
    MORE = 1, "More"


class ArticleState(models.Model):
    """A profile's private state of one article: read, saved (starred) or hidden. No row: none of them."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="article_states")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "article"], name="article_state_once")]
        indexes = [
            models.Index(fields=["profile", "read_at"], name="article_state_read"),
            models.Index(fields=["profile", "saved_at"], name="article_state_saved"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} on article {self.article_id}"


class HiddenStory(models.Model):
    """ "Hide this story": none of the story's articles is shown to this profile again."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="hidden_stories")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "story"], name="hidden_story_once")]

    def __str__(self) -> str:
        return f"{self.profile} hides story {self.story_id}"


class InteractionKind(models.TextChoices):
    """What a reader did with a card or an article (the implicit profile learns from these)."""

    IMPRESSION = "impression", "Shown"
    OPEN = "open", "Opened"
    READ = "read", "Read (seconds in value)"
    SAVE = "save", "Saved"
    SHARE = "share", "Shared"
    MORE = "more", "More like this"
    LESS = "less", "Less like this"
    HIDE = "hide", "Hidden"


class Interaction(models.Model):
    """One logged event, private to its profile, deleted after the retention period."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="interactions")
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("stories.Story", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=InteractionKind.choices)
    value = models.FloatField(default=1.0, help_text="Seconds for 'read'; 1 otherwise")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["profile", "created_at"], name="interaction_profile_time"),
            models.Index(fields=["created_at"], name="interaction_time"),
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.kind} article {self.article_id}"


class InterestKind(models.TextChoices):
    CATEGORY = "category", "Category"
    TOPIC = "topic", "Topic"
    SOURCE = "source", "Source"


class Interest(models.Model):
    """The learned (implicit) part of a profile: a score per category, topic or source.

    The score is a log lift: ln(the reader's decayed engagement rate per impression with the thing, shrunk by a
    prior, / the typical rate of its kind; a topic's, / the rate its articles' categories predict); positive, more
    engaging than usual; negative, passed over or turned away. Rebuilt from Interaction rows and explicit feedback
    by personalization.interests; read by ranking.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="interests")
    kind = models.CharField(max_length=16, choices=InterestKind.choices)
    target_id = models.PositiveIntegerField()
    score = models.FloatField(help_text="Decayed evidence; negative means the reader turns it away")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "kind", "target_id"], name="interest_once")]

    def __str__(self) -> str:
        return f"{self.profile} {self.kind} {self.target_id}: {self.score:.2f}"


class KeywordMute(models.Model):
    """A profile hides articles whose headline or standfirst holds a word (or matches a regular expression).

    Checked by personalization.keyword_mutes when a list is shown; the pattern was validated there on the way in.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="keyword_mutes")
    pattern = models.CharField(max_length=200)
    is_regex = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pattern", "id"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "pattern", "is_regex"], name="keyword_mute_once"),
        ]

    def __str__(self) -> str:
        return f"/{self.pattern}/" if self.is_regex else self.pattern
