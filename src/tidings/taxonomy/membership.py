"""The one answer to "is this article in category C?", for the category page, My News and both trees.

An article is listed in a category when one of its links to that category, or to one of its sub-categories,
is listed, and no editor has rejected the article from that category:

- a link is listed when its score is at least LISTING_FLOOR, or when a publisher or an editor made it with
  a score above zero (a model's weak second guess is kept on the article but lists it nowhere);
- an editor link with a score of zero (taxonomy.linking.correct_category with belongs=False) means "not in
  this category": it removes the article from that category, and a link to a sub-category then no longer
  lifts the article into it either.

Everything here builds querysets and expressions; nothing runs a query on import or on call.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from tidings.taxonomy.models import ArticleCategory, Category, Origin

# Model links below this score are kept on the article but do not list it in the category.
LISTING_FLOOR = 0.25

# A link that counts: strong enough if a model guessed it, any positive score if a publisher or an editor set it.
LISTED_LINK = Q(score__gte=LISTING_FLOOR) | (~Q(origin=Origin.MODEL) & Q(score__gt=0))


def _rejected(article: OuterRef, category: OuterRef) -> Exists:
    """An editor said the article is not in the category."""
    return Exists(
        ArticleCategory.objects.filter(article_id=article, category_id=category, origin=Origin.EDITOR, score__lte=0)
    )


def _own(ids: list[int]) -> Q:
    """The link is to one of these categories, and no editor took the article out of it."""
    return Q(category_id__in=ids) & ~Q(_rejected(OuterRef("article_id"), OuterRef("category_id")))


def _through_child(ids: list[int]) -> Q:
    """The link is to a sub-category of one of these, and no editor took the article out of the parent."""
    return Q(category__parent_id__in=ids) & ~Q(_rejected(OuterRef("article_id"), OuterRef("category__parent_id")))


def listed_links(category_ids: Iterable[int]) -> QuerySet[ArticleCategory]:
    """Links that list their article in one of these categories (directly or through a sub-category)."""
    ids = sorted(set(category_ids))
    children = Category.objects.filter(parent_id__in=ids).values("pk")
    return (
        ArticleCategory.objects.filter(LISTED_LINK)
        .filter(Q(category_id__in=ids) | Q(category_id__in=children))  # narrows on the category_id index first
        .filter(_own(ids) | _through_child(ids))
    )


def listed_categories(article_ids: Iterable[int], category_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each of these articles, which of these categories it is listed in (one query)."""
    ids = sorted(set(category_ids))
    found: dict[int, set[int]] = {}
    if not ids:
        return found
    rows = (
        listed_links(ids)
        .filter(article_id__in=list(article_ids))
        .annotate(
            own=ExpressionWrapper(_own(ids), output_field=BooleanField()),
            up=ExpressionWrapper(_through_child(ids), output_field=BooleanField()),
        )
        .values_list("article_id", "category_id", "category__parent_id", "own", "up")
    )
    for article_id, category_id, parent_id, own, up in rows:
        listed = found.setdefault(article_id, set())
        if own:
            listed.add(category_id)
        if up and parent_id is not None:
            listed.add(parent_id)
    return found


def listed_in_category(category_ids: Iterable[int]) -> Q:
    """An Article filter: listed in at least one of these categories."""
    return Q(pk__in=listed_links(category_ids).values("article_id"))


class _CountDistinct(Func):
    """COUNT(DISTINCT expr) with no GROUP BY: one number from a correlated subquery."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def listed_article_count() -> Coalesce:
    """A Category annotation: how many visible articles are listed in it (the category page's count)."""
    category = OuterRef("pk")
    links = (
        ArticleCategory.objects.filter(LISTED_LINK, article__duplicate_of__isnull=True)
        # "In the category or a sub-category" as a list of category ids, so the category_id index is used.
        .filter(
            category_id__in=Category.objects.filter(Q(pk=OuterRef(category)) | Q(parent_id=OuterRef(category))).values(
                "pk"
            )
        )
        .filter(~Q(_rejected(OuterRef("article_id"), OuterRef(category))))
        .order_by()
        .annotate(n=_CountDistinct(F("article_id")))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), 0)
