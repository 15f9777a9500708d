"""Stories: articles from different outlets about one event (clustering.py decides; assign.py stores)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone


class Story(models.Model):
    """One event as covered by one or more articles. A story merged into another keeps its row, pointing at it."""

    headline = models.CharField(max_length=1000, help_text="The first article's headline (chosen, not generated)")
    first_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    article_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_stories"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_published_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("web:story", args=[self.pk])


class ArticleStory(models.Model):
    """The story an article is in (one at most), with the score that put it there."""

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="story_link")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="article_links")
    score = models.FloatField(help_text="The clustering score when it joined (0 for the article that started it)")
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["story", "article"], name="articlestory_story_article")]

    def __str__(self) -> str:
        return f"article {self.article_id} in story {self.story_id}"
