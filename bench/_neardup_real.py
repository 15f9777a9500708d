"""Near-duplicate linking on real text: the 85 real feeds' items and ECB+ documents (../shared/data).

Precision: every pair the linker joins among real items / documents, listed for a person to judge.
Recall: syndicated copies built from real texts with bench/_syndication.py's edits (fixed seed).
Each text falls in half "dev" or "test" by sha1 of its id (the feed's file for feed items); a rule is
chosen on dev and reported on test.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

from bench._syndication import KINDS, STRENGTHS, syndicate

from tidings.stories.neardup import normalise_words

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FEEDS = DATA / "feeds-realworld"
ECB = DATA / "ecb-plus" / "docs.jsonl"
MIN_WORDS = 60  # a recall original needs this many body words: a copy of a blurb is not what is measured

Doc = tuple[int, float, str, str]  # (key, timestamp, headline, body) as bench/neardup.py's link_documents takes
Linker = Callable[[Sequence[Doc]], dict[int, int]]


@dataclass(frozen=True, slots=True)
class RealText:
    ident: str  # "feed-file#item" or ECB+ doc_id
    half: str  # "dev" | "test"
    group: str  # the feed file, or the ECB+ story
    headline: str
    paragraphs: tuple[str, ...]
    when: float = 0.0
    link: str = ""

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def half_of(name: str) -> str:
    return "dev" if hashlib.sha1(name.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def feed_texts() -> list[RealText]:
    """Every item with body text the project's parser reads from the 85 real feeds (a refused document gives none)."""
    from tidings.ingest.parse.feeds import parse_feed

    texts = []
    for line in (FEEDS / "manifest.jsonl").open(encoding="utf-8"):
        name = json.loads(line)["file"]
        try:
            feed = parse_feed((FEEDS / name).read_bytes(), url="https://feed.example/")
        except Exception:
            continue
        for number, item in enumerate(feed.items):
            if not item.body_text.strip():
                continue  # nothing to compare (the bench's exact-hash step would join all empty items)
            when = item.published_at.timestamp() if item.published_at else 0.0
            texts.append(
                RealText(f"{name}#{number}", half_of(name), name, item.headline, item.paragraphs, when, item.url)
            )
    return texts


def ecb_texts() -> list[RealText]:
    """ECB+ documents: headline = first sentence that is not the source URL; paragraphs of two sentences."""
    texts = []
    for line in ECB.open(encoding="utf-8"):
        record = json.loads(line)
        sentences = [s for s in record["sentences"] if not s.startswith("http")]
        if not sentences:
            continue
        body = sentences[1:]
        paragraphs = tuple(" ".join(body[i : i + 2]) for i in range(0, len(body), 2))
        texts.append(RealText(record["doc_id"], half_of(record["doc_id"]), record["story"], sentences[0], paragraphs))
    return texts


@dataclass(frozen=True, slots=True)
class PrecisionResult:
    texts: int
    compared: int  # pairs of texts
    same_group: int  # pairs within one feed / one ECB+ story (the hard negatives)
    linked: list[tuple[RealText, RealText]]


