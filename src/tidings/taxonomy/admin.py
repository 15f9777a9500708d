"""Admin for categories, topics and their aliases; article links are read-mostly there."""

from __future__ import annotations

from django.contrib import admin

from tidings.taxonomy.models import Alias, ArticleCategory, ArticleTopic, Category, Topic


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "qcode", "level", "parent")
    list_filter = ("level",)
    search_fields = ("name", "qcode", "description")
    list_select_related = ("parent",)


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ("name", "key")


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "aliases__name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    inlines = [AliasInline]


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin):
    list_display = ("article", "category", "origin", "score")
    list_filter = ("origin", "category__level")
    search_fields = ("article__headline", "category__name")
    list_select_related = ("article", "category")
    raw_id_fields = ("article",)


@admin.register(ArticleTopic)
class ArticleTopicAdmin(admin.ModelAdmin):
    list_display = ("article", "topic", "origin", "score", "mentions")
    list_filter = ("origin", "topic__kind")
    search_fields = ("article__headline", "topic__name")
    list_select_related = ("article", "topic")
    raw_id_fields = ("article", "topic")
