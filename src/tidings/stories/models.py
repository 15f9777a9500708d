"""Stories: articles from different outlets about one event (clustering.py decides; assign.py stores)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tidings.lib.fast_reverse import fast_reverse


class Story(models.Model):
    """One event as covered by one or more articles. A story merged into another keeps its row, pointing at it."""

    headline = models.CharField(
        max_length=1000,
        help_text="The headline of its most central article, the earliest while it has fewer than three (chosen, "
        "not generated)",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    source_count = models.PositiveIntegerField(
        default=0, help_text="Distinct outlets of its visible articles (stories.coverage keeps it)"
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_stories",
        db_index=False,  # story_merged_into_set below: an index on the few non-null values only
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_published_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [
            # /api/stories: the listed stories newest first, read a page at a time by cursor (api.pagination);
            # partial on exactly the list's filter, so neither database sorts or skips merged or empty stories.
            models.Index(
                fields=["-last_published_at", "-id"],
                condition=models.Q(merged_into__isnull=True, article_count__gt=0, last_published_at__isnull=False),
                name="story_listed_newest",
            ),
            # "The stories merged into X" (and SET NULL when X goes). Partial, because a full index on a column
            # that is NULL for nearly every row made SQLite (no statistics) read `merged_into IS NULL` through it
            # and sort every story for /api/stories (tests/web/test_query_plans.py).
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="story_merged_into_set"
            ),
            # The home page's top stories (personalization.candidates.top_story_rows): the listed stories of two
            # outlets or more whose last article is recent, read as one range of this index (the stories of the
            # window, not of the corpus) and sorted by coverage; the source count rides along, no table reads.
            models.Index(
                fields=["last_published_at", "source_count", "id"],
                condition=models.Q(merged_into__isnull=True, source_count__gte=2),
                name="story_top_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return fast_reverse("web:story", self.pk)


class ArticleStory(models.Model):
    """The story an article is in (one at most), with the score that put it there."""

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="story_link")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField(help_text="The clustering score when it joined (0 for the article that started it)")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["story", "article"], name="articlestory_story_article")]
        verbose_name = "article's story"
        verbose_name_plural = "articles' stories"

    def __str__(self) -> str:
        return f"article {self.article_id} in story {self.story_id}"


class ClaimPart(models.TextChoices):
    """Where in the article a claim lies."""

    HEADLINE = "headline", "Headline"
    STANDFIRST = "standfirst", "Standfirst"
    BODY = "body", "Body"


class Claim(models.Model):
    """One statement in an article and who makes it (the claims ledger), as the claims stage found it.

    Offsets are characters into the article's enrichment text: headline, standfirst and body paragraphs joined by
    blank lines (`enrichment.stage.ArticleText.text`); `part` and `paragraph` say where the claim lies in it, so a
    page can map the offsets back (`stories.ledger.text_parts`). The stage replaces an article's claims at once.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="claims")
    order = models.PositiveIntegerField(help_text="Position in the article (by cue)")
    part = models.CharField(max_length=16, choices=ClaimPart.choices, default=ClaimPart.BODY)
    paragraph = models.PositiveIntegerField(default=0, help_text="Body paragraph index (0 outside the body)")
    speaker_text = models.CharField(max_length=500, blank=True)
    speaker_start = models.PositiveIntegerField(null=True, blank=True)
    speaker_end = models.PositiveIntegerField(null=True, blank=True)
    cue_text = models.CharField(max_length=200)
    cue_start = models.PositiveIntegerField()
    cue_end = models.PositiveIntegerField()
    content_text = models.TextField()
    content_start = models.PositiveIntegerField()
    content_end = models.PositiveIntegerField()
    quote = models.BooleanField(default=False, help_text="A direct quote (else a paraphrase)")
    kind = models.CharField(max_length=32, help_text="report, claim, confirmation, denial, accusation, …")
    attributed = models.BooleanField(default=True, help_text="False: nobody is named (treat with care)")
    via_text = models.CharField(
        max_length=500,
        blank=True,
        help_text="Who reports this claim when it is made inside another's content (\"Police said the judge had "
        "ordered …\": police); blank when the article's text makes it directly",
    )
    speaker_topic = models.ForeignKey(
        "taxonomy.Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )

    objects: models.Manager[Claim] = models.Manager()

    class Meta:
        ordering = ["article", "order"]
        indexes = [models.Index(fields=["article", "order"], name="claim_article_order")]

    def __str__(self) -> str:
        who = self.speaker_text or "unattributed"
        return f"{who} {self.cue_text}: {self.content_text[:60]}"
