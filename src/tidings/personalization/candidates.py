"""The ORM edge of ranking: what a reader is (ReaderProfile) and which articles are worth scoring (Candidates).

Three bounded pools, merged by article id:
- followed: the newest FOLLOWED_LIMIT visible articles matching what the reader follows or has shown a liking for
  (the TOP_LEARNED strongest positive Interest rows), minus what they mute (personalization.followed: one query
  per kind and time window over the precomputed taxonomy.ArticleListing);
- top stories: the articles of the TOP_STORIES recent stories (last TOP_WINDOW) with the most distinct outlets;
- recent: the newest RECENT_LIMIT visible articles, whatever they are about (new visitors, and the exploration
  share: ranking gives one card in ten to something outside the reader's interests).
Then three queries describe the candidates (categories, topics, stories with their stored outlet counts), and one more
reads embeddings when the reader has a taste vector. The top-story and recent pools, described, are the same for
every reader and come from the cache (shared_pools); the followed pool's own articles are described once per
generation of those pools in each process (described(): a memo, as descriptions do not depend on the reader).
The reader takes up to four: follows (by the caller), learned interests, read and hidden articles, hidden stories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from tidings.articles.models import Article
from tidings.enrichment.models import ArticleEmbedding
from tidings.personalization.followed import FOLLOWED_LIMIT, newest_followed
from tidings.personalization.models import ArticleState, HiddenStory, Interest, Profile
from tidings.personalization.ranking import Candidate, ReaderProfile, Target
from tidings.personalization.services import FollowLike
from tidings.stories.models import ArticleStory, Story
from tidings.stories.newest import newest_ids
from tidings.taxonomy.membership import LISTING_FLOOR
from tidings.taxonomy.models import ArticleCategory, ArticleTopic, Origin

RECENT_LIMIT = 300
HOME_RECENT_LIMIT = 600  # the home page has no followed pool: its list is top stories and recent articles
TOP_STORIES = 60
TOP_STORY_ARTICLES = 400
TOP_WINDOW = timedelta(hours=48)
TOP_LEARNED = 20  # learned interests strong enough to bring in candidates
READ_LIMIT = 2000  # the most recent read or hidden articles remembered for exclusion
DESCRIBED_MAX = 50_000  # articles in the memo of descriptions (described()) before it starts afresh
# {"generation": pools_generation(), "by_id": {article id: Candidate}, "pools_generation": …, "pools": {key: pools}}
_memo: dict[str, Any] = {}


def read_profile(
    profile: Profile | None, follows: Iterable[FollowLike], *, with_interests: bool = True
) -> ReaderProfile:
    """The reader from their follows (already read by the caller) and three queries (two without the learned
    interests, which the home page does not use); the empty profile for nobody."""
    if profile is None:
        return ReaderProfile()
    weights: dict[Target, int] = {}
    mutes: set[Target] = set()
    for follow in follows:
        target = _follow_target(follow)
        if follow.action == "follow":
            weights[target] = follow.weight
        else:
            mutes.add(target)
    implicit: dict[Target, float] = {}
    if with_interests:
        rows = Interest.objects.filter(profile=profile).values_list("kind", "target_id", "score")
        implicit = {(kind, target_id): score for kind, target_id, score in rows}
    read, read_stories, hidden = set(), set(), set()
    states = (
        ArticleState.objects.filter(profile=profile)
        .filter(Q(read_at__isnull=False) | Q(hidden_at__isnull=False))
        .order_by("-id")
        .values_list("article_id", "article__story_link__story_id", "read_at", "hidden_at")[:READ_LIMIT]
    )
    for article_id, story_id, read_at, hidden_at in states:
        if hidden_at is not None:
            hidden.add(article_id)
        if read_at is not None:
            read.add(article_id)
            if story_id is not None:
                read_stories.add(story_id)
    return ReaderProfile(
        follows=weights,
        mutes=frozenset(mutes),
        implicit=implicit,
        taste=_vector(profile.taste_vector),
        read_article_ids=frozenset(read),
        read_story_ids=frozenset(read_stories),
        hidden_story_ids=frozenset(HiddenStory.objects.filter(profile=profile).values_list("story_id", flat=True)),
        hidden_article_ids=frozenset(hidden),
    )


def _follow_target(follow: FollowLike) -> Target:
    if follow.category_id is not None:
        return ("category", follow.category_id)
    if follow.topic_id is not None:
        return ("topic", follow.topic_id)
    assert follow.source_id is not None, "a follow has exactly one target (follow_exactly_one_target)"
    return ("source", follow.source_id)


def _vector(data: bytes | memoryview | None) -> tuple[float, ...] | None:
    """float32 bytes as floats; None for nothing or a broken value (length not a multiple of four, not finite)."""
    if not data or len(data) % 4:
        return None
    vector = np.frombuffer(bytes(data), dtype="<f4")
    if not np.all(np.isfinite(vector)) or not np.any(vector):
        return None
    return tuple(vector.tolist())  # the same floats as float(x) for each, without a Python call per element


Row = tuple[int, datetime, int]  # article id, published_at, source id


def followed_rows(reader: ReaderProfile, now: datetime) -> list[Row]:
    """The followed pool: articles matching follows or the strongest learned likings, minus mutes
    (personalization.followed reads them from the precomputed listing)."""
    learned = sorted(((v, t) for t, v in reader.implicit.items() if v > 0), reverse=True)[:TOP_LEARNED]
    return newest_followed([*reader.follows, *(t for _, t in learned)], reader.mutes, now, FOLLOWED_LIMIT)


def top_story_rows(now: datetime) -> list[Row]:
    """Articles of the recent stories with the most distinct outlets (ties: the story updated last).

    A story is recent when its last article is within TOP_WINDOW; its outlets are its stored source count
    (stories.coverage: every visible article's outlet, also those published before the window). The stories are
    one range of the story_top_recent index (the window's stories of two outlets or more, sorted there: no read
    grows with the corpus), their articles one index lookup per story."""
    top = list(
        Story.objects.filter(merged_into__isnull=True, source_count__gte=2, last_published_at__gte=now - TOP_WINDOW)
        .order_by("-source_count", "-last_published_at", "-id")
        .values_list("pk", flat=True)[:TOP_STORIES]
    )
    if not top:
        return []
    articles = Article.objects.visible().filter(story_link__story_id__in=top)
    return list(articles.newest_first().values_list("id", "published_at", "source_id")[:TOP_STORY_ARTICLES])


def recent_rows(limit: int = RECENT_LIMIT) -> list[Row]:
    return list(Article.objects.visible().newest_first().values_list("id", "published_at", "source_id")[:limit])


def listed_from_links(links: Iterable[tuple[int, int, int | None, float, str]]) -> dict[int, set[int]]:
    """Categories each article is listed in, from all its links (article, category, parent, score, origin).

    The rule of taxonomy.membership, applied to rows already read: a link lists its article in its category and
    that category's parent when it is strong enough (LISTING_FLOOR for a model, above zero for a publisher or an
    editor), unless an editor took the article out of that category (an editor link scored zero or less).
    """
    rows = list(links)
    rejected = {(a, c) for a, c, _p, score, origin in rows if origin == Origin.EDITOR and score <= 0}
    listed: dict[int, set[int]] = defaultdict(set)
    for article_id, category_id, parent_id, score, origin in rows:
        strong = score >= LISTING_FLOOR if origin == Origin.MODEL else score > 0
        if not strong:
            continue
        for listed_in in (category_id, parent_id):
            if listed_in is not None and (article_id, listed_in) not in rejected:
                listed[article_id].add(listed_in)
    return listed


def describe(rows: Sequence[Row], with_embeddings: bool = False) -> list[Candidate]:
    """Candidates for these rows (duplicates merged): three queries, four with embeddings."""
    unique = {row[0]: row for row in rows}
    ids = list(unique)
    if not ids:
        return []
    links = ArticleCategory.objects.filter(article_id__in=ids).values_list(
        "article_id", "category_id", "category__parent_id", "score", "origin"
    )
    categories = listed_from_links(links)
    topics: dict[int, set[int]] = defaultdict(set)
    for article_id, topic_id in ArticleTopic.objects.filter(article_id__in=ids).values_list("article_id", "topic_id"):
        topics[article_id].add(topic_id)
    stories = {
        article_id: (story_id, n or 1)
        for article_id, story_id, n in ArticleStory.objects.filter(article_id__in=ids).values_list(
            "article_id", "story_id", "story__source_count"
        )
    }
    vectors: dict[int, tuple[float, ...] | None] = {}
    if with_embeddings:
        for article_id, data in ArticleEmbedding.objects.filter(article_id__in=ids).values_list("article_id", "vector"):
            vectors[article_id] = _vector(data)
    return [
        Candidate(
            article_id=article_id,
            published_at=published_at,
            source_id=source_id,
            story_id=stories.get(article_id, (None, 1))[0],
            category_ids=frozenset(categories.get(article_id, ())),
            topic_ids=frozenset(topics.get(article_id, ())),
            story_sources=stories.get(article_id, (None, 1))[1],
            embedding=vectors.get(article_id),
        )
        for article_id, published_at, source_id in unique.values()
    ]


def pools_generation(now: datetime) -> str | None:
    """The key of what every reader shares (shared_pools and the descriptions memo): the newest article, story
    link and listing row (stories.newest: a new article, story assignment or category or topic link is seen within
    NEWEST_IDS_SECONDS:
    taxonomy.listing writes new rows for every article it relists) and the time to the SHARED_POOLS_SECONDS
    bucket; None when SHARED_POOLS_SECONDS is 0 (nothing is kept)."""
    if settings.SHARED_POOLS_SECONDS <= 0:
        return None
    return generation_of(newest_ids(), now)


def generation_of(newest: Sequence[int | None], now: datetime) -> str:
    """pools_generation() from the newest ids already read (stories.newest.newest_ids_sql(), as part of a bigger
    statement)."""
    return f"{':'.join(map(str, newest))}:{int(now.timestamp()) // settings.SHARED_POOLS_SECONDS}"


def shared_pools(
    now: datetime, recent_limit: int, generation: str | None = None
) -> tuple[list[Row], dict[int, Candidate]]:
    """The top-story and recent pools, described (no embeddings): the same for every reader, so kept in the
    cache for SHARED_POOLS_SECONDS under pools_generation() and the limit; a duplicate mark, a story merge or a
    link removed that leaves the article listed nowhere shows within SHARED_POOLS_SECONDS. This process also keeps
    the current generation's pools as read (in _memo, as the descriptions): the cache's copy is unpickled once per
    process and generation, not on every request (the same value: the key is the generation)."""
    generation = generation or pools_generation(now)
    if generation is None:
        return _read_shared(now, recent_limit)
    key = f"tidings:pools:{generation}:{recent_limit}"
    if _memo.get("pools_generation") != generation:
        _memo.update(pools_generation=generation, pools={})
    kept: dict[str, tuple[list[Row], dict[int, Candidate]]] = _memo["pools"]
    if key in kept:  # this process read them already in this generation: not unpickled again per request
        return kept[key]
    found = cache.get(key)
    if found is None:
        found = _read_shared(now, recent_limit)
        cache.set(key, found, settings.SHARED_POOLS_SECONDS)
    kept[key] = found
    return found  # type: ignore[no-any-return]


def described(rows: Sequence[Row], generation: str | None) -> dict[int, Candidate]:
    """The rows' articles described, by id: from this process's memo of the current generation (descriptions
    are the same for every reader, and change only with what pools_generation() watches), the rest by describe().
    The memo holds one generation and at most DESCRIBED_MAX articles."""
    if generation is None:
        return {candidate.article_id: candidate for candidate in describe(rows)}
    if _memo.get("generation") != generation or len(_memo["by_id"]) > DESCRIBED_MAX:
        _memo.update(generation=generation, by_id={})
    by_id: dict[int, Candidate] = _memo["by_id"]
    by_id.update((c.article_id, c) for c in describe([row for row in rows if row[0] not in by_id]))
    return {row[0]: by_id[row[0]] for row in rows if row[0] in by_id}


def reset_described() -> None:
    """Forget the memo of descriptions and of the shared pools (tests: rolled-back tests reuse ids)."""
    _memo.clear()


def _read_shared(now: datetime, recent_limit: int) -> tuple[list[Row], dict[int, Candidate]]:
    rows = [*top_story_rows(now), *recent_rows(recent_limit)]
    return rows, {candidate.article_id: candidate for candidate in describe(rows)}


def _with_embeddings(candidates: list[Candidate]) -> list[Candidate]:
    ids = [candidate.article_id for candidate in candidates]
    vectors = dict(ArticleEmbedding.objects.filter(article_id__in=ids).values_list("article_id", "vector"))
    return [replace(candidate, embedding=_vector(vectors.get(candidate.article_id))) for candidate in candidates]


def personal_candidates(reader: ReaderProfile, now: datetime, generation: str | None = None) -> list[Candidate]:
    """My News: the followed, top-story and recent pools (a reader with no interest at all gets none); the shared
    pools come from shared_pools(), the followed pool's descriptions from the memo (described()). `generation`:
    pools_generation(now), when the caller has read it already."""
    if reader.is_empty:
        return []
    followed = followed_rows(reader, now)
    generation = generation or pools_generation(now)
    shared_rows, shared = shared_pools(now, RECENT_LIMIT, generation)
    own = described([r for r in followed if r[0] not in shared], generation)
    order = dict.fromkeys(row[0] for row in [*followed, *shared_rows])
    candidates = [own.get(article_id) or shared[article_id] for article_id in order]
    return _with_embeddings(candidates) if reader.taste is not None else candidates


def home_candidates(now: datetime) -> list[Candidate]:
    """The home page's top stories: the top-story and recent pools, for everyone."""
    rows, shared = shared_pools(now, HOME_RECENT_LIMIT)
    return [shared[article_id] for article_id in dict.fromkeys(row[0] for row in rows)]
