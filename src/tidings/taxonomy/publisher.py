"""Map a publisher's own category labels onto IPTC categories (first version: name match)."""

from __future__ import annotations

from collections.abc import Iterable

from tidings.articles.models import Article
from tidings.taxonomy.models import ArticleCategory, Category, Origin


def _label_key(label: str) -> str:
    return " ".join(label.casefold().replace("&", "and").split())


def link_publisher_categories(article: Article, labels: Iterable[str]) -> None:
    """Link categories whose name matches a publisher label, or whose first word does."""
    wanted = {_label_key(label) for label in labels if label.strip()}
    if not wanted:
        return
    links = []
    for category in Category.objects.all().only("id", "name"):
        key = _label_key(category.name)
        head = key.split(",")[0].strip()
        if key in wanted or head in wanted:
            links.append(ArticleCategory(article=article, category=category, score=1.0, origin=Origin.PUBLISHER))
    ArticleCategory.objects.bulk_create(links, ignore_conflicts=True)
