"""Admin for articles: searched through the same full-text index as the API, with their labels inline.

An article's story is shown with a link; moving it to another story is done on the story's page or the
articles' story list (stories/admin.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from tidings.articles.models import Article
from tidings.articles.search import search_articles
from tidings.taxonomy.admin import EditorCategoryInline, MachineCategoryInline
from tidings.taxonomy.models import ArticleTopic, Origin, Topic


class ArticleTopicInline(admin.TabularInline):
    """The article's topics as enrichment (or an editor) linked them; an editor removes a wrong one here."""

    model = ArticleTopic
    extra = 0
    fields = ("topic", "origin", "score", "mentions")
    readonly_fields = fields
    verbose_name_plural = "topics"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleTopic]:
        return super().get_queryset(request).select_related("topic")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # added in EditorTopicInline, one autocomplete each (an autocomplete per row is a query)


class EditorTopicForm(forms.ModelForm):
    class Meta:
        model = ArticleTopic
        fields = ["topic"]

    def clean_topic(self) -> Topic:
        topic: Topic = self.cleaned_data["topic"]
        if ArticleTopic.objects.filter(article_id=self.instance.article_id, topic=topic).exists():
            raise forms.ValidationError(f"The article is already linked to {topic.name!r}.")
        return topic

    def save(self, commit: bool = True) -> ArticleTopic:
        self.instance.origin, self.instance.score = Origin.EDITOR, 1.0
        return super().save(commit=commit)  # type: ignore[no-any-return]


class EditorTopicInline(admin.TabularInline):
    """Link the article to a topic enrichment missed (an editor's link; the topic's page lists it)."""

    model = ArticleTopic
    form = EditorTopicForm
    fields = ["topic"]
    autocomplete_fields = ["topic"]
    extra = 1
    can_delete = False
    verbose_name = "topic to add"
    verbose_name_plural = "add topics"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleTopic]:
        return super().get_queryset(request).none()


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "source", "published_at", "story", "is_duplicate", "enriched_at"]
    list_filter = ["language", "published_at"]
    # The story through the reverse one-to-one (stories imports articles, not the other way round).
    list_select_related = ["source", "story_link__story"]
    date_hierarchy = "published_at"
    # search_fields only switches the search box on; get_search_results uses the full-text index.
    search_fields = ["headline"]
    # The text is the publisher's, and enrichment's offsets (the claims ledger) point into it: nobody edits it
    # here. Editors correct what Tidings made of it: categories and topics, below; the story, on its page.
    _main = ("headline", "source", "published_at", "author", "language", "url", "story", "duplicate_of")
    _text, _picture = ("standfirst", "body_text"), ("image_url", "image_caption", "image_credit")
    _ingest = ("guid", "content_hash", "publisher_categories", "fetched_at", "enriched_at")
    fieldsets = [
        (None, {"fields": _main}),
        ("Text", {"classes": ["collapse"], "fields": _text}),
        ("Picture", {"classes": ["collapse"], "fields": _picture}),
        ("Ingest", {"classes": ["collapse"], "fields": _ingest}),
    ]
    readonly_fields = (*_main, *_text, *_picture, *_ingest)
    inlines = [EditorCategoryInline, MachineCategoryInline, ArticleTopicInline, EditorTopicInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # articles come from sources (ingest)

    @admin.display(boolean=True, description="duplicate")
    def is_duplicate(self, article: Article) -> bool:
        return article.duplicate_of_id is not None

    @admin.display(description="story")
    def story(self, article: Article) -> str:
        link = getattr(article, "story_link", None)
        if link is None:
            return "—"
        url = reverse("admin:stories_story_change", args=[link.story_id])
        count = link.story.article_count
        return format_html('<a href="{}">#{}</a> · {} article{}', url, link.story_id, count, "" if count == 1 else "s")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        return search_articles(queryset, search_term), False  # type: ignore[arg-type]
