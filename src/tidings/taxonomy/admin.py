"""Admin for categories, topics and their aliases; article links are read-mostly there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from tidings.taxonomy.admin_actions import AliasInline, TopicActionForm, merge_selected, split_selected
from tidings.taxonomy.linking import REJECTED_SCORE, correct_category
from tidings.taxonomy.models import Alias, ArticleCategory, ArticleTopic, Category, Origin, Topic

IN_CATEGORY, NOT_IN_CATEGORY = "in", "not"


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "qcode", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "qcode", "description")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("qcode", "slug", "level")  # IPTC's (load_taxonomy)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("pk", "name", "kind", "parent", "alias_count", "article_count", "created_at")
    list_display_links = ("pk", "name")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("slug", "created_at", "alias_count", "article_count")
    inlines = [AliasInline]
    action_form = TopicActionForm
    actions = [merge_selected, split_selected]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        aliases = Alias.objects.filter(topic=OuterRef("pk")).values("topic").annotate(n=Count("pk")).values("n")
        links = ArticleTopic.objects.filter(topic=OuterRef("pk")).values("topic").annotate(n=Count("pk")).values("n")
        return (
            super()
            .get_queryset(request)
            .annotate(
                aliases_n=Coalesce(Subquery(aliases, output_field=IntegerField()), 0),
                articles_n=Coalesce(Subquery(links, output_field=IntegerField()), 0),
            )
        )

    @admin.display(description="aliases", ordering="aliases_n")
    def alias_count(self, topic: Topic) -> int:
        return int(getattr(topic, "aliases_n", 0))

    @admin.display(description="articles", ordering="articles_n")
    def article_count(self, topic: Topic) -> int:
        return int(getattr(topic, "articles_n", 0))


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin):
    list_display = ("article", "category", "origin", "score")
    list_filter = ("origin", "category__level")
    search_fields = ("article__headline", "category__name")
    list_select_related = ("article", "category")
    autocomplete_fields = ("article", "category")


@admin.register(ArticleTopic)
class ArticleTopicAdmin(admin.ModelAdmin):
    list_display = ("article", "topic", "origin", "score", "mentions")
    list_filter = ("origin", "topic__kind")
    search_fields = ("article__headline", "topic__name")
    list_select_related = ("article", "topic")
    autocomplete_fields = ("article", "topic")


class EditorCategoryForm(forms.ModelForm):
    """An editor's verdict on one category for the article: in it, or explicitly not in it."""

    verdict = forms.ChoiceField(
        choices=[(IN_CATEGORY, "in this category"), (NOT_IN_CATEGORY, "NOT in this category")], initial=IN_CATEGORY
    )

    class Meta:
        model = ArticleCategory
        fields = ["category"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.score <= REJECTED_SCORE:
            self.initial["verdict"] = NOT_IN_CATEGORY


class EditorCategoryFormSet(BaseInlineFormSet):
    def save(self, commit: bool = True) -> list[Any]:
        """Each kept row goes through correct_category(); deleted rows are removed."""
        saved: list[Any] = []
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []  # read by the admin's log

        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):  # type: ignore[attr-defined]
                if form.instance.pk is not None:
                    self.deleted_objects.append(form.instance)
                    form.instance.delete()
                continue
            category = form.cleaned_data.get("category")
            if category is None:
                continue
            if form.instance.pk is not None and form.instance.category_id != category.pk:
                form.instance.delete()  # the editor moved the verdict to another category
            belongs = form.cleaned_data.get("verdict", IN_CATEGORY) == IN_CATEGORY
            existed = form.instance.pk is not None
            link = correct_category(self.instance.pk, category.qcode, belongs=belongs)
            if existed:
                self.changed_objects.append((link, form.changed_data))
            else:
                self.new_objects.append(link)
            saved.append(link)
        return saved


class EditorCategoryInline(admin.TabularInline):
    """Editors' corrections; "NOT in this category" hides the article there and teaches the category model."""

    model = ArticleCategory
    form = EditorCategoryForm
    formset = EditorCategoryFormSet
    fields = ["category", "verdict"]
    autocomplete_fields = ["category"]
    extra = 1
    verbose_name = "editor's category correction"
    verbose_name_plural = "editors' category corrections (retrain with `tidings train_categories`)"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleCategory]:
        return super().get_queryset(request).filter(origin=Origin.EDITOR).select_related("category")


class MachineCategoryInline(admin.TabularInline):
    """What the model and the publisher said; read-only (correct it in the editors' inline)."""

    model = ArticleCategory
    fields = ["category", "origin", "score"]
    readonly_fields = ["category", "origin", "score"]
    extra = 0
    can_delete = False
    verbose_name = "machine category"
    verbose_name_plural = "categories from the model and the publisher"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleCategory]:
        return super().get_queryset(request).exclude(origin=Origin.EDITOR).select_related("category")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
