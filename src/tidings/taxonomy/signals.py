"""Keep taxonomy.listing in step when one category or topic link is saved or deleted (bulk writers call relist)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import ArticleCategory, ArticleTopic

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
