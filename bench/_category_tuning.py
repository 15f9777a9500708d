"""Re-choose the category scoring constants on the fixed 30 % tuning split of BBC News only (issue 12.1).

Reads only the tuning rows of bench/categorize.py's frozen split (stratified, seed 7); the held-out 70 % is never
loaded. For a small grid over the phrase prefix, the example-sentence weight, the sentence-vote weight and the
actor-cue weight it prints the tuning macro-F1 of full texts and of short texts (headline + first sentence).
The pick is the best full-text tuning figure (ties to the current value); bench/categorize.py then reports it on
the held-out 70 %. A tuning helper, not a target: no docs section, no RESULT of held-out figures.
Usage: bench/_category_tuning.py [--quick] [--example-weights 0,0.15] [--sentence-weights ...] [--cue-weights ...]
  (each list replaces that axis of the default grid, e.g. to look past its edge)
       bench/_category_tuning.py --one-axis [--quick]
  (instead of the grid: temperature, top-k, closest examples and sentence count, one axis at a time around the
  current ScoringConfig, full texts only; a value beats the current one only by more than MARGIN tuning macro-F1)
       bench/_category_tuning.py --blend [--embedding-cache FILE]
  (the supervised blend, model.WEIGHT_HALF_EXAMPLES and MAX_WEIGHT: cross-validation inside the tuning part; the
  model is trained on BLEND_TRAIN_SIZES stratified tuning rows, BLEND_SEEDS draws each, and tested on the other
  tuning rows; the pick is the best mean macro-F1 over all draws, kept at the current pair unless it beats it by
  more than MARGIN)
       bench/_category_tuning.py --offsets [--embedding-cache FILE]
  (per-category score offsets, a log-prior added to each top-level score before the first label is taken, fitted to
  maximise macro-F1 by coordinate search over OFFSET_GRID for the categories the set labels; 5-fold cross-validation
  inside the tuning part, OFFSET_SEEDS shufflings, full texts and short texts apart; two forms: "free" (BBC's five
  against the other twelve) and "zero-mean" (the five re-ordered among themselves only). Then the offsets fitted on
  the whole tuning part are applied to the ECB+ check set (bench/_category_sets.py). Rule: ship a form only if its
  cross-validated gain beats MARGIN on full and short texts and ECB+ falls by no more than MARGIN)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = ("", "a news story about ")
EXAMPLE_WEIGHTS = (0.0, 0.15, 0.3, 0.5)
SENTENCE_WEIGHTS = (0.7, 0.85, 1.0)
CUE_WEIGHTS = (0.2, 0.4, 0.6)
ONE_AXIS = {  # ScoringConfig field → values swept with every other setting at its current value
    "temperature": (0.02, 0.03, 0.05),
    "top_k": (3, 5, 8),
    "example_top_k": (1, 2, 3),
    "max_sentences": (5, 8, 12),
}
BLEND_HALF = (3, 5, 10, 20, 40)  # model.WEIGHT_HALF_EXAMPLES candidates
BLEND_CAP = (0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0)  # model.MAX_WEIGHT candidates
BLEND_TRAIN_SIZES = (25, 50, 100, 200, 300)  # training rows drawn from the tuning part (the rest of it is tested)
BLEND_SEEDS = (1, 2, 3, 4)
OFFSET_GRID = tuple(round(x * 0.1, 1) for x in range(-15, 16))  # log-prior offsets tried per category
OFFSET_SEEDS = (0, 1, 2)
MARGIN = 0.005  # the rule fixed beforehand: change a setting only if the best beats the current by more than this


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 100-article sample of the tuning split")
    for axis, default in (("example", EXAMPLE_WEIGHTS), ("sentence", SENTENCE_WEIGHTS), ("cue", CUE_WEIGHTS)):
        parser.add_argument(f"--{axis}-weights", type=_floats, default=default)
    parser.add_argument("--one-axis", action="store_true", help="sweep the ONE_AXIS settings, full texts only")
    parser.add_argument("--blend", action="store_true", help="choose the supervised blend constants (see above)")
    parser.add_argument("--offsets", action="store_true", help="per-category offsets by cross-validation (above)")
    parser.add_argument("--embedding-cache", type=Path, default=None, help="as in bench/categorize.py")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from bench.categorize import BBC_MAP, DATA, TUNING_SEED, TUNING_SHARE, _Memo, macro_f1, parse_map, stratified_split

    if not DATA.exists():
        print(f"RESULT skipped=1 reason=no-data-at-{DATA}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    import django

    django.setup()
    from tidings.enrichment import embeddings
    from tidings.enrichment.stage import ArticleText
    from tidings.enrichment.stages.categories.evidence import EvidenceConfig
    from tidings.enrichment.stages.categories.scoring import ScoringConfig, split_sentences
    from tidings.enrichment.stages.categories.stage import CategoryStage
    from tidings.taxonomy import iptc

    categories = iptc.load_categories()
    names = {c.name.casefold(): c.qcode for c in categories}
    top_level = {c.qcode for c in categories if c.level == 1}
    mapping = parse_map(BBC_MAP, names)
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8") if line.strip()]
    rows = [r for r in rows if r["category"] in mapping]
    tuning, _ = stratified_split([mapping[r["category"]] for r in rows], TUNING_SHARE, TUNING_SEED)
    rows = [rows[n] for n in tuning]  # the held-out rows are dropped here, before any text is read
    if args.quick:
        keep, _ = stratified_split([r["category"] for r in rows], 100 / len(rows), 1)
        rows = [rows[n] for n in keep]
    gold = [mapping[r["category"]] for r in rows]
    long_items = [
        ArticleText(n, r.get("title", ""), tuple(p.strip() for p in r.get("text", "").split("\n") if p.strip()))
        for n, r in enumerate(rows)
    ]
    short_items = [
        ArticleText(i.article_id, i.headline, tuple(split_sentences(i.paragraphs[0])[:1]) if i.paragraphs else ())
        for i in long_items
    ]
    embeddings.get_model()
    memo = _Memo(embeddings, args.embedding_cache)
    memo.serving = True  # every text is embedded once, then served from memory for every setting

    def score(items: list[ArticleText], config: ScoringConfig, cue: EvidenceConfig) -> float:
        stage = CategoryStage(supervised=False, config=config, evidence_config=cue)
        predicted = []
        for start in range(0, len(items), 64):
            for e in stage.evidence(items[start : start + 64]):
                tops = [c["qcode"] for c in stage.choose(e, None).values.get("categories", [])]
                predicted.append(next((q for q in tops if q in top_level), ""))
        return macro_f1(gold, predicted)

    base, base_cue = ScoringConfig(), EvidenceConfig()
    if args.blend:
        _choose_blend(CategoryStage(supervised=False), long_items, gold, top_level, stratified_split, macro_f1)
        memo.save(embeddings.MODEL_NAME)
        return
    if args.offsets:
        from bench._category_offsets import choose_offsets

        stage = CategoryStage(supervised=False)
        choose_offsets(stage, long_items, short_items, gold, OFFSET_GRID, OFFSET_SEEDS, MARGIN)
        memo.save(embeddings.MODEL_NAME)
        return
    if args.one_axis:
        current = score(long_items, base, base_cue)
        print(f"current tuning_long={current:.3f}", flush=True)
        verdicts = []
        for field, values in ONE_AXIS.items():
            now = getattr(base, field)
            figures = {now: current}
            for value in values:
                if value != now:
                    figures[value] = score(long_items, replace(base, **{field: value}), base_cue)
                    print(f"{field}={value:<5} tuning_long={figures[value]:.3f}", flush=True)
            best = max(figures, key=lambda v: (figures[v], v == now))
            change = best != now and figures[best] - current > MARGIN
            verdicts.append(f"{field}={best if change else now}{'(change)' if change else '(kept)'}")
            verdicts.append(f"{field}_figures=" + "/".join(f"{v}:{figures[v]:.3f}" for v in sorted(figures)))
        print(f"RESULT tuning_rows={len(rows)} current_long={current:.3f} " + " ".join(verdicts))
        return
    results = []
    for prefix, example, sentence, cue in itertools.product(
        PREFIXES, args.example_weights, args.sentence_weights, args.cue_weights
    ):
        config = replace(base, phrase_prefix=prefix, example_weight=example, sentence_weight=sentence)
        cue_config = replace(base_cue, weight=cue)
        f_long, f_short = score(long_items, config, cue_config), score(short_items, config, cue_config)
        current = (prefix, example, sentence, cue) == (
            base.phrase_prefix,
            base.example_weight,
            base.sentence_weight,
            base_cue.weight,
        )
        results.append((f_long, f_short, prefix, example, sentence, cue, current))
        print(
            f"prefix={prefix!r:24} example_weight={example:<5} sentence_weight={sentence:<5} cue_weight={cue:<4}"
            f" tuning_long={f_long:.3f} tuning_short={f_short:.3f}{'  (current)' if current else ''}",
            flush=True,
        )
    best = max(results, key=lambda r: (round(r[0], 3), r[6]))
    now = next((r for r in results if r[6]), (float("nan"),) * 2)
    print(
        f"RESULT tuning_rows={len(rows)} current_long={now[0]:.3f} current_short={now[1]:.3f}"
        f" best_long={best[0]:.3f} best_short={best[1]:.3f} best_prefix={best[2]!r} best_example_weight={best[3]}"
        f" best_sentence_weight={best[4]} best_cue_weight={best[5]}"
    )


def _choose_blend(stage, items, gold, top_level, stratified_split, macro_f1) -> None:
    """Grid the blend n/(n + half) capped at cap by cross-validation inside the tuning rows; print the pick."""
    from statistics import mean

    from tidings.enrichment.stages.categories import model as category_model

    evidence = []
    for start in range(0, len(items), 64):
        evidence.extend(stage.evidence(items[start : start + 64]))
    current = (category_model.WEIGHT_HALF_EXAMPLES, category_model.MAX_WEIGHT)
    figures: dict[tuple[float, float], list[float]] = {(h, c): [] for h in BLEND_HALF for c in BLEND_CAP}
    figures.setdefault(current, [])
    by_size: dict[tuple[tuple[float, float], int], list[float]] = {}
    for size in BLEND_TRAIN_SIZES:
        for seed in BLEND_SEEDS:
            train, test = stratified_split(gold, size / len(gold), seed)
            examples = [category_model.TrainingExample(evidence[n].vector, frozenset({gold[n]})) for n in train]
            trained = category_model.train_model(examples)
            for half, cap in figures:
                weight = min(cap, trained.examples / (trained.examples + half))
                model = _FixedWeight(trained, weight)
                predicted = []
                for n in test:
                    tops = [c["qcode"] for c in stage.choose(evidence[n], model).values.get("categories", [])]
                    predicted.append(next((q for q in tops if q in top_level), ""))
                f1 = macro_f1([gold[n] for n in test], predicted)
                figures[(half, cap)].append(f1)
                by_size.setdefault(((half, cap), size), []).append(f1)
        print(f"size={size} done", flush=True)
    means = {pair: mean(values) for pair, values in figures.items()}
    for half in sorted({h for h, _ in means}):
        print(
            f"half={half:<3} "
            + " ".join(f"cap{cap}={means[(half, cap)]:.4f}" for cap in sorted({c for h, c in means if h == half})),
            flush=True,
        )
    best = max(means, key=lambda pair: (means[pair], pair == current))
    pick = best if means[best] - means[current] > MARGIN else current
    sizes = " ".join(
        f"n{size}:{mean(by_size[(current, size)]):.3f}/{mean(by_size[(pick, size)]):.3f}" for size in BLEND_TRAIN_SIZES
    )
    print(
        f"RESULT tuning_rows={len(items)} current_half={current[0]} current_cap={current[1]}"
        f" current_f1={means[current]:.4f} best_half={best[0]} best_cap={best[1]} best_f1={means[best]:.4f}"
        f" pick_half={pick[0]} pick_cap={pick[1]} per_size_current/pick={sizes}"
    )


class _FixedWeight:
    """A trained model whose blend weight is set by the grid instead of model.blend_weight."""

    def __init__(self, model, weight: float) -> None:
        self.model, self.blend_weight = model, weight

    def predict(self, vector):
        return self.model.predict(vector)


def _floats(text: str) -> tuple[float, ...]:
    return tuple(float(x) for x in text.split(","))


if __name__ == "__main__":
    main()
