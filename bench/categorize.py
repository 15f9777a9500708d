"""IPTC top-level categories on labelled news: zero-shot, then with the supervised model trained on 5/10/20 %.

Claim: CategoryStage finds the right top-level category with no training (macro-F1 target 0.90 on BBC), and
with the supervised model trained on 20 % of a set reaches 0.96 on the rest, at a pipeline-friendly speed.
The split is frozen first: a stratified 30 % tuning part (TUNING_SHARE, seed 7) and the held-out 70 %. Which data
every tuned choice saw is tabled in docs/design.md ("Categories"); the held-out rows are the 70 % that no choice
was made on. --quick scores a stratified 200-article sample of the held-out 70 % only (no tuning row). Trained rows
train the supervised model on a stratified 5/10/20 % of the held-out 70 % and test on the rest of it.
--short also scores each story cut to what many feeds carry: its headline and the first sentence of its text (the
splitter is stages.categories.scoring.split_sentences, a regex: a sentence ends at . ! or ? before a capital or a
digit). RESULT's macro_f1_short is the held-out 70 %; the tuning 30 % figure is in the table. The short-text settings
(stages.categories.scoring.ScoringConfig short_*) were chosen on the short texts of the same tuning 30 % only.
Usage: bench/categorize.py [--quick] [--short] [--data FILE] [--map old=new,...] [--seed S]
  --data: JSON lines {id, category, title, text}; default ../shared/data/bbc-news/bbc-news.jsonl
  --map:  gold label → IPTC qcode or IPTC name (names may hold commas); default: the BBC mapping
A full run also scores a second labelled set, ECB+ (bench/_category_sets.py: its 16 topics given one IPTC category
each, mostly categories BBC does not label: crime, disaster, conflict, human interest, environment), full texts and
headline + first sentence; nothing is chosen on it. RESULT adds macro_f1_ecbplus and macro_f1_ecbplus_short.
The articles per second cover the embedding stage and the zero-shot category stage together.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc-news.jsonl"
BBC_MAP = (
    "business=economy, business and finance,entertainment=arts, culture, entertainment and media,"
    "politics=politics and government,sport=sport,tech=science and technology"
)
SPLITS = (0.05, 0.10, 0.20)
SPEED_SAMPLE = 96  # articles embedded afresh to time the stages when --embedding-cache serves the rest
TUNING_SHARE, TUNING_SEED = 0.30, 7  # the frozen split: tuned choices may see the 30 % part only
BEFORE_ISSUE_12 = (
    "\n\nBefore issue 12 (descriptions, examples, prefix and sentence/example weights chosen while looking at all"
    " 2,225 articles, so the held-out rows were not held out; trained rows trained on the whole set and tested on"
    " rows that had been tuned on): zero-shot 0.914 (all rows), held-out 0.913, embeddings only 0.893 (all rows),"
    " trained on 20% 0.971, short held-out 0.873. Those figures are withdrawn; the table above replaces them."
    "\n\nThe twelve categories BBC does not label first kept descriptions and examples written while reading all"
    " 2,225 articles: held-out 0.884, short held-out 0.836 (tuning 0.886, short 0.824). Rewritten from IPTC's scope"
    " alone, with nothing else changed: held-out 0.874, short held-out 0.812 (tuning 0.856, short 0.806). The table"
    " above adds the offsets calibrated on the example sentences and the short-text settings re-chosen on the tuning"
    " part (docs/design.md)."
    "\n\nThe actor-cue lists were first written by hand while reading misfiled BBC stories: with them, held-out"
    " 0.880, short held-out 0.825 (tuning 0.863, short 0.837; embeddings only, which reads no cues, held-out 0.835)."
    " The table above has the lists rewritten from scratch from IPTC topic names and general news vocabulary,"
    " with nothing else changed (cue weights not re-chosen)."
)


def parse_map(text: str, names: dict[str, str]) -> dict[str, str]:
    """ "a=x,b=y" → {a: qcode}; a target is a qcode or an IPTC name (a comma before `word=` starts a new pair)."""
    mapping = {}
    for pair in re.split(r",(?=[^,=]+=)", text):
        old, _, new = pair.partition("=")
        new = new.strip()
        qcode = new if new.startswith("medtop:") else names.get(new.casefold())
        if not old.strip() or qcode is None:
            raise SystemExit(f"--map: cannot read {pair!r}; use label=IPTC qcode or label=IPTC name")
        mapping[old.strip()] = qcode
    return mapping


def class_f1(gold: list[str], predicted: list[str]) -> dict[str, float]:
    """F1 of each gold label, in sorted order."""
    f1s = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        f1s[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1s


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    f1s = class_f1(gold, predicted)
    return sum(f1s.values()) / len(f1s)


def confusion_matrix(gold: list[str], predicted: list[str], short: dict[str, str]) -> tuple[list[str], list[list]]:
    """(header, rows): one row per gold label, one column per gold label plus "other" (any other category)."""
    labels = sorted(set(gold))
    counts = Counter((g, p if p in labels else "other") for g, p in zip(gold, predicted, strict=True))
    header = ["gold ↓ predicted →", *(short[q] for q in labels), "other"]
    return header, [[short[g], *(counts[(g, p)] for p in [*labels, "other"])] for g in labels]


def stratified_split(gold: list[str], share: float, seed: int) -> tuple[list[int], list[int]]:
    by_label: dict[str, list[int]] = defaultdict(list)
    for n, label in enumerate(gold):
        by_label[label].append(n)
    rng = random.Random(seed)
    train: list[int] = []
    for indices in by_label.values():
        picked = indices[:]
        rng.shuffle(picked)
        train.extend(picked[: max(2, round(share * len(picked)))])
    chosen = set(train)
    return sorted(train), [n for n in range(len(gold)) if n not in chosen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a stratified 200-article sample (about a minute)")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--map", default=None, help="gold label → IPTC qcode or name, e.g. sport=medtop:15000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--short", action="store_true", help="also score headline + first sentence only")
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        default=None,
        help="a pickle of text vectors kept between runs (outside the repository, e.g. /tmp/…); speed is then"
        f" timed apart on {SPEED_SAMPLE} articles embedded afresh",
    )
    args = parser.parse_args()
    if not args.data.exists():
        print(f"RESULT skipped=1 reason=no-data-at-{args.data}")
        return

    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    import django

    django.setup()
    from bench._report import markdown_table, update_section

    from tidings.enrichment import embeddings
    from tidings.enrichment.stage import ArticleText
    from tidings.enrichment.stages.categories.model import TrainingExample, train_model
    from tidings.enrichment.stages.categories.stage import CategoryStage
    from tidings.enrichment.stages.embedding import EmbeddingStage
    from tidings.taxonomy import iptc

    categories = iptc.load_categories()
    names = {c.name.casefold(): c.qcode for c in categories}
    top_level = {c.qcode for c in categories if c.level == 1}
    mapping = parse_map(args.map or BBC_MAP, names)
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    unmapped = Counter(r["category"] for r in rows if r["category"] not in mapping)
    if unmapped:
        print(f"skipping labels with no mapping: {dict(unmapped)}")
    rows = [r for r in rows if r["category"] in mapping]
    # The split is frozen before anything else: seed 7, stratified, over the whole mapped set. Every tuned choice
    # may have seen the tuning part only; everything reported as held out, and all training data of the trained
    # rows, comes from the rest.
    tuning, held_out = stratified_split([mapping[r["category"]] for r in rows], TUNING_SHARE, TUNING_SEED)
    if args.quick:  # a stratified ~200-article sample of the held-out part only: no tuned row is scored
        held_labels = [mapping[rows[n]["category"]] for n in held_out]
        keep, _ = stratified_split(held_labels, min(1.0, 200 / len(held_out)), args.seed)
        rows = [rows[held_out[n]] for n in keep]
        tuning, held_out = [], list(range(len(rows)))
    gold = [mapping[r["category"]] for r in rows]
    items = [
        ArticleText(n, r.get("title", ""), tuple(p.strip() for p in r.get("text", "").split("\n") if p.strip()))
        for n, r in enumerate(rows)
    ]

    embedder, categoriser = EmbeddingStage(), CategoryStage(supervised=False)
    embeddings.get_model()
    categoriser.setup()

    def zero_shot_evidence(texts: list[ArticleText]) -> list:
        found_evidence = []
        for start in range(0, len(texts), 32):
            batch = texts[start : start + 32]
            found = embedder.process_batch(batch)
            facts = [
                ArticleText(i.article_id, i.headline, i.paragraphs, facts=dict(o.values))
                for i, o in zip(batch, found, strict=True)
            ]
            found_evidence.extend(categoriser.evidence(facts))
        return found_evidence

    memo_file = args.embedding_cache
    memo = _Memo(embeddings, memo_file) if args.short or memo_file else None
    if memo_file:
        # Served texts cost nothing, so the speed is timed apart: the first SPEED_SAMPLE articles, embedded afresh.
        timed = items[:SPEED_SAMPLE]
        memo.serving = False
        started = time.perf_counter()
        zero_shot_evidence(timed)
        seconds = time.perf_counter() - started
        speed, timed_count = len(timed) / seconds, len(timed)
        memo.serving = True
        evidence = zero_shot_evidence(items)
    else:
        started = time.perf_counter()
        evidence = zero_shot_evidence(items)
        seconds = time.perf_counter() - started
        speed, timed_count = len(items) / seconds, len(items)
    if args.short:
        # A text embedded for the long run (a headline, an opening sentence) is not embedded again.
        memo.serving = True
        short_items = [_short_item(i) for i in items]
        short_evidence = zero_shot_evidence(short_items)

    def first_top_level(output) -> str:
        tops = [c["qcode"] for c in output.values.get("categories", []) if c["qcode"] in top_level]
        return tops[0] if tops else ""

    zero = [first_top_level(categoriser.choose(e, None)) for e in evidence]
    plain = [first_top_level(categoriser.choose(replace(e, scores=e.embedding_scores), None)) for e in evidence]
    held_gold = [gold[n] for n in held_out]
    held_zero, held_plain = [zero[n] for n in held_out], [plain[n] for n in held_out]
    f1_held = macro_f1(held_gold, held_zero)
    everything = " (all rows, tuning 30% included)" if tuning else " (held-out sample)"
    table = [
        [f"zero-shot, embeddings only{everything}", 0, len(gold), *_scores(gold, plain)],
        [
            "zero-shot, embeddings only (held-out 70%)",
            0,
            len(held_out),
            macro_f1(held_gold, held_plain),
            _accuracy(held_gold, held_plain),
        ],
        ["zero-shot + actor evidence (held-out 70%)", 0, len(held_out), f1_held, _accuracy(held_gold, held_zero)],
        [f"zero-shot + actor evidence{everything}", 0, len(gold), *_scores(gold, zero)],
    ]
    if tuning:  # not in --quick, which scores held-out rows only
        table.append(_split_row("zero-shot + actor evidence (tuning 30%)", gold, zero, tuning))
    f1_short = float("nan")
    if args.short:
        short_zero = [first_top_level(categoriser.choose(e, None)) for e in short_evidence]
        if tuning:
            table.append(_split_row("short: zero-shot + actor evidence (tuning 30%)", gold, short_zero, tuning))
        table.append(_split_row("short: zero-shot + actor evidence (held-out 70%)", gold, short_zero, held_out))
        f1_short = table[-1][3]
        short_per_class = class_f1([gold[n] for n in held_out], [short_zero[n] for n in held_out])
    confusions = Counter((g, p) for g, p in zip(held_gold, held_zero, strict=True) if g != p)
    f1_20 = float("nan")
    for share in SPLITS:
        # Training data from the held-out part only (a stratified share of it); tested on the held-out rest.
        local_train, local_test = stratified_split(held_gold, share, args.seed)
        train, test = [held_out[n] for n in local_train], [held_out[n] for n in local_test]
        examples = [
            TrainingExample(evidence[n].vector, frozenset({gold[n]})) for n in train if evidence[n].vector is not None
        ]
        model = train_model(examples)
        predicted = [first_top_level(categoriser.choose(evidence[n], model)) for n in test]
        truth = [gold[n] for n in test]
        f1 = macro_f1(truth, predicted)
        table.append(
            [
                f"trained on {share:.0%} of held-out, tested on its rest",
                len(train),
                len(test),
                f1,
                _accuracy(truth, predicted),
            ]
        )
        if share == 0.20:
            f1_20 = f1

    ecbplus: dict[str, object] = {}
    if not args.quick and args.data == DATA:
        from bench._category_sets import score_ecbplus

        memo = memo or _Memo(embeddings, None)
        memo.serving = True
        ecbplus = score_ecbplus(
            zero_shot_evidence, lambda e: first_top_level(categoriser.choose(e, None)), _short_item, macro_f1
        )
        for cut in ("long", "short") if ecbplus else ():
            label = "full texts" if cut == "long" else "headline + first sentence"
            table.append(
                [
                    f"ECB+ check set, {label} ({ecbplus['labels']} IPTC categories; nothing chosen on it)",
                    0,
                    ecbplus["rows"],
                    ecbplus[cut],
                    ecbplus[f"{cut}_accuracy"],
                ]
            )

    short = {c.qcode: c.name.split(",")[0] for c in categories}
    header = ["setting", "trained on", "evaluated on", "macro-F1", "accuracy"]
    print(markdown_table(header, table))
    print(
        "most common zero-shot confusions (gold → predicted):",
        ", ".join(f"{short[g]}→{short.get(p, 'none')} {n}" for (g, p), n in confusions.most_common(6)),
    )
    per_class = class_f1(held_gold, held_zero)
    print("held-out zero-shot F1 per class:", ", ".join(f"{short[q]}={f:.3f}" for q, f in per_class.items()))
    print(markdown_table(*confusion_matrix(held_gold, held_zero, short)))
    if args.short:
        print("short held-out F1 per class:", ", ".join(f"{short[q]}={f:.3f}" for q, f in short_per_class.items()))
    if memo is not None:
        memo.save(embeddings.MODEL_NAME)
    print(f"articles={timed_count} seconds={seconds:.1f} articles_per_s={speed:.1f} (embedding + category stages)")
    timing = f"; timed on {timed_count} articles embedded afresh, the others read from a cache" if memo_file else ""
    if not args.no_report and not args.quick and args.data == DATA:
        update_section(
            "Categories (bench/categorize.py)",
            markdown_table(header, table)
            + f"\n\n{len(items)} BBC News articles (5 classes mapped to IPTC top level); the first top-level category"
            " counts. The split is frozen before any tuning: a stratified"
            f" {TUNING_SHARE:.0%} tuning part (seed {TUNING_SEED}) and the held-out {1 - TUNING_SHARE:.0%}."
            ' Zero-shot: no BBC text is used for training. "Actor evidence" adds cue-word densities (ministers,'
            " parties; companies, markets, money; police, courts; schools; unions; software, computers, chips,"
            " hackers, scientists) from lists written from IPTC Media Topics names and general news vocabulary,"
            " with no names in them and no BBC text read while writing"
            " (src/tidings/enrichment/stages/categories/evidence.py). Which data each tuned choice saw is tabled in"
            ' docs/design.md ("Categories"): the descriptions and example sentences of all 17 categories were'
            " written from IPTC's scope without reading BBC articles, and each category's offset is calibrated on"
            " those example sentences, not on news; the scoring weights were chosen on the tuning part only; a few"
            " older constants were set before the split existed and are named there. Rows marked held-out are"
            " the part no choice was made on; rows over all articles include the tuning part. Trained rows: the"
            " supervised model is trained on a stratified 5/10/20% of the held-out part and tested on the rest of"
            " the held-out part, blended with the zero-shot scores as in the pipeline (the blend's two constants were"
            " re-chosen by cross-validation inside the tuning part: bench/_category_tuning.py --blend). Speed:"
            f" {speed:.1f} articles/s for the embedding and category stages together (2 shared CPU cores{timing})."
            "\n\nHeld-out zero-shot F1 per class: "
            + ", ".join(f"{short[q]} {f:.3f}" for q, f in per_class.items())
            + ". Held-out zero-shot confusion matrix (other: any of the other 12 top-level categories):\n\n"
            + markdown_table(*confusion_matrix(held_gold, held_zero, short))
            + (
                "\n\nShort rows: each story cut to its headline and the first sentence of its text (a regex"
                " sentence splitter), as many feeds carry it; same classifier, same split. Held-out F1 per class: "
                + ", ".join(f"{short[q]} {f:.3f}" for q, f in short_per_class.items())
                + "."
                if args.short
                else ""
            )
            + (
                f"\n\nECB+ rows: a second labelled set, {ecbplus['rows']} web news texts of 2008-2013 (ECB+ topics"
                f" 1-22 less four that fit two categories), each topic given one of {ecbplus['labels']} IPTC"
                " top-level categories from its event and the IPTC tree, decided before any ECB+ text was scored"
                " (bench/_category_sets.py); most are categories BBC does not label (crime, disaster, conflict,"
                " human interest, environment), so a rule that only pushes stories away from those categories"
                " shows here as a loss. Nothing is chosen on it. Short: the first sentence after the headline."
                if ecbplus
                else ""
            )
            + BEFORE_ISSUE_12,
        )
    print(
        f"RESULT macro_f1_zero_shot={table[3][3]:.3f} macro_f1_zero_shot_heldout70={f1_held:.3f}"
        f" macro_f1_embeddings_only={table[0][3]:.3f} macro_f1_embeddings_only_heldout70={table[1][3]:.3f}"
        f" macro_f1_20pct={f1_20:.3f} articles_per_s={speed:.1f}"
        + (f" macro_f1_short={f1_short:.3f}" if args.short else "")
        + (f" macro_f1_ecbplus={ecbplus['long']:.3f} macro_f1_ecbplus_short={ecbplus['short']:.3f}" if ecbplus else "")
    )


def _short_item(item):
    """What many feeds carry: the headline and the first sentence of the text (stages.categories.scoring's splitter)."""
    from tidings.enrichment.stage import ArticleText
    from tidings.enrichment.stages.categories.scoring import split_sentences

    opening = tuple(split_sentences(item.paragraphs[0])[:1]) if item.paragraphs else ()
    return ArticleText(item.article_id, item.headline, opening)


def _scores(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    return macro_f1(gold, predicted), _accuracy(gold, predicted)


def _split_row(setting: str, gold: list[str], predicted: list[str], rows: list[int]) -> list:
    truth, guess = [gold[n] for n in rows], [predicted[n] for n in rows]
    return [setting, 0, len(rows), macro_f1(truth, guess), _accuracy(truth, guess)]


class _Memo:
    """Wraps embeddings.embed to record every text embedded in this run; once serving, a recorded text is not
    embedded again (a bench-only shortcut: the timed long run embeds everything as the pipeline does).

    With a cache file (--embedding-cache, an .npz kept outside the repository, e.g. under /tmp) the vectors of
    earlier runs with the same model are read at the start and the new ones written back by save(); the caller
    times the speed apart, on texts embedded afresh."""

    def __init__(self, embeddings, cache: Path | None = None) -> None:
        self.original, self.vectors, self.serving = embeddings.embed, {}, False
        self.cache, self._added = cache, 0
        if cache is not None and cache.exists():
            import numpy as np

            with np.load(cache, allow_pickle=False) as stored:
                if str(stored["model"]) == embeddings.MODEL_NAME:
                    self.vectors = dict(zip(stored["texts"].tolist(), stored["vectors"], strict=True))
        embeddings.embed = self.embed

    def embed(self, texts, batch_size=32):
        import numpy as np

        if not self.serving:
            found = self.original(texts, batch_size=batch_size)
            self._added += sum(t not in self.vectors for t in texts)
            self.vectors.update(zip(texts, found, strict=True))
            return found
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            self._added += len(missing)
            self.vectors.update(zip(missing, self.original(missing, batch_size=batch_size), strict=True))
        return np.vstack([self.vectors[t] for t in texts]) if texts else self.original([], batch_size=batch_size)

    def save(self, model_name: str) -> None:
        """Write every recorded vector to the cache file, when there is one and this run added any."""
        if self.cache is None or not self._added:
            return
        import numpy as np

        self.cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.cache.with_name(self.cache.name + ".tmp.npz")
        texts = list(self.vectors)
        np.savez(
            temporary,
            model=np.array(model_name),
            texts=np.array(texts),
            vectors=np.vstack([self.vectors[t] for t in texts]),
        )
        temporary.replace(self.cache)


def _accuracy(gold: list[str], predicted: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


if __name__ == "__main__":
    main()
