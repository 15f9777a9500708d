"""Per-category score offsets chosen on BBC's tuning part by cross-validation, checked on ECB+ (issue 11.12).

Called by bench/_category_tuning.py --offsets with the tuning rows only (the held-out 70 % is never loaded). An
offset is a log-prior: the first label is argmax(log score + offset). BBC labels five of the seventeen top-level
categories, so offsets can only be fitted for those five; the other twelve stay at 0. Two forms are fitted:
"free" lets the five move against the twelve; "zero-mean" only re-orders the five among themselves (their mean is
held at 0), so whatever it gains cannot come from pushing stories out of categories BBC does not label.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

import numpy as np


def fit_offsets(
    scores: np.ndarray,
    gold: Sequence[str],
    codes: Sequence[str],
    free: Sequence[int],
    grid: Sequence[float],
    macro_f1: Callable,
    rounds: int = 3,
) -> np.ndarray:
    """Coordinate search: one offset per column in `free` (others 0) maximising macro-F1 of argmax(log s + b)."""
    logs = np.log(np.maximum(scores, 1e-12))
    offsets = np.zeros(len(codes))

    def score(b: np.ndarray) -> float:
        return macro_f1(list(gold), [codes[i] for i in (logs + b).argmax(axis=1)])

    best = score(offsets)
    for _ in range(rounds):
        for column in free:
            for value in grid:
                trial = offsets.copy()
                trial[column] = value
                found = score(trial)
                if found > best + 1e-9:
                    best, offsets = found, trial
    return offsets


def cross_validated_gain(
    scores: np.ndarray,
    gold: Sequence[str],
    codes: Sequence[str],
    fit: Callable,
    macro_f1: Callable,
    seeds: Sequence[int],
) -> tuple[float, float]:
    """Mean and standard error of the macro-F1 gain on each 5th fold from offsets fitted on the other four."""
    logs = np.log(np.maximum(scores, 1e-12))
    gains = []
    for seed in seeds:
        order = list(range(len(gold)))
        random.Random(seed).shuffle(order)
        for fold in range(5):
            test = sorted(order[fold::5])
            train = sorted(set(order) - set(test))
            offsets = fit(scores[train], [gold[n] for n in train])
            truth = [gold[n] for n in test]
            with_offsets = macro_f1(truth, [codes[i] for i in (logs[test] + offsets).argmax(axis=1)])
            without = macro_f1(truth, [codes[i] for i in logs[test].argmax(axis=1)])
            gains.append(with_offsets - without)
    return float(np.mean(gains)), float(np.std(gains) / np.sqrt(len(gains)))


def choose_offsets(stage, long_items, short_items, gold, grid, seeds, margin) -> None:
    """Print the cross-validated gain of both forms, the offsets fitted on the whole tuning part, and the ECB+ check."""
    from bench._category_sets import ECBPLUS, ecbplus_rows
    from bench.categorize import _short_item, macro_f1

    from tidings.enrichment.stage import ArticleText

    stage.setup()
    codes = stage._top_codes
    labelled = [codes.index(q) for q in sorted(set(gold))]

    def matrix(items) -> np.ndarray:
        found = []
        for start in range(0, len(items), 64):
            found.extend(stage.evidence(items[start : start + 64]))
        return np.array([[e.scores.get(q, 0.0) for q in codes] for e in found])

    def free(s: np.ndarray, g: Sequence[str]) -> np.ndarray:
        return fit_offsets(s, g, codes, labelled, grid, macro_f1)

    def zero_mean(s: np.ndarray, g: Sequence[str]) -> np.ndarray:
        offsets = free(s, g)
        offsets[labelled] -= offsets[labelled].mean()
        return offsets

    ecb = ecbplus_rows() if ECBPLUS.exists() else []
    ecb_gold = [r["category"] for r in ecb]
    ecb_items = [ArticleText(n, r["title"], tuple(r["text"].split("\n"))) for n, r in enumerate(ecb)]
    verdict = []
    for cut, items, ecb_cut in (
        ("long", long_items, ecb_items),
        ("short", short_items, [_short_item(i) for i in ecb_items]),
    ):
        scores = matrix(items)
        ecb_logs = np.log(np.maximum(matrix(ecb_cut), 1e-12)) if ecb else None
        for name, fit in (("free", free), ("zero-mean", zero_mean)):
            gain, error = cross_validated_gain(scores, gold, codes, fit, macro_f1, seeds)
            offsets = fit(scores, gold)
            shown = " ".join(f"{codes[i]}={offsets[i]:+.2f}" for i in labelled)
            line = f"{cut} {name}: cv_gain={gain:+.4f}±{error:.4f} offsets {shown}"
            ecb_change = float("nan")
            if ecb_logs is not None:
                before = macro_f1(ecb_gold, [codes[i] for i in ecb_logs.argmax(axis=1)])
                after = macro_f1(ecb_gold, [codes[i] for i in (ecb_logs + offsets).argmax(axis=1)])
                ecb_change = after - before
                line += f" ecbplus {before:.4f}→{after:.4f}"
            print(line, flush=True)
            verdict.append((cut, name, gain, ecb_change))
    kept = [
        name
        for name in ("free", "zero-mean")
        if all(g > margin and not (e < -margin) for c, n, g, e in verdict if n == name)
    ]
    print(
        f"RESULT tuning_rows={len(gold)} "
        + " ".join(f"{c}_{n}_cv_gain={g:+.4f} {c}_{n}_ecbplus_change={e:+.4f}" for c, n, g, e in verdict)
        + f" kept={','.join(kept) or 'none'}"
    )
