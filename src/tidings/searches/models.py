"""Saved searches: a reader's named query and filters, followed as a page and a feed."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone


class SavedSearch(models.Model):
    """A profile's search (words and filters, as URL parameters) under a name.

    `feed_token` is the secret part of its feed's address (/feeds/search/<token>.rss): whoever has the address
    reads the matches, nothing else; the page itself is its owner's only.
    """

    profile = models.ForeignKey("personalization.Profile", on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=100)
    params = models.JSONField(default=dict, help_text="The search's URL parameters (searches.request)")
    feed_token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["profile", "name"], name="saved_search_name_once")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("web:saved_search", args=[self.pk])
