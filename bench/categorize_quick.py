"""Zero-shot IPTC categories on a sample of the BBC News set, and the time to categorise a batch.

Claim: CategoryStage picks the right top-level category for most BBC articles with no training,
and categorises 200 texts in one batch in well under a minute on a laptop CPU.
Usage: bench/categorize_quick.py [--quick] [--sample N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "bbc-news" / "bbc-news.jsonl"
BBC_TO_IPTC = {
    "business": "medtop:04000000",
    "entertainment": "medtop:01000000",
    "politics": "medtop:11000000",
    "sport": "medtop:15000000",
    "tech": "medtop:13000000",
}


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    f1s = []
    for label in set(gold):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100 articles instead of 300")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"RESULT skipped=1 reason=no-bbc-data-at-{DATA}")
        return

    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import django

    django.setup()
    from tidings.enrichment.stage import ArticleText
    from tidings.enrichment.stages.categories import CategoryStage
    from tidings.taxonomy import iptc

    rows = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    size = 100 if args.quick else args.sample
    sample = random.Random(args.seed).sample(rows, min(size, len(rows)))
    items = [
        ArticleText(n, row["title"], tuple(p for p in row["text"].split("\n") if p.strip()))
        for n, row in enumerate(sample)
    ]

    stage = CategoryStage()
    started = time.perf_counter()
    stage.setup()
    setup_seconds = time.perf_counter() - started

    timed = (items * (200 // len(items) + 1))[:200]
    started = time.perf_counter()
    stage.process_batch(timed)
    batch_seconds = time.perf_counter() - started

    outputs = stage.process_batch(items)
    gold = [BBC_TO_IPTC[row["category"]] for row in sample]
    first_level = {c.qcode for c in iptc.load_categories() if c.level == 1}
    top_levels = [[c for c in out.values["categories"] if c["qcode"] in first_level] for out in outputs]
    predicted = [str(cats[0]["qcode"]) for cats in top_levels]
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    labels = [len(cats) for cats in top_levels]
    in_any = sum(g in {c["qcode"] for c in cats} for g, cats in zip(gold, top_levels, strict=True)) / len(gold)
    wrong = Counter(p for g, p in zip(gold, predicted, strict=True) if g != p)
    print(f"sample={len(sample)} setup_seconds={setup_seconds:.1f} most_common_wrong_first={wrong.most_common(4)}")
    print(
        f"RESULT articles={len(sample)} accuracy_first={accuracy:.3f} macro_f1={macro_f1(gold, predicted):.3f} "
        f"gold_among_labels={in_any:.3f} top_level_labels_per_article={sum(labels) / len(labels):.2f} "
        f"seconds_per_200={batch_seconds:.1f}"
    )


if __name__ == "__main__":
    main()
