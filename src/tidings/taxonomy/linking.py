"""Store an article's category links: machine-made ones (model, publisher) in bulk, editors' corrections one by one.

store_category_links() never touches editor links."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

from django.db import transaction

from tidings.lib.errors import InvalidInput
from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import ArticleCategory, Category, Origin

log = logging.getLogger(__name__)

REPLACEABLE_ORIGINS = (Origin.MODEL, Origin.PUBLISHER)


def store_category_links(article_id: int, categories: Sequence[Mapping[str, object]]) -> None:
    """Replace the article's model/publisher links with `categories` ({"qcode", "score", "origin"} dicts).

    Unknown qcodes and malformed entries are skipped (and logged); an empty list clears the links.
    """
    wanted: dict[tuple[str, str], float] = {}
    for entry in categories:
        qcode, score, origin = entry.get("qcode"), entry.get("score"), entry.get("origin", Origin.MODEL)
        if not isinstance(qcode, str) or origin not in REPLACEABLE_ORIGINS:
            continue
        if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score):
            continue
        key = (qcode, str(origin))
        wanted[key] = max(float(score), wanted.get(key, float("-inf")))

    ids = dict(Category.objects.filter(qcode__in={q for q, _ in wanted}).values_list("qcode", "id"))
    unknown = sorted({q for q, _ in wanted if q not in ids})
    if unknown:
        log.warning("category_links_unknown_qcodes article_id=%s qcodes=%s", article_id, ",".join(unknown))
    links = [
        ArticleCategory(article_id=article_id, category_id=ids[qcode], score=score, origin=origin)
        for (qcode, origin), score in wanted.items()
        if qcode in ids
    ]
    with transaction.atomic():
        # Without the per-row delete signals (taxonomy.signals): the article is relisted once below.
        old = ArticleCategory.objects.filter(article_id=article_id, origin__in=REPLACEABLE_ORIGINS)
        old._raw_delete(old.db)
        ArticleCategory.objects.bulk_create(links)
        relist([article_id], kinds=["category"])


ACCEPTED_SCORE = 1.0
REJECTED_SCORE = 0.0  # an editor link with this score means "this article is NOT in this category"


def correct_category(article_id: int, qcode: str, *, belongs: bool) -> ArticleCategory:
    """An editor's correction: the article is (belongs=True) or is not (False) in the category.

    Stored as an editor link (score 1.0, or 0.0 for "not this category"); machine links are kept, but an
    editor rejection hides the article from the category (ArticleQuerySet.in_category) and both kinds of
    editor link train the supervised category model (`tidings train_categories`).
    """
    try:
        category = Category.objects.get(qcode=qcode)
    except Category.DoesNotExist:
        raise InvalidInput(f"no category with the code {qcode!r}; run `tidings load_taxonomy` first?") from None
    link, _ = ArticleCategory.objects.update_or_create(
        article_id=article_id,
        category=category,
        origin=Origin.EDITOR,
        defaults={"score": ACCEPTED_SCORE if belongs else REJECTED_SCORE},
    )
    log.info("category_corrected article_id=%s qcode=%s belongs=%s", article_id, qcode, belongs)
    return link
