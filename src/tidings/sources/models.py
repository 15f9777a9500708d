"""Sources: where articles come from, with fetch state and health."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tidings.lib.fast_reverse import fast_reverse
from tidings.lib.slugs import unique_slug
from tidings.lib.urls import safe_http_url
from tidings.sources.fetch_state import health_word


class SourceKind(models.TextChoices):
    RSS = "rss", "RSS"
    ATOM = "atom", "Atom"
    JSONFEED = "jsonfeed", "JSON Feed"
    HTML = "html", "HTML page"
    TEXT = "text", "Plain text"
    UNKNOWN = "unknown", "Not yet detected"


class FullTextMode(models.TextChoices):
    AUTO = "auto", "Automatic: fetch article pages when the feed carries only summaries"
    ALWAYS = "always", "Always: fetch the article page of every new item"
    NEVER = "never", "Never: keep what the feed carries"


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
    full_text = models.CharField(
        max_length=8,
        choices=FullTextMode.choices,
        default=FullTextMode.AUTO,
        help_text="Whether to fetch each new item's article page for its full text (FETCH_FULL_TEXT=False turns "
        "this off everywhere)",
    )
    created_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="added_sources",
        help_text="The reader who added it (they may change it); empty: added by the operator (staff and editors "
        "change it)",
    )

    # Fetch state (sources.fetch_state records it and lists it as FETCH_STATE_FIELDS)
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
    # Not fetch state: learned from stored articles
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
        self.site_url = safe_http_url(self.site_url)  # rendered as a link: absolute http(s) or nothing
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return fast_reverse("web:source", self.slug)

    @property
    def health(self) -> str:
        """One word for people: disabled, paused, failing, ok or new (sources.fetch_state.health_word)."""
        return health_word(self)


class OpmlImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class OpmlImport(models.Model):
    """One OPML file uploaded in the web UI and its import's progress; the upload is kept as sent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    file_name = models.CharField(max_length=255)
    data = models.BinaryField(help_text="The uploaded file, exactly as sent")
    status = models.CharField(max_length=8, choices=OpmlImportStatus.choices, default=OpmlImportStatus.QUEUED)
    title = models.CharField(max_length=500, blank=True, help_text="The file's own title")
    total = models.PositiveIntegerField(default=0, help_text="Feeds in the file that can be imported")
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Feeds that were already sources")
    bad_entries = models.JSONField(default=list, blank=True, help_text="[{title, url, reason, line}]")
    warning = models.TextField(blank=True, help_text="About the file as a whole")
    error = models.TextField(blank=True, help_text="Why the import failed, in plain words")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True, help_text="When the running import last moved")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("web:opml_import", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {OpmlImportStatus.DONE, OpmlImportStatus.FAILED}

    def is_stalled(self, now: datetime, after: timedelta) -> bool:
        """Running but silent for longer than `after`: its worker died or was restarted mid-import."""
        last = self.progress_at or self.started_at
        return self.status == OpmlImportStatus.RUNNING and last is not None and now - last > after

    @property
    def percent(self) -> int:
        if self.status == OpmlImportStatus.DONE or not self.total:
            return 100 if self.status == OpmlImportStatus.DONE else 0
        return min(100, self.done * 100 // self.total)
