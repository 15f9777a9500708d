"""Admin for stories: the list with article counts; editors merge stories and move articles (stories/editing.py).

The actions are in admin_actions.py. On a story's page each article can be moved to another story or out to a
new one; counts, times and headlines are recomputed by editing.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime

from tidings.stories.admin_actions import (
    MoveActionForm,
    StoryActionForm,
    merge_selected,
    move_out_selected,
    move_selected,
    split_selected,
    story_chooser,
)
from tidings.stories.editing import move_article, move_to_new_story
from tidings.stories.models import ArticleStory, Story


class ArticleLinkForm(forms.ModelForm):
    """One article of the story: leave it, move it to another story, or out to a new story of its own."""

    move_to = story_chooser("move to story")
    out_to_new_story = forms.BooleanField(required=False, label="out to a new story")

    class Meta:
        model = ArticleStory
        fields: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("move_to") is not None and cleaned.get("out_to_new_story"):
            raise forms.ValidationError("Choose a story to move it to, or a new story, not both.")
        return cleaned


class ArticleLinkFormSet(BaseInlineFormSet):
    def save(self, commit: bool = True) -> list[Any]:
        """Moves go through editing.py; nothing here writes a link itself."""
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []  # read by the admin's log
        self.moves: list[str] = []  # for the page's message
        for form in self.initial_forms:
            link, target = form.instance, form.cleaned_data.get("move_to")
            if form.cleaned_data.get("out_to_new_story"):
                story = move_to_new_story(link.article_id)
            elif target is not None and target.pk != link.story_id:
                story = move_article(link.article_id, target.pk)
            else:
                continue
            self.changed_objects.append((link, form.changed_data))
            self.moves.append(f"article {link.article_id} → story {story.pk} ({story.article_count} articles)")
        return []


class ArticleLinkInline(admin.TabularInline):
    model = ArticleStory
    form = ArticleLinkForm
    formset = ArticleLinkFormSet
    fields = ("article_link", "source", "published_at", "rounded_score", "move_to", "out_to_new_story")
    readonly_fields = ("article_link", "source", "published_at", "rounded_score")
    extra = 0
    can_delete = False
    verbose_name = "article"
    verbose_name_plural = "articles"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleStory]:
        return super().get_queryset(request).select_related("article__source").order_by("article__published_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="article")
    def article_link(self, link: ArticleStory) -> str:
        url = reverse("admin:articles_article_change", args=[link.article_id])
        return format_html('<a href="{}">{}</a>', url, link.article.headline)

    @admin.display(description="source")
    def source(self, link: ArticleStory) -> str:
        return link.article.source.name

    @admin.display(description="published")
    def published_at(self, link: ArticleStory) -> str:
        published = link.article.published_at
        return date_format(localtime(published), "DATETIME_FORMAT") if published else "—"

    @admin.display(description="score")
    def rounded_score(self, link: ArticleStory) -> str:
        return f"{link.score:.2f}"


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("pk", "headline", "articles", "last_published_at", "merged_into")
    list_display_links = ("pk", "headline")
    list_filter = (("merged_into", admin.EmptyFieldListFilter),)
    list_select_related = ("merged_into",)
    search_fields = ("headline",)
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

    @admin.display(description="articles", ordering="article_count")
    def articles(self, story: Story) -> int:
        return story.article_count

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        moves = getattr(formset, "moves", [])
        if moves:
            self.message_user(request, "Moved " + "; ".join(moves) + ".")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stories come from clustering (assign.py); editors merge and move

    def has_delete_permission(self, request: HttpRequest, obj: Story | None = None) -> bool:
        return False  # its articles would lose their story: merge it instead

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if request.path == reverse("admin:autocomplete"):  # choosing a story to move into: live ones only
            queryset = queryset.filter(merged_into__isnull=True, article_count__gt=0)
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip().isdigit():  # a story's number, as the lists show it
            found |= queryset.filter(pk=int(search_term.strip()))
        return found, may_have_duplicates


@admin.register(ArticleStory)
class ArticleStoryAdmin(admin.ModelAdmin):
    """One article's story; changing it moves the article (editing.move_article keeps both stories' counts)."""

    list_display = ("article", "source", "story_link", "score_shown", "assigned_at")
    search_fields = ("article__headline", "story__headline")
    list_select_related = ("article__source", "story")
    autocomplete_fields = ("article", "story")
    fields = ("article", "story", "score", "assigned_at")
    readonly_fields = ("score", "assigned_at")
    action_form = MoveActionForm
    actions = [move_selected, move_out_selected]

    def get_readonly_fields(self, request: HttpRequest, obj: ArticleStory | None = None) -> tuple[str, ...]:
        return (*self.readonly_fields, "article") if obj is not None else tuple(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: ArticleStory | None = None) -> bool:
        return False  # a removed link would leave its story's count wrong: move the article instead

    @admin.display(description="source", ordering="article__source__name")
    def source(self, link: ArticleStory) -> str:
        return link.article.source.name

    @admin.display(description="score", ordering="score")
    def score_shown(self, link: ArticleStory) -> str:
        return f"{link.score:.2f}"

    @admin.display(description="story", ordering="story_id")
    def story_link(self, link: ArticleStory) -> str:
        url = reverse("admin:stories_story_change", args=[link.story_id])
        return format_html('<a href="{}">#{} {}</a>', url, link.story_id, link.story.headline)

    def save_model(self, request: HttpRequest, obj: ArticleStory, form: Any, change: bool) -> None:
        moved = move_article(obj.article_id, obj.story_id)
        # The link was created again (editing.py's note); the admin's log and redirect need the row that is there.
        fresh = ArticleStory.objects.get(article_id=obj.article_id)
        obj.pk, obj.story, obj.score, obj.assigned_at = fresh.pk, moved, fresh.score, fresh.assigned_at
