"""Articles: what a source published, cleaned for reading."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tidings.articles.keys import content_key
from tidings.lib.fast_reverse import fast_reverse
from tidings.lib.urls import safe_http_url

CARD_DEFERRED = ("body_text", "body_html", "publisher_categories")  # ArticleQuerySet.for_cards()


class ArticleQuerySet(models.QuerySet["Article"]):
    # Every row's id in this queryset's order, when they were read already (a ranked search's window: PostgreSQL's
    # relevance path, articles.search.postgres). A slice then reads only its own rows, by id, and a count needs no
    # query (lib.counting.capped_count's `known`). Only the methods below that choose columns and prefetches keep
    # it; any other clone (a filter, another order) starts without it and is read in full.
    known_order: list[int] | None = None

    def with_known_order(self, ids: list[int]) -> ArticleQuerySet:
        """This queryset, told that `ids` are its rows' ids in its order (every one of them)."""
        clone = self.all()
        clone.known_order = ids
        return clone

    def _keeping_order(self, clone: ArticleQuerySet) -> ArticleQuerySet:
        clone.known_order = self.known_order
        return clone

    def __getitem__(self, k: Any) -> Any:
        """As a queryset's, except a slice of one with known_order: the rows whose ids that slice of known_order
        names, in the queryset's own order (the same rows, in the same order, without reading the others)."""
        ids = self.known_order
        if ids is not None and self._result_cache is None and isinstance(k, slice) and k.step is None:
            start, stop = k.start or 0, k.stop
            if start >= 0 and stop is not None and stop >= 0:
                return self.filter(pk__in=ids[start:stop])
        return super().__getitem__(k)

    def visible(self) -> ArticleQuerySet:
        """Articles a reader should see: not folded into another as a duplicate."""
        return self.filter(duplicate_of__isnull=True)

    def in_category(self, category_id: int) -> ArticleQuerySet:
        """Listed in the category or one of its sub-categories (the one rule: taxonomy.membership)."""
        from tidings.taxonomy.membership import listed_in_category

        return self.filter(listed_in_category([category_id]))

    def with_topic(self, topic_id: int) -> ArticleQuerySet:
        return self.filter(topic_links__topic_id=topic_id).distinct()

    def from_source(self, source_id: int) -> ArticleQuerySet:
        return self.filter(source_id=source_id)

    def since(self, when: object) -> ArticleQuerySet:
        return self.filter(published_at__gte=when)

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-id")

    def for_listing(self) -> ArticleQuerySet:
        return self._keeping_order(
            self.select_related("source").prefetch_related("category_links__category", "topic_links__topic")
        )

    def for_cards(self) -> ArticleQuerySet:
        """for_listing() without what no card or API list item shows: the body (text and HTML, most of a real
        article row's bytes) and the publisher's categories (JSON, parsed per row). Reading one of them from
        such an article costs a query of its own."""
        return self._keeping_order(self.for_listing().defer(*CARD_DEFERRED))

    def bulk_create(self, objs: Iterable[Article], *args: Any, **kwargs: Any) -> list[Article]:  # type: ignore[override]
        """Also sets each article's content_key from its content_hash (as save() does)."""
        articles = list(objs)
        for article in articles:
            article.content_key = content_key(article.content_hash)
        return super().bulk_create(articles, *args, **kwargs)  # type: ignore[arg-type,return-value]

    def for_web_cards(self) -> ArticleQuerySet:
        """for_cards() for the web page's cards (web.listing.card_for): each link read with its category or topic
        in one query, and of those only what a card's chips show (a third less of My News' time to load a page
        of cards; the API's list items read more of them: for_cards)."""
        from tidings.taxonomy.models import ArticleCategory, ArticleTopic

        categories = ArticleCategory.objects.select_related("category").only(
            "article_id", "category_id", "score", "category__name", "category__slug"
        )
        topics = ArticleTopic.objects.select_related("topic").only(
            "article_id", "topic_id", "score", "origin", "mentions", "topic__name", "topic__slug", "topic__kind"
        )
        return self._keeping_order(
            self.select_related("source")
            .prefetch_related(
                models.Prefetch("category_links", queryset=categories), models.Prefetch("topic_links", queryset=topics)
            )
            .defer(*CARD_DEFERRED)
        )


class Article(models.Model):
    source = models.ForeignKey("sources.Source", on_delete=models.CASCADE, related_name="articles")
    url = models.CharField(max_length=2048, blank=True, help_text="Canonical URL")
    guid = models.CharField(max_length=1024, blank=True)
    headline = models.CharField(max_length=1000)
    standfirst = models.TextField(blank=True)
    body_text = models.TextField(blank=True, help_text="Clean paragraphs separated by blank lines")
    body_html = models.TextField(blank=True, help_text="Sanitized HTML (nh3)")
    author = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    image_url = models.CharField(max_length=2048, blank=True)
    image_caption = models.TextField(blank=True)
    image_credit = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=16, blank=True)
    # The exact dedup hash (ingest.dedup), compared after a content_key match; not indexed itself: a random
    # 64-character key in a global index dirtied about one index page per insert (issue 17).
    content_hash = models.CharField(max_length=64)
    # articles.keys.content_key(content_hash), set by save(), bulk_create() and the store's insert (a queryset
    # update() of content_hash must set it too). The dedup lookup reads this column's index (article_content_key).
    content_key = models.BigIntegerField(null=True, blank=True, editable=False)
    publisher_categories = models.JSONField(default=list, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,  # article_duplicate_of_set below: an index on the few non-null values only
    )
    enriched_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"], condition=~Q(guid=""), name="article_guid_unique_per_source"
            ),
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_url_unique_when_set"),
        ]
        indexes = [
            # The content-hash dedup lookup (ingest.store): 8-byte keys, a fifth of the text index's size, so a
            # refresh's inserts dirty far fewer of its pages.
            models.Index(fields=["content_key"], name="article_content_key"),
            # Lists read visible articles newest first and stop after a page (or My News's candidates): this
            # index holds exactly those rows in that order, so the scan needs no sort and stops early.
            models.Index(
                fields=["-published_at", "-id"], condition=Q(duplicate_of__isnull=True), name="article_visible_newest"
            ),
            # A source's visible articles newest first: My News's followed sources (personalization.followed).
            models.Index(
                fields=["source", "-published_at", "-id"],
                condition=Q(duplicate_of__isnull=True),
                name="article_source_newest",
            ),
            # "The duplicates of X" (and SET NULL when X goes). Partial, because a full index on a column that
            # is NULL for nearly every row made SQLite (which has no statistics here) read `duplicate_of IS
            # NULL` through it and then sort every visible article (bench/feed_latency.py).
            models.Index(
                fields=["duplicate_of"], condition=Q(duplicate_of__isnull=False), name="article_duplicate_of_set"
            ),
            # The duplicates published since a time (trending's count of a window's visible articles: every
            # article of the window, from the published_at index alone, less these few). SQLite does not read
            # the partial article_visible_newest as a covering index (its condition's column is not in it), so
            # counting the window through it read every article's row.
            models.Index(
                fields=["published_at"], condition=Q(duplicate_of__isnull=False), name="article_duplicate_newest"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: object, **kwargs: object) -> None:
        # Links are rendered in href/src: absolute http(s) or nothing (the store's bulk insert checks them too).
        self.url = safe_http_url(self.url)
        self.image_url = safe_http_url(self.image_url)
        self.content_key = content_key(self.content_hash)
        fields = kwargs.get("update_fields")
        if fields is not None and "content_hash" in fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*fields, "content_key"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return fast_reverse("web:article", self.pk)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body_text.split("\n\n") if p.strip()]
