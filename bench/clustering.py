"""Story clustering: B-cubed precision/recall/F1 on ECB+ and on the feed farm, and time to assign an article.

Claim: `tidings.stories.clustering` puts articles about one event in one story and keeps similar but
distinct events apart (ECB+: two such events per topic), one article at a time, fast enough at 100k stored
articles. Each data set is split in a tuning part (ECB+ odd topics; farm stories whose sha1 is even) and a
held-out part (ECB+ even topics; the other farm stories); each part is clustered on its own, and the whole
set once more as one ("all"). Params() defaults were chosen with --tune (the 200-feed farm) on the tuning
parts only: the best ECB+ F1 among the settings keeping the farm's at 0.95 or more; the held-out rows are
the figures to quote. Keys compared: people (weight 1.0), places (0.25), the lead's numbers (2.0) and days
(0.5), see docs/design.md.
The demo corpus (`tidings load_demo`'s generator, default seed, gold = the generator's event; even event
numbers tune, odd held out) is a third set; it was not used to choose the defaults except through
`--tune-places` (Params.place_conflict, which stayed off) and `--tune-countries` (Params.country_conflict,
0.3: the best mean of ECB+ and demo tune F1 with the farm's at 0.95 or more, ties to the farm's F1).
ECB+ has no dates (no time signal); its articles are fed in three seeded random orders (mean reported);
farm and demo articles in publication order.

Assignment time: synthetic unit vectors (stories of 1-6 members around a random centre, 16 keys each
from a pool of 5,000), N stored articles loaded into the index, all inside one time window (the worst
case: nothing evicted), then 300 new articles assigned one by one; p50/p95 of the assign call.

--stored scores, instead, the stories stored in the configured database (TIDINGS_DATABASE_URL) against the
demo generator's events, e.g. after `tidings load_demo` and the task worker (bench/_stored_stories.py);
with --reassign it first deletes that database's stories and assigns its articles again in the order the
worker ran the assign tasks (--restart-each: as a freshly started worker each time).

Usage: bench/clustering.py [--quick] [--data DIR] [--feeds N] [--tune | --tune-places | --tune-countries]
       [--no-report]
       bench/clustering.py --stored [--reassign [--restart-each]]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from itertools import product
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ORDERS = (0, 1, 2)
KEYS = 16  # per synthetic article (real: median 14 on ECB+, 8 on the farm; names, figures and days)


def cluster(docs: Sequence, sigs, params, order_seed: int | None) -> tuple[dict[str, int], list[float]]:
    """Assign docs one by one (publication order, or a seeded shuffle when they have no dates)."""
    from tidings.stories.clustering import ArticleSignals, StoryIndex
    from tidings.stories.places import gazetteer_countries, gazetteer_resolver, place_scope

    resolve, countries = gazetteer_resolver(), gazetteer_countries()
    order = list(range(len(docs)))
    if order_seed is None:
        order.sort(key=lambda n: (docs[n].published or 0.0, n))
    else:
        random.Random(order_seed).shuffle(order)
    index = StoryIndex(sigs.vectors.shape[1], params)
    timings = []
    for n in order:
        places = place_scope(sigs.entities[n], resolve, countries)
        article = ArticleSignals(n, sigs.vectors[n], sigs.entities[n], docs[n].published, places)
        started = time.perf_counter()
        index.assign(article)
        timings.append((time.perf_counter() - started) * 1000)
    return {docs[n].key: index.story_of(n) or 0 for n in range(len(docs))}, timings


def score_part(docs: Sequence, sigs, params, dated: bool) -> tuple[float, float, float, int, int, list[float]]:
    """Mean B-cubed (precision, recall, F1) over the orders, the gold and predicted story counts, timings."""
    from tidings.stories.bcubed import b_cubed

    gold = {doc.key: doc.story for doc in docs}
    runs, timings, predicted_counts = [], [], []
    for seed in [None] if dated else ORDERS:
        predicted, took = cluster(docs, sigs, params, seed)
        runs.append(b_cubed(predicted, gold))
        timings += took
        predicted_counts.append(len(set(predicted.values())))
    p, r, f = (statistics.mean(run[i] for run in runs) for i in range(3))
    return p, r, f, len(set(gold.values())), round(statistics.mean(predicted_counts)), timings


def subset(docs, sigs, part: str):
    from bench._story_data import Signals

    keep = [n for n, doc in enumerate(docs) if doc.part == part]
    return [docs[n] for n in keep], Signals(sigs.vectors[keep], [sigs.entities[n] for n in keep], 0.0)


DATED = ("farm", "demo")  # fed in publication order; ECB+ (no dates) in seeded random orders
FARM_FLOOR = 0.95  # the farm's target: --tune keeps only settings at or above it on the farm's tuning part


PLACE_CONFLICTS = (0.0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3)


COUNTRY_CONFLICTS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5)


def tune_places(sets: dict, base, field: str = "place_conflict", values: Sequence[float] = PLACE_CONFLICTS) -> None:
    """Grid search for a place penalty (Params.place_conflict, or with --tune-countries .country_conflict), with
    join around its default, on the tuning parts only: the best mean of the ECB+ and demo F1 among the settings
    whose farm F1 is at least FARM_FLOOR."""
    results = []
    for conflict, join in product(values, (base.join - 0.025, base.join, base.join + 0.025)):
        params = replace(base, join=round(join, 3), merge=round(join + 0.1, 3), **{field: conflict})
        scores = dict((name, score_part(d, s, params, dated)[2]) for name, (d, s, dated) in sets.items())
        ok = scores.get("farm", 1.0) >= FARM_FLOOR
        rest = [v for k, v in scores.items() if k != "farm"] or list(scores.values())
        results.append((ok, statistics.mean(rest), scores, params))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for ok, score, scores, params in results:
        parts = " ".join(f"{name}={s:.4f}" for name, s in scores.items())
        print(
            f"{'' if ok else 'below farm floor: '}{parts} mean_ecb_demo={score:.4f} "
            f"{field}={getattr(params, field)} join={params.join} merge={params.merge}"
        )


def tune(sets: dict, base) -> None:
    """Grid search on the tuning parts only: the best ECB+ B-cubed F1 among the settings whose farm F1 is at
    least FARM_FLOOR (the mean of the parts when there is no ECB+). entity_prior stays at its default: for an
    article with names it only shifts the threshold, which `join` already sweeps."""
    joins = [round(0.55 + 0.025 * n, 3) for n in range(11)]
    grid = product((0.5, 1.0, 2.0), joins, (1.0, 1.5, 2.0, 2.5), (0.1, 0.2, 0.3))
    results = []
    for number, join, weight, above in grid:
        weights = tuple((k, number if k == "number" else w) for k, w in base.kind_weights)
        params = replace(base, kind_weights=weights, join=join, entity_weight=weight, merge=round(join + above, 3))
        scores = dict((name, score_part(d, s, params, dated)[2]) for name, (d, s, dated) in sets.items())
        ok = scores.get("farm", 1.0) >= FARM_FLOOR
        results.append((ok, scores.get("ecb", statistics.mean(scores.values())), scores, params))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    for ok, _score, scores, params in results[:10]:
        parts = " ".join(f"{name}={s:.4f}" for name, s in scores.items())
        print(
            f"{'' if ok else 'below farm floor: '}{parts} number={dict(params.kind_weights)['number']} "
            f"join={params.join} weight={params.entity_weight} prior={params.entity_prior} merge={params.merge}"
        )


def synthetic_timing(stored: int, new: int = 300, seed: int = 7) -> tuple[float, float, int]:
    """p50 and p95 ms of assigning `new` articles after `stored` synthetic ones; and the stories held."""
    from tidings.stories.clustering import ArticleSignals, StoryIndex

    rng = np.random.default_rng(seed)
    pool = [f"name {n}" for n in range(5000)]

    def unit(rows: np.ndarray) -> np.ndarray:
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)

    index = StoryIndex(384)
    made, story = 0, 0
    while made < stored:
        size = min(int(rng.integers(1, 7)), stored - made)
        centre = rng.normal(size=384)
        vectors = unit(centre + rng.normal(scale=0.8, size=(size, 384)))
        names = rng.choice(len(pool), KEYS, replace=False)
        members = [
            ArticleSignals(made + k, vectors[k], frozenset(pool[i] for i in names), 1_800_000_000.0 + made)
            for k in range(size)
        ]
        index.add_story(members)
        made += size
        story += 1
    timings = []
    vectors = unit(rng.normal(size=(new, 384)))
    for k in range(new):
        names = rng.choice(len(pool), KEYS, replace=False)
        article = ArticleSignals(stored + k, vectors[k], frozenset(pool[i] for i in names), 1_800_000_000.0 + stored)
        started = time.perf_counter()
        index.assign(article)
        timings.append((time.perf_counter() - started) * 1000)
    return float(np.percentile(timings, 50)), float(np.percentile(timings, 95)), len(index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 50-feed farm, 10k stored articles for timing")
    parser.add_argument("--data", type=Path, help="docs.jsonl + clusters.json (ECB+ format); default ../shared")
    parser.add_argument("--feeds", type=int, help="farm feeds (default 200, --quick 50)")
    parser.add_argument("--seed", type=int, default=1, help="farm seed")
    parser.add_argument("--tune", action="store_true", help="grid search on the tuning parts, then stop")
    parser.add_argument("--tune-places", action="store_true", help="grid search for place_conflict, then stop")
    parser.add_argument("--tune-countries", action="store_true", help="grid search for country_conflict, then stop")
    parser.add_argument("--stored", action="store_true", help="score the stored stories against the demo events")
    parser.add_argument("--reassign", action="store_true", help="with --stored: delete the stories, assign again")
    parser.add_argument("--restart-each", action="store_true", help="with --reassign: a fresh index for each task")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    if args.stored:
        from bench._stored_stories import print_stored, reassign, score_stored_stories
        from bench._story_data import setup_django

        setup_django()
        if args.reassign:
            print(f"assigned again in {reassign(args.restart_each)} worker batches")
        print_stored(score_stored_stories())
        return
    from bench._story_data import ECB_DIR, demo_docs, ecb_docs, farm_docs, setup_django, signals

    setup_django()
    from tidings.stories.clustering import Params

    params = Params()
    feeds = args.feeds or (50 if args.quick else 200)
    data = args.data or ECB_DIR
    sets: dict[str, tuple] = {}
    if (data / "docs.jsonl").exists() and (data / "clusters.json").exists():
        docs = ecb_docs(data)
        sigs = signals(docs)
        print(f"ECB+ ({data}): {len(docs)} docs, signals in {sigs.seconds:.1f}s (0: cached)")
        sets["ecb"] = (docs, sigs)
    else:
        print(f"ECB+ skipped: no docs.jsonl and clusters.json in {data}")
    docs = farm_docs(feeds, args.seed)
    sigs = signals(docs)
    print(f"farm ({feeds} feeds, seed {args.seed}): {len(docs)} articles, signals in {sigs.seconds:.1f}s")
    sets["farm"] = (docs, sigs)
    docs = demo_docs()
    sigs = signals(docs)
    print(f"demo corpus: {len(docs)} articles, {len({d.story for d in docs})} events, signals in {sigs.seconds:.1f}s")
    sets["demo"] = (docs, sigs)

    if args.tune or args.tune_places or args.tune_countries:
        tuning = {name: (*subset(d, s, "tune"), name in DATED) for name, (d, s) in sets.items()}
        if args.tune_countries:
            tune_places(tuning, params, "country_conflict", COUNTRY_CONFLICTS)
        else:
            (tune_places if args.tune_places else tune)(tuning, params)
        return

    header = ["set", "part", "articles", "gold stories", "stories", "B3 precision", "B3 recall", "B3 F1", "ms/article"]
    rows, f1 = [], {}
    for name, (docs, sigs) in sets.items():
        for part in ("tune", "held-out", "all"):
            part_docs, part_sigs = (docs, sigs) if part == "all" else subset(docs, sigs, part)
            p, r, f, gold, made, took = score_part(part_docs, part_sigs, params, name in DATED)
            label = {
                "ecb": "ECB+ (topics 1-22; no dates)",
                "farm": f"feed farm ({feeds} feeds; our generator)",
                "demo": "demo corpus (load_demo; its generator)",
            }[name]
            rows.append([label, part, len(part_docs), gold, made, p, r, f, f"{statistics.mean(took):.2f}"])
            f1[(name, part)] = f
    stored = 10_000 if args.quick else 100_000
    p50, p95, held = synthetic_timing(stored)
    widths = [max(len(_cell(c)) for c in col) for col in zip(header, *rows, strict=True)]
    for line in [header, *rows]:
        print("  ".join(_cell(c).ljust(w) for c, w in zip(line, widths, strict=True)))
    print(
        f"assign at {stored:,} stored synthetic articles ({held:,} stories in the index): "
        f"p50 {p50:.2f} ms, p95 {p95:.2f} ms"
    )
    ecb = f1.get(("ecb", "held-out"))
    result = (
        f"RESULT b3_f1={f1[('farm', 'held-out')]:.4f} "
        f"b3_f1_ecbplus={'n/a' if ecb is None else f'{ecb:.4f}'} assign_ms_p95={p95:.2f} "
        f"b3_f1_demo={f1[('demo', 'held-out')]:.4f}"
    )
    if not args.no_report:
        from bench._report import markdown_table, update_section

        notes = (
            f"`bench/clustering.py{' --quick' if args.quick else ''}`: {__doc__.split(chr(10) + chr(10))[1]}"
            f"\n\nParams: {params}. Assignment at {stored:,} stored synthetic articles ({held:,} stories in "
            f"the index): p50 {p50:.2f} ms, p95 {p95:.2f} ms. RESULT b3_f1 and b3_f1_ecbplus are the held-out "
            "parts (b3_f1_demo: the demo corpus's held-out events). Targets: B-cubed F1 0.95 on the farm and "
            "0.90 on ECB+ (see docs/design.md 'Story "
            "clustering' for what was tried), p95 under 50 ms at 100k.\n\n"
            f"`{result}`"
        )
        update_section("Story clustering", markdown_table(header, rows) + "\n\n" + notes)
    print(result)


def _cell(value: object) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    main()
