"""Admin actions and forms for editors' story changes; each one calls stories/editing.py.

On the story list: tick stories, optionally choose the one to keep in 'into story', run "Merge". Without it the
story first reported is kept. On the articles' story list: tick articles, choose 'to story', run "Move"; or run
"Move out to a new story". "Split if it holds two events" moves, for each ticked story whose articles form two
clear groups (clustering.split_story's rule), the smaller group to a new story.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.lib.errors import InvalidInput
from tidings.lib.form_values import positive_id
from tidings.stories.editing import merge_stories, move_article, move_to_new_story, split_story
from tidings.stories.models import ArticleStory, Story


def story_chooser(label: str, help_text: str = "") -> forms.ModelChoiceField:
    """A story picked by typing part of its headline (the admin's autocomplete over StoryAdmin's search)."""
    return forms.ModelChoiceField(
        queryset=Story.objects.all(),
        required=False,
        label=label,
        help_text=help_text,
        widget=AutocompleteSelect(ArticleStory._meta.get_field("story"), admin.site),
    )


class StoryActionForm(ActionForm):
    into = story_chooser("into story", "Merge: the story to keep (default: the first reported)")


class MoveActionForm(ActionForm):
    to_story = story_chooser("to story")


@admin.action(description="Merge selected stories (into 'into story', or the first reported)", permissions=["change"])
def merge_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Story]) -> None:
    chosen = list(queryset.order_by("first_published_at", "pk").values_list("pk", flat=True))
    into = positive_id(request.POST.get("into"))
    if into is None and len(chosen) < 2:
        modeladmin.message_user(request, "Tick two or more stories, or one and 'into story'.", messages.ERROR)
        return
    kept_id = into if into is not None else chosen[0]
    try:
        kept = merge_stories(kept_id, [pk for pk in chosen if pk != kept_id])
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Merged into story {kept.pk} ({kept.headline!r}): {kept.article_count} articles.")


@admin.action(description="Split if it holds two events", permissions=["change"])
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


@admin.action(description="Move selected articles to the story in 'to story'", permissions=["change"])
def move_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ArticleStory]) -> None:
    to_story = positive_id(request.POST.get("to_story"))
    if to_story is None:
        modeladmin.message_user(request, "Choose the story to move them to in 'to story'.", messages.ERROR)
        return
    try:
        for article_id in queryset.values_list("article_id", flat=True):
            story = move_article(article_id, to_story)
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Moved to story {story.pk} ({story.headline!r}): {story.article_count} articles.")


@admin.action(description="Move each selected article out to a new story of its own", permissions=["change"])
def move_out_selected(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ArticleStory]) -> None:
    made = []
    try:
        for article_id in queryset.order_by("pk").values_list("article_id", flat=True):
            made.append(move_to_new_story(article_id).pk)
    except InvalidInput as err:
        modeladmin.message_user(request, err.message, messages.ERROR)
        return
    modeladmin.message_user(request, f"Each in a story of its own: {', '.join(map(str, made))}.")
