"""The one answer to "is this article in category C?", for the category page, My News and both trees.

An article is listed in a category when one of its links to that category, or to one of its sub-categories,
is listed, and no editor has rejected the article from that category:

- a link is listed when its score is at least LISTING_FLOOR, or when a publisher or an editor made it with
  a score above zero (a model's weak second guess is kept on the article but lists it nowhere);
- an editor link with a score of zero (taxonomy.linking.correct_category with belongs=False) means "not in
  this category": it removes the article from that category, and a link to a sub-category then no longer
  lifts the article into it either.

Everything here builds querysets and expressions, except listed_categories() and listed_article_counts(),
which run one query each; nothing runs a query on import.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet

from tidings.taxonomy.models import ArticleCategory, Category, Origin

# Model links below this score are kept on the article but do not list it in the category.
LISTING_FLOOR = 0.25

# A link that counts: strong enough if a model guessed it, any positive score if a publisher or an editor set it.
LISTED_LINK = Q(score__gte=LISTING_FLOOR) | (~Q(origin=Origin.MODEL) & Q(score__gt=0))


def _rejected(article: OuterRef, category: OuterRef, among: list[int] | None = None) -> Exists:
    """An editor said the article is not in the category. `among`: the articles asked about, when known: the
    rejections are then looked for among theirs alone (PostgreSQL may read the subquery once into a hash, which
    without it holds every rejection of the corpus: 10,000 rows at 1M articles, for one story's categories)."""
    rejections = ArticleCategory.objects.filter(origin=Origin.EDITOR, score__lte=0)
    if among is not None:
        rejections = rejections.filter(article_id__in=among)
    return Exists(rejections.filter(article_id=article, category_id=category))


def _own(ids: list[int], among: list[int] | None = None) -> Q:
    """The link is to one of these categories, and no editor took the article out of it."""
    return Q(category_id__in=ids) & ~Q(_rejected(OuterRef("article_id"), OuterRef("category_id"), among))


def _through_child(ids: list[int], among: list[int] | None = None) -> Q:
    """The link is to a sub-category of one of these, and no editor took the article out of the parent."""
    rejected = _rejected(OuterRef("article_id"), OuterRef("category__parent_id"), among)
    return Q(category__parent_id__in=ids) & ~Q(rejected)


def listed_links(category_ids: Iterable[int], among: list[int] | None = None) -> QuerySet[ArticleCategory]:
    """Links that list their article in one of these categories (directly or through a sub-category); `among`:
    of these articles only."""
    ids = sorted(set(category_ids))
    children = Category.objects.filter(parent_id__in=ids).values("pk")
    links = ArticleCategory.objects.filter(LISTED_LINK)
    if among is not None:
        links = links.filter(article_id__in=among)
    return links.filter(Q(category_id__in=ids) | Q(category_id__in=children)).filter(  # the category_id index first
        _own(ids, among) | _through_child(ids, among)
    )


def listed_categories(article_ids: Iterable[int], category_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each of these articles, which of these categories it is listed in (one query)."""
    ids = sorted(set(category_ids))
    found: dict[int, set[int]] = {}
    if not ids:
        return found
    among = sorted(set(article_ids))
    rows = (
        listed_links(ids, among)
        .annotate(
            own=ExpressionWrapper(_own(ids, among), output_field=BooleanField()),
            up=ExpressionWrapper(_through_child(ids, among), output_field=BooleanField()),
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


def listed_pairs(
    *, visible_only: bool = True, article_ids: Iterable[int] | None = None
) -> QuerySet[ArticleCategory, tuple[int, int]]:
    """(article id, category id) for every visible article (every article, or these) and every category it is
    listed in.

    A UNION ALL of the links that list their article in their own category and those that list it in their
    category's parent, so a pair found both ways (or through two sub-categories) comes more than once.
    """
    visible = ArticleCategory.objects.filter(LISTED_LINK).order_by()
    if visible_only:
        visible = visible.filter(article__duplicate_of__isnull=True)
    if article_ids is not None:
        visible = visible.filter(article_id__in=list(article_ids))
    own = visible.filter(~Q(_rejected(OuterRef("article_id"), OuterRef("category_id"))))
    up = visible.filter(category__parent_id__isnull=False).filter(
        ~Q(_rejected(OuterRef("article_id"), OuterRef("category__parent_id")))
    )
    return (
        own.annotate(listed_in=F("category_id"))
        .values_list("article_id", "listed_in")
        .union(up.annotate(listed_in=F("category__parent_id")).values_list("article_id", "listed_in"), all=True)
    )


def listed_article_counts() -> dict[int, int]:
    """How many visible articles each category lists (the category page's count), in one grouped query.

    A category that lists nothing is left out. Django cannot group over a UNION, so the pairs' SQL, built by
    the ORM above, is wrapped in a GROUP BY here. (UNION ALL and COUNT(DISTINCT) took 0.10 s on PostgreSQL at
    20,000 articles where UNION and COUNT(*) took 0.13 s: bench/category_counts.py.)
    """
    pairs = listed_pairs()
    sql, params = pairs.query.sql_with_params()
    grouped = f"SELECT listed_in, COUNT(DISTINCT article_id) FROM ({sql}) pairs GROUP BY listed_in"  # noqa: S608
    with connections[pairs.db].cursor() as cursor:
        cursor.execute(grouped, params)
        return {category_id: count for category_id, count in cursor.fetchall()}
