"""Articles with gold stories for bench/clustering.py, and their signals as the pipeline computes them.

ECB+ (`docs.jsonl` + `clusters.json`): the headline is the first line that is neither the source URL nor a
dateline ("Tuesday, May 24, 2005", "21 July 2013 Last updated at 11: 11 GMT": `is_dateline`), the other lines
are paragraphs in their order (a dateline stays one, so its figures still count); no publication time (the
texts carry none as data; reading it from datelines was tried, docs/design.md), so the time signal is absent.
Split by topic: odd topics tune, even topics are held out. Feed farm (our own generator, `story_id` per
article, published dates): the articles of feeds that deliver items, as bench/neardup.py reads them; split by a
hash of the story id (even: tune, odd: held out), so a story is never on both sides. Demo corpus
(`tidings.demo.corpus`, what `tidings load_demo` stores: 600 invented articles, headline, standfirst and body,
the generator's event per article): even event numbers tune, odd ones are held out.

Signals: the embedding stage's text and model (`opening_text`, MiniLM) and the entity stage (spaCy +
gazetteer + rules): people, organisations and places as "kind:name", and the figures and days of the lead
(`stories.facts`), weighed by kind in the clustering (Params.kind_weights, chosen on the tuning parts,
docs/design.md). Cached under
var/bench/clustering/ by a hash of the texts and the stage versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ECB_DIR = ROOT.parent / "shared" / "data" / "ecb-plus"
CACHE = ROOT / "var" / "bench" / "clustering"
ENTITY_KINDS = ("person", "organisation", "place")


@dataclass(frozen=True)
class Doc:
    key: str
    headline: str
    paragraphs: tuple[str, ...]
    published: float | None
    story: str
    part: str  # "tune" or "held-out"
    group: str  # ECB+ topic, "farm" or "demo"
    standfirst: str = ""


def ecb_docs(data: Path) -> list[Doc]:
    clusters = json.loads((data / "clusters.json").read_text(encoding="utf-8"))
    story_of = {doc_id: story for story, members in clusters.items() for doc_id in members}
    docs = []
    for line in (data / "docs.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["doc_id"] not in story_of:
            continue
        lines = [x.strip() for x in record["text"].split("\n") if x.strip() and not x.strip().startswith("http")]
        if not lines:
            continue
        first = next((n for n, line in enumerate(lines) if not is_dateline(line)), 0)
        lines.insert(0, lines.pop(first))
        topic = int(record["topic"])
        part = "tune" if topic % 2 else "held-out"
        docs.append(
            Doc(record["doc_id"], lines[0], tuple(lines[1:]), None, story_of[record["doc_id"]], part, str(topic))
        )
    return docs


_DATE_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun "
    "january february march april may june july august september october november december jan feb mar apr "
    "jun jul aug sep sept oct nov dec updated posted published last at on am pm a p m gmt est edt pst pdt bst "
    "cet ist utc st nd rd th".split()
)


def is_dateline(line: str) -> bool:
    """A short line made only of a date and time ("MONDAY, MAY 23, 2005", "Posted 11 / 27 / 2005 7: 21 AM")."""
    words = re.findall(r"[^\W\d_]+", line.casefold())
    return len(line) <= 80 and any(c.isdigit() for c in line) and all(w in _DATE_WORDS for w in words)


def farm_docs(feeds: int, seed: int) -> list[Doc]:
    from bench.neardup import farm_docs as farm_articles

    articles, _groups, stories = farm_articles(feeds, seed)
    docs = []
    for key, when, headline, body in articles:
        story = stories[key]
        part = "tune" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0 else "held-out"
        docs.append(Doc(f"farm-{key}", headline, tuple(body.split("\n\n")), when or None, story, part, "farm"))
    return docs


def demo_docs(count: int = 600) -> list[Doc]:
    """The demo corpus (`tidings load_demo`: its generator, default seed, a fixed `now`), each article's gold story
    the event the generator wrote it from (DemoItem.story_id); even story numbers tune, odd ones are held out."""
    from datetime import UTC, datetime

    from tidings.demo.corpus import generate_demo_corpus

    docs = []
    for n, item in enumerate(generate_demo_corpus(datetime(2026, 1, 1, tzinfo=UTC), count=count)):
        article, story = item.article, item.story_id
        part = "tune" if int(story.rsplit("-", 1)[1]) % 2 == 0 else "held-out"
        when = article.published_at.timestamp() if article.published_at else None
        standfirst = article.standfirst
        docs.append(Doc(f"demo-{n}", article.headline, article.paragraphs, when, story, part, "demo", standfirst))
    return docs


@dataclass(frozen=True)
class Signals:
    vectors: np.ndarray  # (len(docs), 384) unit float32, in doc order
    entities: list[frozenset[str]]  # "kind:name" keys: people, organisations, places, numbers, dates
    seconds: float  # time taken to compute them (0 when read from the cache)


def signals(docs: list[Doc]) -> Signals:
    """Embedding and entities for each doc, as the enrichment stages compute them (cached)."""
    setup_django()
    from tidings.enrichment.stages.embedding import EmbeddingStage

    try:  # the stage package (after the renovation's stage split), else the module it replaced
        from tidings.enrichment.stages.entities.stage import EntityStage
    except ImportError:
        from tidings.enrichment.stages.entities import EntityStage  # type: ignore[attr-defined,no-redef]

    digest = hashlib.sha1(f"{EmbeddingStage.version}/{EntityStage.version}".encode())
    for doc in docs:
        standfirst = [doc.standfirst] if doc.standfirst else []  # (so the caches made before it stay valid)
        digest.update(json.dumps([doc.key, doc.headline, doc.paragraphs, *standfirst]).encode())
    path = CACHE / f"{digest.hexdigest()[:16]}.pkl"
    if path.exists():
        vectors, found = pickle.loads(path.read_bytes())
        return Signals(vectors, _keys(docs, found), 0.0)
    from tidings.enrichment import embeddings
    from tidings.enrichment.stage import ArticleText
    from tidings.enrichment.stages.embedding import opening_text

    started = time.perf_counter()
    items = [
        ArticleText(n, doc.headline, doc.paragraphs, doc.standfirst, facts={"language": "en"})
        for n, doc in enumerate(docs)
    ]
    vectors = embeddings.embed([opening_text(item) for item in items]).astype(np.float32)
    stage = EntityStage()
    found: list[dict[str, float]] = []  # "kind:name" -> salience, as cached
    for start in range(0, len(items), 64):
        for output in stage.process_batch(items[start : start + 64]):
            entities = (output.values or {}).get("entities", [])
            found.append({f"{e['kind']}:{e['name']}": float(e["score"]) for e in entities if e["kind"] in ENTITY_KINDS})
    seconds = time.perf_counter() - started
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps((vectors, found)))
    return Signals(vectors, _keys(docs, found), seconds)


def _keys(docs: list[Doc], found: list[dict[str, float]]) -> list[frozenset[str]]:
    """Per doc, the keys stories.assign gives clustering: the names, and the figures and days of the lead."""
    from tidings.stories.facts import fact_keys, lead_text

    return [
        _names(f) | fact_keys(lead_text(doc.headline, doc.standfirst, doc.paragraphs))
        for doc, f in zip(docs, found, strict=True)
    ]


def _names(found: dict[str, float]) -> frozenset[str]:
    """The names clustering compares, as stories.assign reads them: "kind:name" casefolded, every kind
    (Params.kind_weights decides what each kind counts for)."""
    names = set()
    for key in found:
        kind, _sep, name = key.partition(":")
        names.add(f"{kind}:{name.casefold()}")
    return frozenset(names)


def setup_django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
        django.setup()
