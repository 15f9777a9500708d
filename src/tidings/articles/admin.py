"""Admin for articles: searched through the same full-text index as the API, with their labels inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.articles.models import Article
from tidings.articles.search import search_articles
from tidings.taxonomy.admin import EditorCategoryInline, MachineCategoryInline
from tidings.taxonomy.models import ArticleTopic


class ArticleTopicInline(admin.TabularInline):
    model = ArticleTopic
    extra = 0
    raw_id_fields = ["topic"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "source", "published_at", "language", "is_duplicate", "enriched_at"]
    list_filter = ["language", "source"]
    list_select_related = ["source"]
    date_hierarchy = "published_at"
    # search_fields only switches the search box on; get_search_results uses the full-text index.
    search_fields = ["headline"]
    raw_id_fields = ["source", "duplicate_of"]
    readonly_fields = ["content_hash", "fetched_at", "enriched_at"]
    inlines = [EditorCategoryInline, MachineCategoryInline, ArticleTopicInline]

    @admin.display(boolean=True, description="duplicate")
    def is_duplicate(self, article: Article) -> bool:
        return article.duplicate_of_id is not None

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return search_articles(queryset, search_term), False  # type: ignore[arg-type]