def linked_pairs(texts: Sequence[RealText], link: Linker) -> PrecisionResult:
    docs = [(key, t.when, t.headline, t.body) for key, t in enumerate(texts)]
    predicted = link(docs)
    groups: dict[int, list[int]] = defaultdict(list)
    for key, head in predicted.items():
        groups[head].append(key)
    linked = [(texts[a], texts[b]) for members in groups.values() for a, b in combinations(sorted(members), 2)]
    sizes = defaultdict(int)
    for t in texts:
        sizes[t.group] += 1
    n = len(texts)
    return PrecisionResult(n, n * (n - 1) // 2, sum(s * (s - 1) // 2 for s in sizes.values()), linked)


REPRINT_RUN = 40  # words in a row two independently written articles do not share


def is_reprint(a: RealText, b: RealText) -> bool:
    """Judged apart from the linker: one text twice (same link), or a run of REPRINT_RUN words (or half the
    shorter text) shared word for word, punctuation and case aside."""
    if a.link and a.link == b.link:
        return True
    x, y = normalise_words(a.body), normalise_words(b.body)
    run = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y)).size
    return run >= min(REPRINT_RUN, max(min(len(x), len(y)) // 2, 1))


def originals(texts: Sequence[RealText]) -> list[RealText]:
    """Texts long enough to syndicate, one per distinct body."""
    seen: set[str] = set()
    kept = []
    for t in texts:
        body = " ".join(t.body.split())
        if len(body.split()) >= MIN_WORDS and len(t.paragraphs) >= 2 and body not in seen:
            seen.add(body)
            kept.append(t)
    return kept


def recall_by_kind(
    sources: Sequence[RealText], link: Linker, seed: int, kinds: Sequence[str] = KINDS
) -> dict[tuple[str, int], tuple[int, int]]:
    """(kind, strength) → (copies linked to their original, copies built)."""
    found: dict[tuple[str, int], tuple[int, int]] = {}
    for kind in kinds:
        for strength in STRENGTHS:
            hits = 0
            for number, text in enumerate(sources):
                rng = random.Random(f"{seed}:{text.ident}:{kind}:{strength}")
                other = sources[(number + 1 + rng.randrange(len(sources) - 1)) % len(sources)].headline
                headline, paragraphs = syndicate(text.headline, text.paragraphs, kind, strength, rng, other)
                docs = [(0, 0.0, text.headline, text.body), (1, 1.0, headline, "\n\n".join(paragraphs))]
                hits += link(docs).get(1) == 0
            found[(kind, strength)] = (hits, len(sources))
    return found


def precision_rows(link: Linker, halves: Sequence[str]) -> tuple[list[list[object]], list[str], dict[str, float]]:
    """Rows (set, half, texts, pairs compared, same feed/story, linked, judged copies, precision), the linked
    pairs judged not copies (for a person to read), and precision per half over both sets ("all": both halves,
    with the pairs across them)."""
    rows: list[list[object]] = []
    doubtful: list[str] = []
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label, load in (
        ("feeds-realworld items (85 real feeds)", feed_texts),
        ("ECB+ documents (topics 1-22)", ecb_texts),
    ):
        texts = load()
        for half in halves:
            result = linked_pairs([t for t in texts if half in (t.half, "all")], link)
            copies = [pair for pair in result.linked if is_reprint(*pair)]
            doubtful += [
                f"{a.ident} ~ {b.ident}: {a.headline[:50]!r} / {b.headline[:50]!r}"
                for a, b in result.linked
                if (a, b) not in copies
            ]
            totals[half][0] += len(copies)
            totals[half][1] += len(result.linked)
            precision = len(copies) / len(result.linked) if result.linked else 1.0
            rows.append(
                [
                    label,
                    half,
                    result.texts,
                    result.compared,
                    result.same_group,
                    len(result.linked),
                    len(copies),
                    precision,
                ]
            )
    return rows, doubtful, {half: (c / n if n else 1.0) for half, (c, n) in totals.items()}


def recall_rows(
    link: Linker, halves: Sequence[str], seed: int, limit: int | None = None
) -> tuple[list[list[object]], dict[str, float]]:
    """Rows (edit, strength, then linked/built per half) and overall recall per half; `limit` originals per set."""
    sources = {"feeds": originals(feed_texts()), "ecb": originals(ecb_texts())}
    results = {}
    for half in halves:
        chosen = [t for texts in sources.values() for t in [t for t in texts if t.half == half][:limit]]
        results[half] = recall_by_kind(chosen, link, seed)
    rows: list[list[object]] = []
    for kind in KINDS:
        for strength in STRENGTHS:
            cells = [results[half][(kind, strength)] for half in halves]
            rows.append([kind, strength, *(f"{hits}/{built} = {hits / built:.3f}" for hits, built in cells)])
    overall = {}
    cells = []
    for half in halves:
        hits, built = sum(h for h, _ in results[half].values()), sum(b for _, b in results[half].values())
        overall[half] = hits / max(built, 1)
        cells.append(f"{hits}/{built} = {overall[half]:.3f}")
    rows.append(["all edits", "1-3", *cells])
    return rows, overall
