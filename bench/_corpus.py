"""A large synthetic corpus for benchmarks: distinct, enriched-looking articles and profiles, written fast.

    from bench._corpus import CorpusSpec, build_corpus
    stats = build_corpus(CorpusSpec(articles=1_000_000))     # sources, topics, articles + links, stories, claims
    # profiles: bench._profiles.build_profiles

What one article gets (as the enrichment pipeline would leave it): a headline, standfirst and three body
paragraphs filled from the demo vocabulary (tidings.demo.vocabulary; the headline is unique in the corpus),
an IPTC category link (a sub-category 70% of the time; 10% also a publisher label, 30% a weak second model
guess below the listing floor, 1% an editor's "not in this category"), 2-6 topic links (people, places,
countries, organisations; popularity is Zipf-like, so a few topics are in many articles and most in few), a
story (every article is in one; 20% of events are told by 2-4 outlets within six hours), a claims row for 30%,
and 1% are near-duplicates of another article in their story. Articles arrive at a fixed rate
(`per_day`, 10,000 a day by default), the newest a few minutes before `now`: a larger corpus is a longer
history, as a growing installation would have.

Rows skip the ORM (bench._bulk_insert: COPY on PostgreSQL, executemany on SQLite), in chunks of `chunk`
articles, one transaction each. Benchmarks only; seeded, so a spec gives the same corpus.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench._bulk_insert import fast_load_pragmas, insert_rows, next_id, reset_sequences
from django.db import transaction

from tidings.articles.keys import content_key

_SLUG = re.compile(r"[^a-z0-9]+")
ARTICLE_FIELDS = (
    "id source_id url guid headline standfirst body_text body_html author published_at fetched_at image_url "
    "image_caption image_credit language content_hash content_key publisher_categories duplicate_of_id enriched_at"
).split()


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    articles: int
    seed: int = 17
    sources: int = 300
    people: int = 20_000
    per_day: int = 10_000
    chunk: int = 20_000
    now: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass(slots=True)
class CorpusStats:
    articles: int = 0
    rows: int = 0  # every row written: articles, links, stories, claims, topics, sources
    seconds: float = 0.0
    listing_seconds: float = 0.0  # of seconds, filling the precomputed listing (taxonomy.ArticleListing)
    by_table: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:70]


class Zipf:
    """Draws indexes 0..n-1 with weight 1/(rank+1)**s (bisect over cumulative weights)."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self.rng = rng
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(n)))

    def __call__(self) -> int:
        return bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])


@dataclass(slots=True)
class _World:
    """The fixed cast: sources, categories, topics (ids in the database) and the vocabulary."""

    sources: list[tuple[int, str]]  # (id, slug)
    tops: list[tuple[int, Any, list[int]]]  # (category id, CategoryVocabulary, child ids)
    people: list[tuple[int, str]]  # (topic id, name)
    places: list[tuple[int, int, str, str, str]]  # (city topic id, country topic id, city, country, currency)
    orgs: dict[tuple[int, int, int], tuple[int, str]]  # (top index, org template, place index) -> (topic, phrase)
    districts: tuple[str, ...]


