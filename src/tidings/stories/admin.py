"""Admin for stories: the list with article counts; editors merge stories and move articles (stories/editing.py).

On the story list: tick stories, optionally give the id of the one to keep in 'into story id', run "Merge".
Without an id the story first reported is kept. On the story links list: tick articles, give 'to story id',
run "Move"; or open one link and change its story. "Split if it holds two events" moves, for each ticked story
whose articles form two clear groups (clustering.split_story's rule), the smaller group to a new story.
Counts, times and headlines are recomputed by editing.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.lib.errors import InvalidInput
from tidings.lib.form_values import positive_id
from tidings.stories.editing import merge_stories, move_article, split_story
from tidings.stories.models import ArticleStory, Story


class StoryActionForm(ActionForm):
    into = forms.IntegerField(
        required=False,
        min_value=1,
        label="into story id",
        help_text="Merge: the story to keep (default: first reported)",
    )


class MoveActionForm(ActionForm):
    to_story = forms.IntegerField(required=False, min_value=1, label="to story id")


@admin.action(description="Merge selected stories (into 'into story id', or the first reported)")
def merge_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    chosen = list(queryset.order_by("first_published_at", "pk").values_list("pk", flat=True))
    into = positive_id(request.POST.get("into"))
    if into is None and len(chosen) < 2:
        modeladmin.message_user(request, "Tick two or more stories, or one and 'into story id'.", messages.ERROR)
        return
    kept_id = into if into is not None else chosen[0]
    try:
        kept = merge_stories(kept_id, [pk for pk in chosen if pk != kept_id])
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Merged into story {kept.pk} ({kept.headline!r}): {kept.article_count} articles.")


@admin.action(description="Split if it holds two events")
def split_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    made, whole = [], []
    for pk in queryset.order_by("pk").values_list("pk", flat=True):
        try:
            new = split_story(pk)
        except InvalidInput as err:
            modeladmin.message_user(request, err.message, messages.ERROR)
            return
        if new is None:
            whole.append(pk)
        else:
            made.append(f"{pk} → new story {new.pk} ({new.article_count} articles)")
    if made:
        modeladmin.message_user(request, "Split: " + "; ".join(made) + ".")
    if whole:
        ids = ", ".join(str(pk) for pk in whole)
        modeladmin.message_user(request, f"Left whole (one event): {ids}.", messages.WARNING)


@admin.action(description="Move selected articles to the story in 'to story id'")
def move_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ArticleStory]) -> None:
    to_story = positive_id(request.POST.get("to_story"))
    if to_story is None:
        modeladmin.message_user(request, "Give the id of the story to move them to in 'to story id'.", messages.ERROR)
        return
    try:
        for article_id in queryset.values_list("article_id", flat=True):
            story = move_article(article_id, to_story)
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Moved to story {story.pk} ({story.headline!r}): {story.article_count} articles.")


class ArticleLinkInline(admin.TabularInline):
    """The story's articles, read-only (move them from the story links list)."""

    model = ArticleStory
    fields = ("article", "source", "published_at", "score")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "article"
    verbose_name_plural = "articles (move one from the article story links list)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleStory]:
        return super().get_queryset(request).select_related("article__source").order_by("article__published_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="source")
    def source(self, link: ArticleStory) -> str:
        return link.article.source.name

    @admin.display(description="published")
    def published_at(self, link: ArticleStory) -> Any:
        return link.article.published_at


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("pk", "headline", "article_count", "first_published_at", "last_published_at", "merged_into")
    list_filter = (("merged_into", admin.EmptyFieldListFilter),)
    search_fields = ("headline", "article_links__article__headline")
    readonly_fields = (
        "headline",
        "article_count",
        "first_published_at",
        "last_published_at",
        "merged_into",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields
    inlines = [ArticleLinkInline]
    action_form = StoryActionForm
    actions = [merge_selected, split_selected]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stories come from clustering (assign.py); editors merge and move


@admin.register(ArticleStory)
class ArticleStoryAdmin(admin.ModelAdmin):
    """One article's story; changing it moves the article (editing.move_article keeps both stories' counts)."""

    list_display = ("article", "story", "score", "assigned_at")
    search_fields = ("article__headline", "story__headline")
    list_select_related = ("article", "story")
    raw_id_fields = ("article", "story")
    fields = ("article", "story", "score", "assigned_at")
    readonly_fields = ("score", "assigned_at")
    action_form = MoveActionForm
    actions = [move_selected]

    def get_readonly_fields(self, request: HttpRequest, obj: ArticleStory | None = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "article") if obj is not None else self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: ArticleStory | None = None) -> bool:
        return False  # a removed link would leave its story's count wrong: move the article instead

    def save_model(self, request: HttpRequest, obj: ArticleStory, form: Any, change: bool) -> None:
        moved = move_article(obj.article_id, obj.story_id)
        # The link was created again (editing.py's note); the admin's log and redirect need the row that is there.
        fresh = ArticleStory.objects.get(article_id=obj.article_id)
        obj.pk, obj.story, obj.score, obj.assigned_at = fresh.pk, moved, fresh.score, fresh.assigned_at
