"""Keep taxonomy.listing in step when one category or topic link is saved or deleted (bulk writers call relist),
trending's counts (taxonomy.trend_counts) when an article is deleted or moves in time or visibility, and the
stored article counts of sources and categories (taxonomy.article_counts) when an article is created, deleted
or changes visibility."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from tidings.taxonomy import article_counts, trend_counts
from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import ArticleCategory, ArticleTopic, CountKind

LINK_MODELS = (ArticleCategory, ArticleTopic)


def _kinds(sender: type) -> list[str]:
    return ["category"] if sender is ArticleCategory else ["topic"]


def link_saved(sender: type, instance: ArticleCategory | ArticleTopic, **kwargs: Any) -> None:
    relist([instance.article_id], _kinds(sender))


def link_deleted(sender: type, instance: ArticleCategory | ArticleTopic, origin: Any = None, **kwargs: Any) -> None:
    """A link deleted on its own (or by a delete of links) relists now; one deleted by a cascade (its article,
    category or topic going) waits for the commit, when the cascade is over and the article may be gone."""
    from_links = isinstance(origin, LINK_MODELS) or (isinstance(origin, QuerySet) and origin.model in LINK_MODELS)
    kinds = _kinds(sender)
    if from_links:
        relist([instance.article_id], kinds)
    else:
        article_id = instance.article_id
        transaction.on_commit(lambda: relist([article_id], kinds))


def article_saving(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Before an existing article is saved: note the hour it counted in if its time or visibility changes."""
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"published_at", "duplicate_of"} & set(update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("published_at", "duplicate_of_id").first()
    if old is not None and old != (instance.published_at, instance.duplicate_of_id):
        instance._trend_recount = [old[0], instance.published_at]
    if old is not None and old[1] != instance.duplicate_of_id:
        instance._counts_recount = True


def article_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    hours = instance.__dict__.pop("_trend_recount", None)
    if hours:
        trend_counts.recount_hours(hours)
    if created:  # listed nowhere yet: its source's count (a category's follows its links, through relist)
        article_counts.recount_after_commit(CountKind.SOURCE.value, [instance.source_id], grows=True)
    elif instance.__dict__.pop("_counts_recount", False):  # after the save: it may run at once (autocommit)
        article_counts.articles_changed([instance.pk])


def article_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An article about to be deleted: its hour, and the hours of its duplicates (they become visible: the
    delete sets their duplicate_of to NULL without saving them), are recounted once the delete commits; so are
    the stored counts of its and its duplicates' sources and categories (read now, while its listing rows exist)."""
    duplicates = list(sender.objects.filter(duplicate_of=instance.pk).values_list("pk", "published_at"))
    hours = [instance.published_at, *(when for _, when in duplicates)]
    transaction.on_commit(lambda: trend_counts.recount_hours(hours))
    article_counts.articles_changed([instance.pk, *(pk for pk, _ in duplicates)])
