"""Share of topic chips a news editor would keep, over demo-corpus articles, the seed page and BBC News.

Claim: at least 90% of the topic chips article cards show are worth following (a named entity of the right
type, or a specific key phrase), judged by hand in tests/taxonomy/data/judged_topics.tsv (keep / drop and a
one-word reason: generic, people, fragment, type, unclear).

Each run stores `--count` demo articles (generator seed 1851, a fixed `now`), the seed page and `--bbc` BBC
News articles (spread evenly over ../shared/data/bbc-news) in a throwaway database, runs the language,
entities and keyphrases stages as `tidings enrich` does, and reads the chips off the article cards
(web.listing.cards_for). A chip the judged file does not know is reported as unjudged and counts as a drop.
The rules were tuned on the demo corpus; the seed page and BBC News are held out, and each is reported apart.
`--src` measures another checkout's src/ (e.g. the rules before this change) with the same judged file.
Usage: bench/topics.py [--quick] [--count N] [--bbc N] [--src DIR] [--dump FILE] [--no-report]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGED = ROOT / "tests" / "taxonomy" / "data" / "judged_topics.tsv"
SEED = ROOT.parent / "shared" / "seeds" / "000_661a769826a86786.txt"
BBC = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc-news.jsonl"
DEMO_NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # fixed, so the same articles and weekdays every run
DEMO_SEED = 1851
TARGET = 0.9


@dataclass(frozen=True, slots=True)
class Chip:
    name: str
    kind: str
    part: str  # "demo" (tuning), "seed" or "bbc" (held out): where the article came from


def read_judged(path: Path = JUDGED) -> dict[tuple[str, str], bool]:
    """(chip text, kind) → keep, from the judged file (columns: chip, kind, keep yes/no, reason)."""
    judged = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            judged[(row["chip"], row["kind"])] = row["keep"].strip() == "yes"
    return judged


def bbc_sample(count: int, path: Path = BBC) -> list[dict[str, str]]:
    """`count` BBC News articles spread evenly over the file (all five categories), always the same ones."""
    if count <= 0 or not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    step = max(1, len(rows) // count)
    return rows[::step][:count]


def collect_chips(count: int, seed_page: Path | None, bbc: Sequence[dict[str, str]] = ()) -> list[Chip]:
    """Store and enrich `count` demo articles (and the seed page, and `bbc` articles), then read the chips
    off their cards. Needs a configured, empty database (a test database).
    """
    from django.core.management import call_command

    from tidings.articles.models import Article
    from tidings.demo.corpus import generate_demo_corpus
    from tidings.demo.management.commands.load_demo import store_demo_items
    from tidings.web.listing import cards_for

    if count > 0:
        store_demo_items(generate_demo_corpus(DEMO_NOW, count=count, seed=DEMO_SEED), enrich=False, show_progress=False)
    parts: dict[int, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        files = [seed_page] if seed_page is not None else []
        for row in bbc:  # a text dump each: title, blank line, paragraphs
            files.append(Path(folder) / f"bbc-{row['id'].replace('/', '-')}.txt")
            paragraphs = "\n\n".join(p.strip() for p in row["text"].split("\n") if p.strip())
            files[-1].write_text(f"{row['title']}\n\n{paragraphs}\n", encoding="utf-8")
        for file in files:
            before = set(Article.objects.values_list("pk", flat=True))
            call_command("import_text", str(file), source="held out", no_enrich=True, verbosity=0, stdout=io.StringIO())
            for pk in set(Article.objects.values_list("pk", flat=True)) - before:
                parts[pk] = "seed" if file == seed_page else "bbc"
    stages = ("language", "entities", "keyphrases")
    call_command("enrich", all=True, stage=list(stages), verbosity=0, stdout=io.StringIO())
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    chips = []
    for start in range(0, len(ids), 20):  # a listing page at a time, as the site reads them
        page = Article.objects.for_listing().filter(pk__in=ids[start : start + 20]).order_by("pk")
        for card in cards_for(page):
            chips.extend(Chip(t.name, t.kind, parts.get(card.article.pk, "demo")) for t in card.topics)
    return chips


def keep_share(chips: Iterable[Chip], judged: dict[tuple[str, str], bool]) -> tuple[float, int, list[Chip]]:
    """(share of chips judged worth keeping, chips counted, unjudged chips); an unjudged chip counts as a drop."""
    chips = list(chips)
    unjudged = [c for c in chips if (c.name, c.kind) not in judged]
    kept = sum(1 for c in chips if judged.get((c.name, c.kind), False))
    return (kept / len(chips) if chips else 0.0), len(chips), unjudged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="60 demo articles")
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--bbc", type=int, default=60, help="BBC News articles, held out (0: none)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the src/ directory to measure")
    parser.add_argument("--no-report", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--dump", type=Path, help="also write every chip shown (chip, kind, seed page) to this file")
    args = parser.parse_args()
    count, bbc_count = (60, 20) if args.quick else (args.count, args.bbc)

    sys.path[:0] = [str(args.src), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    import django

    django.setup()
    from bench._report import markdown_table, update_section
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        chips = collect_chips(count, SEED if SEED.exists() else None, bbc_sample(bbc_count))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    if args.dump:
        args.dump.write_text("".join(f"{c.name}\t{c.kind}\t{c.part}\n" for c in chips), encoding="utf-8")
    judged = read_judged()
    rows = []
    for label, part in (
        ("demo corpus (tuning)", [c for c in chips if c.part == "demo"]),
        ("seed page (held out)", [c for c in chips if c.part == "seed"]),
        ("BBC News (held out)", [c for c in chips if c.part == "bbc"]),
        ("all", chips),
    ):
        share, total, unjudged = keep_share(part, judged)
        rows.append([label, total, len({(c.name, c.kind) for c in part}), len(unjudged), share])
    table = markdown_table(["chips from", "chips", "distinct", "unjudged", "editor keeps"], rows)
    print(table)
    share, total, unjudged = keep_share(chips, judged)
    for chip, n in Counter((c.name, c.kind) for c in unjudged).most_common():
        print(f"unjudged: {chip[0]}\t{chip[1]}\t({n})")
    kinds = Counter(c.kind for c in chips)
    if not args.no_report and args.src == ROOT / "src":
        update_section(
            "Topic chips",
            table + f"\n\n{count} demo articles (seed {DEMO_SEED}), the seed page and {bbc_count} BBC News articles; "
            "chips as article cards show them, judged by hand in `tests/taxonomy/data/judged_topics.tsv`. "
            f"Rules tuned on the demo corpus; seed page and BBC News held out. Target: editor keeps >= {TARGET}. "
            f"Chip kinds: {dict(sorted(kinds.items()))}. Before this change (commit 908d0e2, same judged file, "
            "`--src` on its src/): demo + seed 0.537 (603 chips), BBC News 0.453 (179 chips). The people rules of "
            "the claims walkthrough (entities/people.py: a person the model tagged as an organisation) moved demo "
            "0.940 -> 0.948 and BBC News 0.851 -> 0.886. The chips they newly showed were judged after the runs that "
            "showed them: 12 on BBC News (10 real people and Cardiff kept, 'Marvel Comics' as a person dropped) and "
            "15 people on the demo corpus (tuning; a demo 'Bergen Philharmonic' as a person made orchestras an "
            "organisation head), so the BBC figure is held out for the rules but not for the judging.",
        )
    print(f"RESULT chips={total} keep_share={share:.3f} unjudged={len(unjudged)} target={TARGET}")


if __name__ == "__main__":
    main()
