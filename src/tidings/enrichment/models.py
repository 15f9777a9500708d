"""What each enrichment stage found for each article, with the stage version that found it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class StageResult(models.Model):
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="stage_results")
    stage = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    values = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "stage"], name="one_result_per_stage")]

    def __str__(self) -> str:
        return f"{self.stage} v{self.version} for article {self.article_id}"


class ArticleEmbedding(models.Model):
    """One sentence embedding per article (float32 bytes), for similarity and nearest-neighbour search."""

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="embedding")
    model_name = models.CharField(max_length=100)
    dimensions = models.PositiveSmallIntegerField()
    vector = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.model_name} embedding of article {self.article_id}"
