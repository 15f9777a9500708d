"""Sources: where articles come from, with fetch state and health."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from tidings.lib.slugs import unique_slug


class SourceKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    JSONFEED = "jsonfeed", "JSON Feed"
    HTML = "html", "HTML page"
    TEXT = "text", "Plain text"
    UNKNOWN = "unknown", "Not yet detected"


class SourceQuerySet(models.QuerySet["Source"]):
    def due(self, now: object | None = None) -> SourceQuerySet:
        now = now or timezone.now()
        return (
            self.filter(is_active=True, paused_reason="")
            .exclude(url="")
            .filter(models.Q(next_fetch_at__isnull=True) | models.Q(next_fetch_at__lte=now))
        )


class Source(models.Model):
    kind = models.CharField(max_length=16, choices=SourceKind.choices, default=SourceKind.UNKNOWN)
    url = models.CharField(max_length=2048, blank=True, help_text="Feed or page URL; empty for imported text")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    site_url = models.CharField(max_length=2048, blank=True)
    language = models.CharField(max_length=16, blank=True)
    is_active = models.BooleanField(default=True)
    folder = models.CharField(max_length=200, blank=True, help_text="Folder for grouping, as in OPML")
    created_at = models.DateTimeField(default=timezone.now)

    # Fetch state and health
    etag = models.CharField(max_length=512, blank=True)
    last_modified = models.CharField(max_length=128, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    next_fetch_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, help_text="The last fetch error, in plain words")
    error_count = models.PositiveIntegerField(default=0)
    fetch_count = models.PositiveIntegerField(default=0)
    not_modified_count = models.PositiveIntegerField(default=0)
    paused_reason = models.CharField(max_length=500, blank=True)
    boilerplate = models.JSONField(default=dict, blank=True, help_text="Learned repeated lines (ingest.boilerplate)")

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~models.Q(url=""), name="source_url_unique_when_set")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(Source, self.name or self.url or "source")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("web:source", args=[self.slug])

    @property
    def health(self) -> str:
        """One word for people: ok, failing, paused, disabled or new."""
        if not self.is_active:
            return "disabled"
        if self.paused_reason:
            return "paused"
        if self.last_error:
            return "failing"
        if self.last_success_at:
            return "ok"
        return "new"
