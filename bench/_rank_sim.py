"""The world of bench/rank_eval.py: a demo corpus as ranking candidates, simulated readers, and the metrics.

Pure and in memory: the demo generator (tidings.demo.corpus) gives the articles; what each is about comes from
the generator's own vocabulary (its IPTC top-level category; the countries and the category "things" its
headline, standfirst and first paragraph name, as topics). Readers click through personalization.interests and
personalization.ranking, the code the site runs; no database.

The reader model (fixed before any ranking constant was tuned; see rank_eval.py):
- hidden interests: a Dirichlet(CATEGORY_ALPHA) distribution over the 17 categories and one over TOPICS_PER_READER
  topics drawn at random; affinity(article) = CATEGORY_SHARE * p(category) / max p + (1 - CATEGORY_SHARE) *
  max over its topics of p(topic) / max p, in [0, 1];
- P(click | shown) = CLICK_FLOOR + CLICK_SCALE * affinity ** AFFINITY_POWER * appeal, where appeal falls with age
  (halving every APPEAL_HALF_LIFE_HOURS) and rises a little with the number of outlets covering the story. The
  floor is the noise: a click on anything at all. A click is an "open" and a "read" whose length grows with the
  affinity (plus noise); every card shown is an "impression".
"""

from __future__ import annotations

import bisect
import math
import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from tidings.demo.corpus import generate_demo_corpus
from tidings.demo.vocabulary import CATEGORIES, PLACES
from tidings.personalization.diversity import intra_list_diversity
from tidings.personalization.interests import Event
from tidings.personalization.ranking import Candidate

CATEGORY_ALPHA = 0.3
TOPICS_PER_READER = 4
CATEGORY_SHARE = 0.7
CLICK_FLOOR = 0.02
CLICK_SCALE = 0.6
AFFINITY_POWER = 1.5
APPEAL_HALF_LIFE_HOURS = 24.0
COVERAGE_APPEAL = 0.2  # appeal x (1 + this) for a story told by 4 or more outlets
PAGE = 10
POOL_HOURS = 24.0  # what ranking sees: the articles published in the last day

COUNTRY_BASE, THING_BASE = 100, 1000  # topic ids


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: tuple[Candidate, ...]  # story_sources counts the whole story (pool() recounts it at a time)
    category_names: dict[int, str]
    topic_names: dict[int, str]
    start: datetime
    end: datetime

    times: tuple[float, ...]  # the articles' publication timestamps, for bisecting

    def pool(self, now: datetime, hours: float = POOL_HOURS, exclude: frozenset[int] = frozenset()) -> list[Candidate]:
        """Articles published in the `hours` before `now`, each story's outlets counted as of `now`."""
        since = now - timedelta(hours=hours)
        first = bisect.bisect_right(self.times, (since - timedelta(hours=6)).timestamp())
        last = bisect.bisect_right(self.times, now.timestamp())
        recent = self.articles[first:last]
        outlets: dict[int, set[int]] = defaultdict(set)
        for a in recent:
            if a.story_id is not None:
                outlets[a.story_id].add(a.source_id)
        return [
            replace(a, story_sources=max(len(outlets.get(a.story_id, ())), 1))  # type: ignore[arg-type]
            for a in recent
            if a.published_at > since and a.article_id not in exclude
        ]


def build_corpus(count: int, seed: int, end: datetime) -> Corpus:
    """The demo corpus as candidates, sorted by publication time."""
    countries = sorted({country for _city, country, _money in PLACES})
    country_id = {c: COUNTRY_BASE + i for i, c in enumerate(countries)}
    city_country = {city: country for city, country, _money in PLACES}
    names = sorted({*countries, *city_country}, key=len, reverse=True)
    places = re.compile(r"\b(" + "|".join(re.escape(p) for p in names) + r")\b")
    category_id = {c.qcode: i + 1 for i, c in enumerate(CATEGORIES)}
    things: dict[str, list[tuple[str, int]]] = {}
    topic_names = {cid: name for name, cid in country_id.items()}
    for i, c in enumerate(CATEGORIES):
        things[c.qcode] = []
        for j, thing in enumerate(c.things):
            tid = THING_BASE + i * 100 + j
            bare = re.sub(r"^(the|a|an) ", "", thing)
            things[c.qcode].append((bare, tid))
            topic_names[tid] = bare
    outlets: dict[str, int] = {}
    story_outlets: dict[str, set[str]] = defaultdict(set)
    items = generate_demo_corpus(end, count=count, seed=seed)
    for item in items:
        story_outlets[item.story_id].add(item.outlet.slug)
    articles = []
    for n, item in enumerate(items):
        a = item.article
        text = " ".join((a.headline, a.standfirst, a.paragraphs[0] if a.paragraphs else ""))
        topics = {country_id[city_country.get(m, m)] for m in places.findall(text)}
        lowered = text.lower()
        topics |= {tid for bare, tid in things[item.qcode] if bare in lowered}
        assert a.published_at is not None
        articles.append(
            Candidate(
                article_id=n + 1,
                published_at=a.published_at,
                source_id=outlets.setdefault(item.outlet.slug, len(outlets) + 1),
                story_id=int(item.story_id.rsplit("-", 1)[1]),
                category_ids=frozenset({category_id[item.qcode]}),
                topic_ids=frozenset(topics),
                story_sources=len(story_outlets[item.story_id]),
            )
        )
    articles.sort(key=lambda c: (c.published_at, c.article_id))
    return Corpus(
        articles=tuple(articles),
        times=tuple(c.published_at.timestamp() for c in articles),
        category_names={i + 1: c.name for i, c in enumerate(CATEGORIES)},
        topic_names=topic_names,
        start=min(c.published_at for c in articles),
        end=end,
    )


