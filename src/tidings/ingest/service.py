"""Store extracted articles: dedup by canonical URL, GUID and content hash, one transaction per batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import nh3
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape

from tidings.articles.models import Article
from tidings.ingest.dedup import canonicalize_url, content_hash
from tidings.ingest.source_boilerplate import learn_and_strip_many
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source
from tidings.taxonomy.models import ArticleCategory, Category, Origin
from tidings.taxonomy.publisher import _label_key as label_key

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


def store_articles(source: Source, items: Sequence[ExtractedArticle], *, enrich: bool = True) -> StoreResult:
    """Store new articles of one source in one transaction; already-stored ones are left as they are.

    Batched: one query each for known URLs, GUIDs and content hashes, one bulk insert. A GUID that repeats
    inside the batch identifies nothing, so those items are told apart by link and content hash instead.
    """
    result = StoreResult()
    now = timezone.now()
    guid_counts = Counter(item.guid for item in items if item.guid)
    prepared: list[tuple[ExtractedArticle, str, str, str]] = []
    for item in items:
        if not item.headline.strip():
            result.skipped.append("an item without a headline was skipped")
            continue
        guid = item.guid[:1024] if guid_counts[item.guid] == 1 else ""
        prepared.append((item, canonicalize_url(item.url), content_hash(item.headline, item.body_text), guid))
    with transaction.atomic():
        # ~Q(x="") repeats the partial unique indexes' condition, so SQLite uses them instead of a table scan.
        articles = Article.objects.order_by()
        known_urls = _existing(articles.filter(~Q(url="")), "url", {url for _, url, _, _ in prepared if url})
        by_guid = articles.filter(~Q(guid=""), source=source)
        known_guids = _existing(by_guid, "guid", {guid for _, _, _, guid in prepared if guid})
        known_hashes = _existing(articles, "content_hash", {digest for _, _, digest, _ in prepared})
        new: list[Article] = []
        labels: list[tuple[str, ...]] = []
        for item, url, digest, guid in prepared:
            by_hash = _hash_identifies(item)
            if (url and url in known_urls) or (guid and guid in known_guids) or (by_hash and digest in known_hashes):
                result.duplicates += 1
                continue
            known_urls.add(url)
            known_guids.add(guid)
            if by_hash:
                known_hashes.add(digest)
            new.append(_new_article(source, item, url, guid, digest, now))
            labels.append(tuple(item.publisher_categories))
        _strip_learned_boilerplate(source, new)
        created = Article.objects.bulk_create(new, batch_size=500)
        if any(article.pk is None for article in created):  # backends that cannot return ids from bulk inserts
            ids = dict(
                Article.objects.filter(source=source, content_hash__in=[a.content_hash for a in created]).values_list(
                    "content_hash", "pk"
                )
            )
            for article in created:
                article.pk = ids.get(article.content_hash)
        _link_categories(list(zip(created, labels, strict=True)))
        result.created = [article.pk for article in created]
        if result.created:
            created_ids = list(result.created)
            transaction.on_commit(lambda: enqueue_near_duplicate_linking(created_ids))
            if enrich:
                transaction.on_commit(lambda: enqueue_enrichment(created_ids))
    logger.info(
        "articles_stored source=%s created=%d duplicates=%d skipped=%d",
        source.pk,
        len(result.created),
        result.duplicates,
        len(result.skipped),
    )
    return result


# A one-line summary under a generic headline is shared by different articles; only a body of some length
# identifies an article by its text.
MIN_WORDS_FOR_HASH_DEDUP = 40


def _hash_identifies(item: ExtractedArticle) -> bool:
    return len(item.body_text.split()) >= MIN_WORDS_FOR_HASH_DEDUP


def _existing(queryset: QuerySet[Article], field_name: str, values: set[str]) -> set[str]:
    """Which of `values` are already stored in `field_name` (IN queries of at most 500 values)."""
    found: set[str] = set()
    ordered = sorted(values)
    for start in range(0, len(ordered), 500):
        lookup = {f"{field_name}__in": ordered[start : start + 500]}
        found.update(queryset.filter(**lookup).values_list(field_name, flat=True))
    return found


def _new_article(source: Source, item: ExtractedArticle, url: str, guid: str, digest: str, now: datetime) -> Article:
    body_html = sanitize_html(item.body_html) if item.body_html else paragraphs_to_html(item.paragraphs)
    published = item.published_at if item.published_at is not None and item.published_at <= now else now
    return Article(
        source=source,
        url=url,
        guid=guid,
        headline=item.headline.strip()[:1000],
        standfirst=item.standfirst.strip(),
        body_text=item.body_text,
        body_html=body_html,
        author=item.author[:500],
        published_at=published,
        fetched_at=now,
        image_url=item.image_url[:2048],
        image_caption=item.image_caption,
        image_credit=item.image_credit[:500],
        language=item.language,
        content_hash=digest,
        publisher_categories=list(item.publisher_categories),
    )


def _link_categories(articles: list[tuple[Article, tuple[str, ...]]]) -> None:
    """Publisher labels → IPTC categories for a whole batch: one category query, one bulk insert."""
    if not any(labels for _, labels in articles):
        return
    categories = [(category, label_key(category.name)) for category in Category.objects.all().only("id", "name")]
    links = []
    for article, labels in articles:
        wanted = {label_key(label) for label in labels if label.strip()}
        for category, key in categories:
            if key in wanted or key.split(",")[0].strip() in wanted:
                links.append(ArticleCategory(article=article, category=category, score=1.0, origin=Origin.PUBLISHER))
    ArticleCategory.objects.bulk_create(links, ignore_conflicts=True)


def _strip_learned_boilerplate(source: Source, articles: list[Article]) -> None:
    """Drop lines this source repeats across its articles (the content hash stays on the text as sent)."""
    if not articles or source.pk is None:
        return
    stripped = learn_and_strip_many(source.pk, [article.paragraphs for article in articles])
    for article, paragraphs in zip(articles, stripped, strict=True):
        if list(paragraphs) != article.paragraphs:
            article.body_text = "\n\n".join(paragraphs)
            article.body_html = paragraphs_to_html(paragraphs)


def enqueue_near_duplicate_linking(article_ids: list[int]) -> None:
    from tidings.ingest.tasks import link_near_duplicates_task

    link_near_duplicates_task.enqueue(article_ids)


def enqueue_enrichment(article_ids: list[int]) -> None:
    from tidings.enrichment.tasks import enrich_articles

    for start in range(0, len(article_ids), 64):
        enrich_articles.enqueue(article_ids[start : start + 64])
