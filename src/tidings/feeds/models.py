"""The private token of a profile's My News feed (one per profile; rotating it replaces it, revoking deletes it)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class FeedToken(models.Model):
    """The secret part of /feeds/my/<token>.<format>: whoever has the address reads that profile's My News.

    Kept in clear (the reader is shown the address again on My interests); it grants reading one feed, nothing
    else, and a new one makes the old address answer 404.
    """

    profile = models.OneToOneField("personalization.Profile", on_delete=models.CASCADE, related_name="feed_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feed token of {self.profile}"