@dataclass(slots=True)
class Reader:
    """One simulated reader: hidden interests, and what they did."""

    categories: dict[int, float]
    topics: dict[int, float]
    rng: random.Random
    events: list[Event] = field(default_factory=list)
    clicked: set[int] = field(default_factory=set)
    clicked_stories: set[int] = field(default_factory=set)

    def affinity(self, c: Candidate) -> float:
        cat = max((self.categories.get(i, 0.0) for i in c.category_ids), default=0.0) / max(self.categories.values())
        top = max((self.topics.get(i, 0.0) for i in c.topic_ids), default=0.0) / max(self.topics.values())
        return CATEGORY_SHARE * cat + (1 - CATEGORY_SHARE) * top

    def click_probability(self, c: Candidate, now: datetime) -> float:
        age = max((now - c.published_at).total_seconds() / 3600.0, 0.0)
        appeal = math.pow(0.5, age / APPEAL_HALF_LIFE_HOURS)
        appeal *= 1.0 + COVERAGE_APPEAL * min(math.log(c.story_sources) / math.log(4), 1.0)
        return min(CLICK_FLOOR + CLICK_SCALE * self.affinity(c) ** AFFINITY_POWER * appeal, 1.0)

    def view(self, shown: Sequence[Candidate], now: datetime) -> int:
        """Look at a page: impressions for all, a click (open + read) on some; returns how many were clicked."""
        clicks = 0
        for c in shown:
            about = {"category_ids": c.category_ids, "topic_ids": c.topic_ids, "source_id": c.source_id}
            self.events.append(Event("impression", now, c.article_id, **about))  # type: ignore[arg-type]
            if self.rng.random() < self.click_probability(c, now):
                seconds = self.rng.uniform(5, 30) + 150 * self.affinity(c)
                self.events.append(Event("open", now, c.article_id, **about))  # type: ignore[arg-type]
                self.events.append(Event("read", now, c.article_id, value=seconds, **about))  # type: ignore[arg-type]
                self.clicked.add(c.article_id)
                if c.story_id is not None:
                    self.clicked_stories.add(c.story_id)
                clicks += 1
        return clicks

    def labels(self, pool: Sequence[Candidate], now: datetime, rng: random.Random) -> dict[int, int]:
        """Which pool articles this reader would click if shown them (one draw, shared by every method)."""
        return {c.article_id: int(rng.random() < self.click_probability(c, now)) for c in pool}


def make_reader(corpus: Corpus, seed: int) -> Reader:
    rng = random.Random(seed)
    weights = [rng.gammavariate(CATEGORY_ALPHA, 1.0) + 1e-9 for _ in corpus.category_names]
    total = sum(weights)
    categories = {cid: w / total for cid, w in zip(corpus.category_names, weights, strict=True)}
    chosen = rng.sample(sorted(corpus.topic_names), TOPICS_PER_READER)
    topic_weights = [rng.gammavariate(1.0, 1.0) + 1e-9 for _ in chosen]
    topics = {t: w / sum(topic_weights) for t, w in zip(chosen, topic_weights, strict=True)}
    return Reader(categories, topics, random.Random(seed + 7_919))


# Metrics over one ranked list (article ids, best first) and the reader's labels.


def ndcg(ranked: Sequence[int], labels: dict[int, int], k: int = PAGE) -> float:
    gains = [labels.get(i, 0) for i in ranked[:k]]
    dcg = sum(g / math.log2(n + 2) for n, g in enumerate(gains))
    ideal = sorted(labels.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(n + 2) for n, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def reciprocal_rank(ranked: Sequence[int], labels: dict[int, int], k: int = PAGE) -> float:
    for n, i in enumerate(ranked[:k]):
        if labels.get(i, 0):
            return 1.0 / (n + 1)
    return 0.0


def hit(ranked: Sequence[int], labels: dict[int, int], k: int = PAGE) -> float:
    return 1.0 if any(labels.get(i, 0) for i in ranked[:k]) else 0.0


def diversity(ranked: Sequence[int], by_id: dict[int, Candidate], k: int = PAGE) -> float:
    return intra_list_diversity([by_id[i] for i in ranked[:k]])


def cosine_diversity(ranked: Sequence[int], by_id: dict[int, Candidate], k: int = PAGE) -> float:
    """An extra column, not the target: intra-list diversity in its textbook form (Ziegler et al. 2005), the mean
    pairwise 1 - cosine of the cards' binary feature vectors (categories, topics, story); two cards of one category
    with one different topic each are 1/2 alike, not identical as under diversity()."""
    cards = [by_id[i] for i in ranked[:k]]
    features = [
        {("category", c) for c in a.category_ids}
        | {("topic", t) for t in a.topic_ids}
        | ({("story", a.story_id)} if a.story_id is not None else set())
        for a in cards
    ]
    pairs = [(a, b) for n, a in enumerate(features) for b in features[n + 1 :]]
    if not pairs:
        return 0.0
    return sum(1.0 - (len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0) for a, b in pairs) / len(pairs)
