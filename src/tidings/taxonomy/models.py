"""Taxonomy: IPTC categories, followable topics with aliases, and their links to articles."""

from __future__ import annotations

from django.db import models

from tidings.lib.fast_reverse import fast_reverse
from tidings.lib.slugs import unique_slug


class Origin(models.TextChoices):
    PUBLISHER = "publisher", "Publisher label"
    MODEL = "model", "Model"
    EDITOR = "editor", "Editor"


class Category(models.Model):
    """An IPTC Media Topic (top level or second level)."""

    qcode = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    level = models.PositiveSmallIntegerField(default=1)
    description = models.TextField(blank=True, help_text="Our own short description")

    class Meta:
        ordering = ["level", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fast_reverse("web:category", self.slug)


class TopicKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    PLACE = "place", "Place"
    EVENT = "event", "Event"
    KEYWORD = "keyword", "Keyword"


class Topic(models.Model):
    """A followable thing that is not a category: a person, organisation, place, event or keyword."""

    kind = models.CharField(max_length=16, choices=TopicKind.choices)
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=320, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="For places: the place it lies in",
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = unique_slug(Topic, self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return fast_reverse("web:topic", self.slug)


class Alias(models.Model):
    """Another name for a topic; `key` is the normalised form used to look it up."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.name} → {self.topic}"


class ArticleCategory(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="category_links")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField()
    origin = models.CharField(max_length=16, choices=Origin.choices)

    class Meta:
        ordering = ["-score"]
        verbose_name_plural = "article categories"
        constraints = [
            models.UniqueConstraint(fields=["article", "category", "origin"], name="article_category_once_per_origin")
        ]
        indexes = [
            # An editor's "not in this category" (membership._rejected). PostgreSQL turns that NOT EXISTS into
            # one hashed set of all rejections per query; without this index it read the whole link table
            # twice to build it (0.2 s at 1M articles, bench/feed_latency.py).
            models.Index(
                fields=["article", "category"],
                condition=models.Q(origin="editor", score__lte=0),
                name="article_category_rejections",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.category} ({self.origin} {self.score:.2f})"


class ArticleTopic(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField()
    origin = models.CharField(max_length=16, choices=Origin.choices)
    mentions = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["article", "topic", "origin"], name="article_topic_once_per_origin")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} about {self.topic} ({self.origin} {self.score:.2f})"


class ListingKind(models.TextChoices):
    CATEGORY = "category"
    TOPIC = "topic"


class ArticleListing(models.Model):
    """What an article is listed under, precomputed: one row per (article, category it is listed in by
    taxonomy.membership's rule, roll-up to the parent included) and per (article, topic it is linked to), with
    the article's published_at copied so "the newest articles under these targets" is one index range per target.

    Kept in step by taxonomy.listing.relist() wherever links are written (signals for single rows, explicit
    calls after bulk writes). Duplicates are not taken out here: readers join Article for visibility.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="listings", db_index=False)
    kind = models.CharField(max_length=8, choices=ListingKind.choices)
    target_id = models.IntegerField()
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "kind", "target_id"], name="article_listing_once"),
        ]
        indexes = [
            models.Index(fields=["kind", "target_id", "-published_at", "-article"], name="article_listing_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} under {self.kind} {self.target_id}"


class TrendSpan(models.IntegerChoices):
    HOUR = 1, "Hour"
    DAY = 24, "Day"


class TopicTrendCount(models.Model):
    """Visible articles per topic per UTC hour and per UTC day of publication, counted as trending counts them
    (taxonomy.trend_counts: a link naming the topic or set by a person, not a place's roll-up), so a window's
    counts are a sum of a few hundred rows instead of a pass over every link in it.

    Kept in step by taxonomy.trend_counts.recount_*() wherever links, an article's visibility or an article
    itself change; only non-zero counts are stored. topic_id is a plain integer (a deleted topic's rows go when
    its links' articles are recounted; readers skip topics that no longer exist).
    """

    span = models.PositiveSmallIntegerField(choices=TrendSpan.choices)
    start = models.DateTimeField()
    topic_id = models.IntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["span", "start", "topic_id"], name="topic_trend_count_once"),
        ]
        indexes = [
            # The window sum reads only this index (no row lookups: on SQLite those were most of its time).
            models.Index(fields=["span", "start", "topic_id", "n"], name="topic_trend_count_sum"),
        ]

    def __str__(self) -> str:
        return f"topic {self.topic_id}: {self.n} in the {self.get_span_display().lower()} from {self.start}"


class TrendBaseline(models.Model):
    """Trending's baseline window, counted once and kept (taxonomy.trend_baseline): visible articles in the
    BASELINE_DAYS ending at `ends_at` (a whole UTC hour), in all here and per topic in TrendBaselineCount, so a
    trending read sums only the recent window. Written by the periodic job ahead of its hour (or by the first
    reader of the hour)."""

    ends_at = models.DateTimeField(unique=True)
    articles = models.PositiveIntegerField(help_text="Visible articles in the window")
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"trending baseline to {self.ends_at}: {self.articles} articles"


class TrendBaselineCount(models.Model):
    """A stored baseline's visible articles per topic, one row per topic (only non-zero counts), so a trending
    read joins the few topics that could trend to their baseline in SQL instead of decoding every topic of
    twelve days from one JSON value (~15,000 topics at 10,000 articles a day). Deleted with its baseline."""

    baseline = models.ForeignKey(TrendBaseline, on_delete=models.CASCADE, related_name="topic_counts", db_index=False)
    topic_id = models.IntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["baseline", "topic_id"], name="trend_baseline_count_once"),
        ]
        indexes = [
            # The trending read's join reads only this index (on SQLite the unique one was a row lookup per topic).
            models.Index(fields=["baseline", "topic_id", "n"], name="trend_baseline_count_read"),
        ]

    def __str__(self) -> str:
        return f"topic {self.topic_id}: {self.n} in the baseline {self.baseline_id}"


class CountKind(models.TextChoices):
    SOURCE = "source"
    CATEGORY = "category"


class ArticleCount(models.Model):
    """Visible articles per source and per category, stored up to taxonomy.article_counts.COUNT_CAP (a count at
    the cap shows as "1,000+"), so the Sources list and Browse read one row per target in one query. Kept by
    taxonomy.article_counts (recounted after every change of what a target holds; a periodic job repairs drift)."""

    kind = models.CharField(max_length=8, choices=CountKind.choices)
    target_id = models.IntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "target_id"], name="article_count_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_id}: {self.count}"
