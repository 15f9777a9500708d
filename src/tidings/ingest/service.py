"""Store extracted articles: dedup by canonical URL, GUID and content hash, one transaction per batch."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import nh3
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from tidings.articles.models import Article
from tidings.ingest.dedup import canonicalize_url, content_hash
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source
from tidings.taxonomy.publisher import link_publisher_categories

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class StoreResult:
    created: list[int] = field(default_factory=list)
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)  # reasons, for people


def paragraphs_to_html(paragraphs: Sequence[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def sanitize_html(html: str) -> str:
    return nh3.clean(html)


def store_articles(
    source: Source, items: Sequence[ExtractedArticle], *, enrich: bool = True
) -> StoreResult:
    """Store new articles of one source in one transaction; already-stored ones are left as they are."""
    result = StoreResult()
    now = timezone.now()
    with transaction.atomic():
        for item in items:
            if not item.headline.strip():
                result.skipped.append("an item without a headline was skipped")
                continue
            url = canonicalize_url(item.url)
            digest = content_hash(item.headline, item.body_text)
            existing = Article.objects.filter(content_hash=digest)
            if url:
                existing = existing | Article.objects.filter(url=url)
            if item.guid:
                existing = existing | Article.objects.filter(source=source, guid=item.guid)
            if existing.exists():
                result.duplicates += 1
                continue
            body_html = sanitize_html(item.body_html) if item.body_html else paragraphs_to_html(item.paragraphs)
            article = Article.objects.create(
                source=source,
                url=url,
                guid=item.guid[:1024],
                headline=item.headline.strip()[:1000],
                standfirst=item.standfirst.strip(),
                body_text=item.body_text,
                body_html=body_html,
                author=item.author[:500],
                published_at=item.published_at or now,
                fetched_at=now,
                image_url=item.image_url[:2048],
                image_caption=item.image_caption,
                image_credit=item.image_credit[:500],
                language=item.language,
                content_hash=digest,
                publisher_categories=list(item.publisher_categories),
            )
            if item.publisher_categories:
                link_publisher_categories(article, item.publisher_categories)
            result.created.append(article.pk)
        if enrich and result.created:
            ids = list(result.created)
            transaction.on_commit(lambda: enqueue_enrichment(ids))
    logger.info(
        "articles_stored source=%s created=%d duplicates=%d skipped=%d",
        source.pk, len(result.created), result.duplicates, len(result.skipped),
    )
    return result


def enqueue_enrichment(article_ids: list[int]) -> None:
    from tidings.enrichment.tasks import enrich_articles

    for start in range(0, len(article_ids), 64):
        enrich_articles.enqueue(article_ids[start : start + 64])
