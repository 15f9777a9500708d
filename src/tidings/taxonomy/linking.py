"""Store an article's machine-made category links (model and publisher); editors' links are never touched."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

from django.db import transaction

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
        ArticleCategory.objects.filter(article_id=article_id, origin__in=REPLACEABLE_ORIGINS).delete()
        ArticleCategory.objects.bulk_create(links)
