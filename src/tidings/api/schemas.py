"""Request and response schemas of the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# Any text a client sends: bounded and free of NUL, which databases refuse.
Text = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_no_nul)]
RequiredText = Annotated[str, StringConstraints(min_length=1, max_length=2048), AfterValidator(_no_nul)]


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="Page size, 1 to 100")
    offset: int = Field(0, ge=0, le=10_000_000, description="How many items to skip")


class CursorPageParams(PageParams):
    cursor: Text | None = Field(
        None,
        description="Where the page starts, as the previous page's `next` link gives it (opaque); instead of offset",
    )


class ArticleFilters(CursorPageParams):
    category: Text | None = Field(None, description="IPTC qcode or category slug; includes sub-categories")
    topic: Text | None = Field(None, description="Topic id or slug")
    source: Text | None = Field(None, description="Source id or slug")
    q: Text | None = Field(
        None,
        description="Full-text search; results come most relevant first. With q, count stops at 1001 (more than 1000)",
    )
    since: Text | None = Field(None, description="Published at or after this ISO date or date-time")
    speaker: Text | None = Field(None, description="Quotes this person or organisation (topic id, slug or name)")
    date_from: Text | None = Field(None, alias="from", description="Published on or after this day (YYYY-MM-DD)")
    date_to: Text | None = Field(None, alias="to", description="Published on or before this day (YYYY-MM-DD)")
    sort: Literal["relevance", "newest", "oldest"] | None = Field(
        None, description="relevance (the default with q) or newest (the default without) or oldest"
    )


class TopicFilters(PageParams):
    kind: Literal["person", "organisation", "place", "event", "keyword"] | None = None
    q: Text | None = Field(None, description="Names or aliases starting with this text")


class Error(Schema):
    detail: str


class SourceRef(Schema):
    id: int
    name: str
    slug: str


class ArticleCategoryOut(Schema):
    qcode: str
    name: str
    slug: str
    score: float
    origin: str


class ArticleTopicOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    score: float


class ArticleStoryRef(Schema):
    id: int
    url: str = Field(description="The story's web page")
    api_url: str = Field(description="The story in this API (/api/stories/{id})")
    article_count: int = Field(description="Visible articles in the story")
    source_count: int = Field(description="Outlets covering the story")


class ArticleSummary(Schema):
    id: int
    headline: str
    standfirst: str
    url: str
    author: str
    published_at: datetime
    image_url: str
    language: str
    source: SourceRef
    categories: list[ArticleCategoryOut]
    topics: list[ArticleTopicOut]
    story_id: int | None = Field(
        None, description="The story (same event, any outlet) this article is in; null if none"
    )
    story: ArticleStoryRef | None = Field(None, description="That story's links and size; null if none")


class AlsoPublishedOut(Schema):
    id: int
    headline: str
    url: str
    published_at: datetime
    source: SourceRef
    canonical: bool = Field(description="True for the first-published article of the group")


class ArticleDetail(ArticleSummary):
    paragraphs: list[str]
    body_html: str
    image_caption: str
    image_credit: str
    duplicate_of: int | None = Field(
        None, description="Id of the first-published article this one is a near-duplicate of; null if none"
    )
    also_published_by: list[AlsoPublishedOut] = Field(
        default_factory=list, description="The other articles of its near-duplicate group, first-published first"
    )


COUNT_NOTE = "How many items the list holds, counted up to 1,000 (see count_exact)"
EXACT_NOTE = "False when the list holds more than `count` items (long lists are not counted to the end)"


class ArticlePage(Schema):
    items: list[ArticleSummary]
    count: int = Field(description=COUNT_NOTE)
    count_exact: bool = Field(True, description=EXACT_NOTE)
    next: str | None


class FeedItem(ArticleSummary):
    why: str = Field(description="Why the feed shows it, in a few words: 'You follow Syria', 'Top story: 14 sources'")


class FeedPage(Schema):
    items: list[FeedItem]
    count: int
    next: str | None


class CategoryNode(Schema):
    id: int
    qcode: str
    name: str
    slug: str
    level: int
    article_count: int
    children: list[CategoryNode] = Field(default_factory=list)


class TopicOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    article_count: int
    aliases: list[str]


class TopicPage(Schema):
    items: list[TopicOut]
    count: int
    next: str | None


FullTextSetting = Literal["auto", "always", "never"]


class SourceOut(Schema):
    id: int
    name: str
    slug: str
    url: str | None = Field(
        description="The feed or page address; null unless you added this source or are staff or an editor "
        "(it may carry a private token)"
    )
    site_url: str = Field(
        description="The site's address; empty when it would give a hidden feed address away or is not http(s)"
    )
    kind: str
    language: str
    is_active: bool
    folder: str = Field("", description="Folder path for grouping, as in OPML: 'News/World'")
    full_text: FullTextSetting = Field(
        "auto",
        description="Fetch each new item's article page for its full text: auto (when the feed carries only "
        "summaries), always or never",
    )
    health: str = Field(description="One word: disabled, paused, failing, ok or new (the first that holds)")
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    next_fetch_at: datetime | None
    last_status: int | None
    last_error: str = Field(description="The last fetch error; addresses are taken out unless you may see the feed's")
    error_count: int = Field(description="Consecutive failed fetches")
    fetch_count: int
    not_modified_count: int = Field(description="Fetches answered 304 Not Modified")
    paused_reason: str
    can_change: bool = Field(False, description="Whether you may change this source's settings")


class SourcePage(Schema):
    items: list[SourceOut]
    count: int
    next: str | None


class SourceIn(Schema):
    url: RequiredText
    name: Text | None = None
    full_text: FullTextSetting = Field(
        "auto", description="auto (fetch article pages when the feed carries only summaries), always or never"
    )


class SourceSettingsIn(Schema):
    full_text: FullTextSetting = Field(
        description="auto (fetch article pages when the feed carries only summaries), always or never"
    )


FollowKind = Literal["category", "topic", "source"]


class FollowIn(Schema):
    kind: FollowKind
    id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    slug: Text | None = None
    action: Literal["follow", "mute"] = "follow"


WeightName = Literal["less", "normal", "more"]


class FollowOut(Schema):
    kind: FollowKind
    id: int
    slug: str
    name: str
    action: str
    weight: WeightName = Field(description="How much of it the reader wants in My News (follows; 'normal' for mutes)")
    created_at: datetime


class WeightIn(Schema):
    weight: WeightName


class SourceHealthOut(Schema):
    source_id: int
    state: str = Field(description="One word: disabled, paused, failing, ok or new (the first that holds)")
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_status: int | None = Field(description="HTTP status of the last fetch; null when none was received")
    last_status_text: str = Field(description="e.g. '304 Not Modified'")
    last_error: str = Field(description="The last fetch error in plain words; empty after a success")
    error_count: int = Field(description="Consecutive failed fetches")
    fetch_count: int
    not_modified_count: int
    not_modified_rate: float | None = Field(description="Share of fetches answered 304 Not Modified (0 to 1)")
    items_last_7_days: int
    items_per_day: float = Field(description="Items fetched per day over the last 7 days (or the source's age)")
    next_fetch_at: datetime | None = Field(description="Null while the source is paused or disabled")
    paused_reason: str


class ImportedSourceOut(Schema):
    id: int
    name: str
    url: str
    folder: str


class ImportErrorOut(Schema):
    title: str
    url: str
    reason: str
    line: int | None = Field(description="Line of the entry in the file, when known")


class ImportReportOut(Schema):
    title: str = Field(description="The OPML file's own title")
    summary: str
    added: list[ImportedSourceOut]
    already_present: list[ImportedSourceOut]
    errors: list[ImportErrorOut] = Field(description="Entries not imported, each with the reason")
    folders: list[str] = Field(description="Folder paths found in the file, such as 'News/World'")
    warning: str = Field(description="About the file as a whole, e.g. read by the tolerant parser")
