"""Pure: B-cubed precision, recall and F1 of a clustering against gold clusters (Bagga and Baldwin, 1998)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping


def b_cubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> tuple[float, float, float]:
    """(precision, recall, F1), each the mean over the gold items that were clustered: for an item, the share of
    its predicted cluster that is in its gold cluster (precision) and of its gold cluster that is in its
    predicted cluster (recall). Items missing from `predicted` are left out."""
    items = [item for item in gold if item in predicted]
    if not items:
        return 0.0, 0.0, 0.0
    by_pred: dict[Hashable, set[Hashable]] = {}
    by_gold: dict[Hashable, set[Hashable]] = {}
    for item in items:
        by_pred.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        pred, true = by_pred[predicted[item]], by_gold[gold[item]]
        shared = len(pred & true)
        precision += shared / len(pred)
        recall += shared / len(true)
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