def _make_world(spec: CorpusSpec, rng: random.Random, stats: CorpusStats) -> _World:
    from django.core.management import call_command

    from tidings.demo.vocabulary import CATEGORIES, DISTRICTS, FIRST_NAMES, LAST_NAMES, OUTLETS, PLACES
    from tidings.sources.models import Source, SourceKind
    from tidings.taxonomy.models import Category, Topic, TopicKind

    if not Category.objects.exists():
        call_command("load_taxonomy", verbosity=0)
    by_qcode = {c.qcode: c for c in Category.objects.all()}
    children: dict[int, list[int]] = {}
    for pk, parent in Category.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    tops = [(by_qcode[v.qcode].pk, v, children.get(by_qcode[v.qcode].pk, [])) for v in CATEGORIES]

    words = ("Daily", "Post", "Times", "Wire", "Review", "Record", "Courier", "Sentinel", "Journal", "Voice")
    names = list(OUTLETS) + [f"{rng.choice(PLACES)[0]} {rng.choice(words)} {n}" for n in range(spec.sources)]
    source_rows = [
        Source(
            kind=SourceKind.RSS,
            url=f"https://bench-{n}.example/feed.xml",
            name=name,
            slug=f"bench-{n}-{_slug(name)}",
            site_url=f"https://bench-{n}.example/",
            language="en",
        )
        for n, name in enumerate(names[: spec.sources])
    ]
    sources = [(s.pk, s.slug) for s in Source.objects.bulk_create(source_rows)]

    def topic(kind: str, name: str, tag: str) -> Topic:
        return Topic(kind=kind, name=name, slug=f"{_slug(name)[:60]}-{tag}")

    initials = "ABCDEFGHJKLMNOPRSTVW"
    every_name = [f"{f} {i}. {la}" for f in FIRST_NAMES for la in LAST_NAMES for i in initials]
    person_names = rng.sample(every_name, min(spec.people, len(every_name)))
    people = [
        (t.pk, t.name)
        for t in Topic.objects.bulk_create(
            [topic(TopicKind.PERSON, n, f"p{i}") for i, n in enumerate(person_names)], batch_size=2000
        )
    ]
    countries = sorted({country for _city, country, _money in PLACES})
    country_ids = {
        t.name: t.pk
        for t in Topic.objects.bulk_create([topic(TopicKind.PLACE, c, f"c{i}") for i, c in enumerate(countries)])
    }
    cities = Topic.objects.bulk_create(
        [topic(TopicKind.PLACE, city, f"t{i}") for i, (city, _c, _m) in enumerate(PLACES)]
    )
    places = [
        (t.pk, country_ids[country], city, country, money)
        for t, (city, country, money) in zip(cities, PLACES, strict=True)
    ]
    org_keys, org_rows, org_names = [], [], []
    for ti, (_pk, vocab, _children) in enumerate(tops):
        for oi, template in enumerate(vocab.orgs):
            for pi, (_city_pk, _country_pk, city, country, _money) in enumerate(places):
                facts = {
                    "place": city,
                    "country": country,
                    "nation": _nation(country),
                    "district": DISTRICTS[pi % len(DISTRICTS)],
                }
                name = template.format_map(_Defaults(facts))
                org_keys.append((ti, oi, pi))
                org_names.append(name)
                org_rows.append(topic(TopicKind.ORGANISATION, _cap(name.removeprefix("the ")), f"o{len(org_rows)}"))
    org_topics = Topic.objects.bulk_create(org_rows, batch_size=2000)
    orgs = {key: (t.pk, name) for key, t, name in zip(org_keys, org_topics, org_names, strict=True)}
    stats.by_table["sources_source"] = len(sources)
    stats.by_table["taxonomy_topic"] = len(people) + len(countries) + len(cities) + len(org_topics)
    stats.rows += len(sources) + stats.by_table["taxonomy_topic"]
    return _World(sources, tops, people, places, orgs, tuple(DISTRICTS))


def _nation(country: str) -> str:
    from tidings.demo.vocabulary import NATIONALITIES

    return NATIONALITIES.get(country, country)


class _Defaults(dict[str, str]):
    """format_map facts: a slot the event did not fill reads as a plain word instead of failing."""

    def __missing__(self, key: str) -> str:
        return {"group": "rebel groups", "team": "the home side", "party": "the ruling party"}.get(key, key)


def build_corpus(spec: CorpusSpec) -> CorpusStats:
    """Fill an empty (migrated) database with spec.articles articles and everything around them."""
    from tidings.articles.models import Article
    from tidings.stories.coverage import recount_all as recount_sources
    from tidings.stories.models import ArticleStory, Claim, Story
    from tidings.taxonomy.article_counts import fill_all as fill_article_counts
    from tidings.taxonomy.listing import relist_all
    from tidings.taxonomy.models import ArticleCategory, ArticleListing, ArticleTopic, TopicTrendCount
    from tidings.taxonomy.trend_baseline import store_ahead
    from tidings.taxonomy.trend_counts import recount_all

    started = time.perf_counter()
    stats = CorpusStats()
    rng = random.Random(spec.seed)
    fast_load_pragmas()
    world = _make_world(spec, rng, stats)
    writer = _Writer(spec, world, rng)
    writer.article_id = next_id(Article)
    writer.story_id = next_id(Story)
    tables = {
        "articles": (Article, ARTICLE_FIELDS),
        "categories": (ArticleCategory, ["article_id", "category_id", "score", "origin"]),
        "topics": (ArticleTopic, ["article_id", "topic_id", "score", "origin", "mentions"]),
        "stories": (
            Story,
            "id headline first_published_at last_published_at article_count source_count created_at updated_at".split(),
        ),
        "story_links": (ArticleStory, ["article_id", "story_id", "score", "assigned_at"]),
        "claims": (Claim, _CLAIM_FIELDS),
    }
    while writer.made < spec.articles:
        rows = writer.chunk(min(spec.chunk, spec.articles - writer.made))
        with transaction.atomic():
            for name, (model, fields) in tables.items():
                written = insert_rows(model, fields, rows[name])
                stats.by_table[model._meta.db_table] = stats.by_table.get(model._meta.db_table, 0) + written
                stats.rows += written
    reset_sequences([Article, Story, ArticleCategory, ArticleTopic, ArticleStory, Claim])
    recount_sources()  # each story's outlets (stories.coverage), in one UPDATE
    listing_started = time.perf_counter()
    relist_all()  # the precomputed listing My News reads (taxonomy.listing), in two INSERT ... SELECT
    fill_article_counts()  # the Sources list's and Browse's stored counts (taxonomy.article_counts)
    stats.by_table[ArticleListing._meta.db_table] = ArticleListing.objects.count()
    stats.rows += stats.by_table[ArticleListing._meta.db_table]
    recount_all()  # trending's topic counts per hour and day (taxonomy.trend_counts)
    store_ahead()  # trending's baselines of this hour and the next, as the periodic job keeps them
    stats.by_table[TopicTrendCount._meta.db_table] = TopicTrendCount.objects.count()
    stats.rows += stats.by_table[TopicTrendCount._meta.db_table]
    stats.listing_seconds = time.perf_counter() - listing_started
    stats.articles = writer.made
    stats.seconds = time.perf_counter() - started
    return stats


