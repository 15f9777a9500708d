"""The farm's synthetic news web: hosts, feeds and articles derived deterministically from a seed.

`build_web(config)` lays out who publishes what (cheap specs); article text is written on demand by
`Web.text(article_id)` from the same seed, so a 1,000-feed web costs a few megabytes until it is read.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from . import text
from .lexicon import COMPANY_STEMS

FORMATS = ("rss2", "rss1", "atom", "jsonfeed")
FEED_FILES = {"rss2": "rss.xml", "rss1": "index.rdf", "atom": "atom.xml", "jsonfeed": "feed.json"}
LAYOUTS = 5
MAX_COVERAGE = 6  # outlets writing their own article about one story
EPOCH = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
_HOST_WORDS = ("Herald", "Gazette", "Courier", "Chronicle", "Observer", "Dispatch", "Ledger", "Post", "Tribune")


@dataclass(frozen=True, slots=True)
class FarmConfig:
    seed: int = 1
    feeds: int = 50
    items: int = 30
    faulty: float = 0.0
    faults: tuple[str, ...] = ()  # restrict assigned kinds; empty = all kinds
    latency_ms: int = 0
    change_every: float = 0.0
    max_age: int = 300
    epoch: datetime = EPOCH
    trickle_interval: float = 1.0  # seconds between 16-byte chunks of the slow body
    huge_mb: int = 60
    bomb_mb: int = 1024
    many_items: int = 5000


@dataclass(frozen=True, slots=True)
class Host:
    index: int
    slug: str
    name: str
    layout: int
    sections: tuple[str, ...]


@dataclass(slots=True)
class Feed:
    index: int
    host: int
    section: str  # "latest" or a text.SECTIONS slug
    format: str
    full: bool
    fault: str | None
    article_ids: list[int] = field(default_factory=list)  # newest first; "latest" feeds derive theirs
    version: int = 0
    last_modified: datetime = EPOCH

    @property
    def title_section(self) -> str:
        return "Latest news" if self.section == "latest" else self.section.capitalize()


@dataclass(frozen=True, slots=True)
class ArticleSpec:
    id: int
    host: int
    section: str
    kind: str  # original | syndicated | rewrite | brief
    story: int
    source: int | None  # the article this one copies or rewrites
    published: datetime | None
    variant: int = 0  # which coverage of its story this is (0 = first outlet)

    @property
    def dup_group(self) -> str:
        return f"d{self.source if self.kind == 'syndicated' else self.id}"


class Web:
    def __init__(self, config: FarmConfig) -> None:
        self.config = config
        self.hosts: list[Host] = []
        self.feeds: list[Feed] = []
        self.articles: list[ArticleSpec] = []
        self.stories: list[tuple[str, str]] = []  # (story_id, section)
        self.text = lru_cache(maxsize=8192)(self._write)
        self.story = lru_cache(maxsize=None)(self._story)

    # -- lookups -------------------------------------------------------------------------------------------
    def host_slug(self, article: ArticleSpec) -> str:
        return self.hosts[article.host].slug

    def article_path(self, article: ArticleSpec) -> str:
        folder = "wire" if article.kind == "syndicated" else "articles"
        return f"/h/{self.host_slug(article)}/{folder}/{article.section}-{article.id}.html"

    def canonical_path(self, article: ArticleSpec) -> str:
        if article.kind == "syndicated" and article.source is not None:
            return self.article_path(self.articles[article.source])
        return self.article_path(article)

    def feed_path(self, feed: Feed) -> str:
        return f"/h/{self.hosts[feed.host].slug}/{feed.section}/{FEED_FILES[feed.format]}"

    def near_group(self, article: ArticleSpec) -> str:
        root = article
        while root.kind in ("syndicated", "rewrite") and root.source is not None:
            root = self.articles[root.source]
        return f"n{root.id}"

    def feed_items(self, feed: Feed) -> list[int]:
        if feed.section != "latest":
            ids = feed.article_ids
        else:
            pool = [a for f in self.feeds if f.host == feed.host and f.section != "latest" for a in f.article_ids]
            ids = sorted(set(pool), key=lambda a: (self._published(a), a), reverse=True) + feed.article_ids
        limit = self.config.many_items if feed.fault == "many_items" else self.config.items
        return ids[:limit]

    def _published(self, article_id: int) -> datetime:
        return self.articles[article_id].published or self.config.epoch

    # -- text ----------------------------------------------------------------------------------------------
    def _story(self, index: int) -> text.Story:
        story_id, section = self.stories[index]
        return text.write_story(random.Random(f"{self.config.seed}:story:{index}"), story_id, section)

    def _write(self, article_id: int) -> text.ArticleText:
        spec = self.articles[article_id]
        story = self.story(spec.story)
        if spec.kind == "brief":
            return text.brief(story, article_id)
        if spec.kind in ("syndicated", "rewrite") and spec.source is not None:
            original = self.text(spec.source)
            if spec.kind == "syndicated":
                return original
            return text.rewrite(original, random.Random(f"{self.config.seed}:rewrite:{article_id}"))
        return text.cover(story, random.Random(f"{self.config.seed}:cover:{article_id}"), spec.variant)

    # -- growth --------------------------------------------------------------------------------------------
    def new_story(self, section: str) -> int:
        self.stories.append((f"s{len(self.stories):05d}", section))
        return len(self.stories) - 1

    def add_article(
        self,
        host: int,
        section: str,
        kind: str,
        story: int,
        source: int | None,
        published: datetime | None,
        variant: int = 0,
    ) -> int:
        self.articles.append(ArticleSpec(len(self.articles), host, section, kind, story, source, published, variant))
        return len(self.articles) - 1

    def add_items(self, feed: Feed, count: int, now: datetime, rng: random.Random) -> list[int]:
        """Publish `count` new original articles at the head of a section feed (for --change-every)."""
        added = []
        for _ in range(count):
            added.append(self.add_article(feed.host, feed.section, "original", self.new_story(feed.section), None, now))
        feed.article_ids[:0] = reversed(added)
        return added


def _host(rng: random.Random, index: int, n_feeds: int) -> Host:
    stem = rng.choice(COMPANY_STEMS)
    word = rng.choice(_HOST_WORDS)
    sections = tuple(rng.sample(text.SECTIONS, min(len(text.SECTIONS), max(0, n_feeds - 1))))
    slug = f"{stem.lower().replace(' ', '-')}-{word.lower()}-{index}"
    return Host(index, slug, f"The {stem} {word}", index % LAYOUTS, ("latest", *sections))


def _other_host_original(web: Web, rng: random.Random, pool: list[int], host: int) -> int | None:
    """A random earlier original of this section from another host (None when there is none yet)."""
    for _ in range(4):
        if not pool:
            return None
        candidate = rng.choice(pool)
        if web.articles[candidate].host != host:
            return candidate
    return None


def lay_out(config: FarmConfig) -> Web:
    """Lay out the web: hosts and feeds in order, then articles slot by slot (faults: build.build_web)."""
    web = Web(config)
    n_hosts = max(1, config.feeds // 5)
    per_host = [0] * n_hosts
    for i in range(config.feeds):
        per_host[min(i // 5, n_hosts - 1)] += 1
    originals: dict[str, list[int]] = {}
    coverage: dict[int, int] = {}  # story -> originals written about it so far
    index = 0
    for h in range(n_hosts):
        rng = random.Random(f"{config.seed}:host:{h}")
        host = _host(rng, h, per_host[h])
        web.hosts.append(host)
        for section in host.sections[: per_host[h]]:
            fmt = FORMATS[index % 4]
            web.feeds.append(Feed(index, h, section, fmt, (index // 4) % 2 == 0, None, last_modified=config.epoch))
            index += 1
        for feed in web.feeds[-per_host[h] :]:
            if feed.section == "latest":
                continue
            for k in range(config.items):
                published = config.epoch - timedelta(minutes=37 * k + rng.randrange(30) + 1)
                src = _other_host_original(web, rng, originals.get(feed.section, []), h)
                roll = rng.random()
                if src is not None and roll < 0.10:
                    aid = web.add_article(h, feed.section, "syndicated", web.articles[src].story, src, published)
                elif src is not None and roll < 0.20:
                    aid = web.add_article(h, feed.section, "rewrite", web.articles[src].story, src, published)
                else:
                    story = web.articles[src].story if src is not None and roll < 0.45 else -1
                    if story < 0 or coverage.get(story, 0) >= MAX_COVERAGE:
                        story = web.new_story(feed.section)
                    aid = web.add_article(h, feed.section, "original", story, None, published, coverage.get(story, 0))
                    coverage[story] = coverage.get(story, 0) + 1
                    originals.setdefault(feed.section, []).append(aid)
                feed.article_ids.append(aid)
    return web
