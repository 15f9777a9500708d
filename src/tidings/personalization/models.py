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