_CLAIM_FIELDS = (
    "article_id order part paragraph speaker_text speaker_start speaker_end cue_text cue_start cue_end "
    "content_text content_start content_end quote kind attributed speaker_topic_id via_text"
).split()


class _Writer:
    """Makes the rows of successive chunks; keeps ids, the clock and the headlines seen so far."""

    def __init__(self, spec: CorpusSpec, world: _World, rng: random.Random) -> None:
        self.spec, self.world, self.rng = spec, world, rng
        self.made = 0
        self.article_id = 1
        self.story_id = 1
        self.seen: set[int] = set()
        self.step = 86400.0 / spec.per_day
        self.clock = spec.now - timedelta(seconds=spec.articles * self.step + 600)
        self.latest = spec.now - timedelta(seconds=60)
        self.pick_person = Zipf(len(world.people), 0.9, rng)
        self.pick_place = Zipf(len(world.places), 0.8, rng)
        self.pick_top = Zipf(len(world.tops), 0.6, rng)
        self.pick_source = Zipf(len(world.sources), 0.7, rng)

    def _unique(self, text: str, where: str) -> str:
        """The headline, or with its place (then a running number) added if the corpus has it already."""
        candidate, n = text, 1
        while hash(candidate) in self.seen:
            n += 1
            candidate = f"{text} ({where})" if n == 2 else f"{text} ({where}, {n})"
        self.seen.add(hash(candidate))
        return candidate

    def chunk(self, count: int) -> dict[str, list[tuple[Any, ...]]]:
        rows: dict[str, list[tuple[Any, ...]]] = {
            k: [] for k in ("articles", "categories", "topics", "stories", "story_links", "claims")
        }
        done = 0
        while done < count:
            size = min(self.rng.randint(2, 4) if self.rng.random() < 0.2 else 1, count - done)
            self._event(size, rows)
            done += size
        self.made += count
        return rows

    def _event(self, size: int, rows: dict[str, list[tuple[Any, ...]]]) -> None:
        rng, world = self.rng, self.world
        ti = self.pick_top()
        top_id, vocab, children = world.tops[ti]
        pi = self.pick_place()
        city_id, country_id, city, country, currency = world.places[pi]
        person = world.people[self.pick_person()]
        person2 = world.people[self.pick_person()]
        oi = rng.randrange(len(vocab.orgs))
        org_id, org = world.orgs[(ti, oi, pi)]
        role, role2 = rng.sample(vocab.roles, 2)
        self.clock += timedelta(seconds=size * self.step)
        facts = _Defaults(
            place=city,
            country=country,
            nation=_nation(country),
            district=rng.choice(world.districts),
            person=person[1],
            person2=person2[1],
            role=role,
            role2=role2,
            thing=rng.choice(vocab.things),
            n=f"{rng.randrange(120, 9800):,}",
            n2=str(rng.randint(3, 38)),
            pct=f"{rng.uniform(1.5, 38.0):.1f}",
            money=f"{rng.uniform(1.2, 950.0):.1f} million {currency}",
            day=self.clock.strftime("%A"),
            org=org,
            price=f"{rng.randint(3, 38) * 6 + 30} {currency}",
        )
        for slot, options in vocab.extras.items():
            facts[slot] = rng.choice(options).format_map(facts)
        category_id = rng.choice(children) if children and rng.random() < 0.7 else top_id
        topics = {person[0]: 0.9, city_id: 0.8, country_id: 0.6, org_id: 0.7}
        if rng.random() < 0.5:
            topics.setdefault(person2[0], 0.5)
        topic_ids = list(topics.items())
        story_id = self.story_id
        self.story_id += 1
        headlines = rng.sample(vocab.headlines, len(vocab.headlines))
        first_id, first_at, first_headline = 0, self.clock, ""
        for k in range(size):
            article_id = self.article_id
            self.article_id += 1
            published = min(self.clock + timedelta(seconds=rng.uniform(0, 6 * 3600) if k else 0), self.latest)
            source_id, source_slug = world.sources[self.pick_source()]
            headline = self._unique(_cap(headlines[k % len(headlines)].format_map(facts)), city)
            standfirst = _cap(rng.choice(vocab.ledes).format_map(facts))
            speaker = f"{role} {person[1]}" if rng.random() < 0.6 else facts["org"]
            claim_text = rng.choice(vocab.claims).format_map(facts)
            said = f"{_cap(speaker)} said {claim_text}."
            paragraphs = [
                _cap(rng.choice(vocab.context).format_map(facts)),
                said,
                _cap(rng.choice(vocab.figures).format_map(facts)),
            ]
            body = "\n\n".join(paragraphs)
            duplicate = first_id if k and rng.random() < 0.05 else None
            rows["articles"].append(
                (
                    article_id,
                    source_id,
                    f"https://{source_slug}.example/{published:%Y/%m/%d}/{_slug(headline)}-{article_id}",
                    f"{source_slug}:{article_id}",
                    headline,
                    standfirst,
                    body,
                    "",
                    f"{rng.choice(('By', 'Reporting by'))} {world.people[self.pick_person()][1]}",
                    published,
                    published,
                    "",
                    "",
                    "",
                    "en",
                    digest := hashlib.sha256((headline + body).encode()).hexdigest(),
                    content_key(digest),
                    "[]",
                    duplicate,
                    published,
                )
            )
            if not k:
                first_id, first_at, first_headline = article_id, published, headline
            self._links(rows, article_id, ti, category_id, topic_ids)
            rows["story_links"].append(
                (article_id, story_id, 0.0 if not k else round(rng.uniform(0.55, 0.95), 3), published)
            )
            if rng.random() < 0.3:
                start = len(headline) + 2 + len(standfirst) + 2 + len(paragraphs[0]) + 2
                content_start = start + len(speaker) + len(" said ")
                rows["claims"].append(
                    (
                        article_id,
                        0,
                        "body",
                        1,
                        _cap(speaker),
                        start,
                        start + len(speaker),
                        "said",
                        start + len(speaker) + 1,
                        start + len(speaker) + 5,
                        claim_text,
                        content_start,
                        content_start + len(claim_text),
                        False,
                        "claim",
                        True,
                        person[0] if speaker.endswith(person[1]) else None,
                        "",  # via_text: not a statement nested in another
                    )
                )
        rows["stories"].append(
            (story_id, first_headline, first_at, published if size > 1 else first_at, size, 0, first_at, published)
        )

    def _links(
        self,
        rows: dict[str, list[tuple[Any, ...]]],
        article_id: int,
        ti: int,
        category_id: int,
        topic_ids: list[tuple[int, float]],
    ) -> None:
        rng, world = self.rng, self.world
        top_id = world.tops[ti][0]
        rows["categories"].append((article_id, category_id, round(rng.uniform(0.45, 0.97), 3), "model"))
        if rng.random() < 0.1:
            rows["categories"].append((article_id, top_id, 1.0, "publisher"))
        if rng.random() < 0.3:
            other = world.tops[(ti + rng.randrange(1, len(world.tops))) % len(world.tops)][0]
            rows["categories"].append((article_id, other, round(rng.uniform(0.05, 0.24), 3), "model"))
        if rng.random() < 0.01:
            rows["categories"].append((article_id, top_id, 0.0, "editor"))
        for topic_id, base in topic_ids:
            rows["topics"].append(
                (article_id, topic_id, round(base * rng.uniform(0.8, 1.0), 3), "model", rng.randint(1, 4))
            )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
