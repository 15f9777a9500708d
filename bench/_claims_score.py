"""Scoring predicted claims against gold ones: claims are paired by cue overlap, then each part is compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Span = Mapping[str, object]
ClaimDict = Mapping[str, object]


@dataclass
class Tally:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    tallies: dict[str, Tally] = field(default_factory=dict)
    quote_right: int = 0
    attributed_right: int = 0
    nested_right: int = 0  # paired claims whose nesting (reported inside another claim's content) is right
    paired: int = 0

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    def add(self, other: Scores) -> None:
        for name, tally in other.tallies.items():
            self.tally(name).add(tally)
        self.quote_right += other.quote_right
        self.attributed_right += other.attributed_right
        self.nested_right += other.nested_right
        self.paired += other.paired


def _bounds(span: Span) -> tuple[int, int]:
    return int(span["start"]), int(span["end"])  # type: ignore[call-overload]


def _overlap(a: Span, b: Span) -> int:
    (a0, a1), (b0, b1) = _bounds(a), _bounds(b)
    return max(0, min(a1, b1) - max(a0, b0))


def pair_claims(gold: Sequence[ClaimDict], predicted: Sequence[ClaimDict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs whose cues overlap, largest overlap first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            amount = _overlap(g["cue"], p["cue"])  # type: ignore[arg-type]
            if amount:
                candidates.append((-amount, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def score_article(gold: Sequence[ClaimDict], predicted: Sequence[ClaimDict]) -> Scores:
    """Exact and overlap tallies for cue, speaker and content; a part counts only on a paired claim."""
    scores = Scores()
    pairs = pair_claims(gold, predicted)
    for part in ("cue", "speaker", "content"):
        for mode in ("exact", "overlap"):
            tally = scores.tally(f"{part}_{mode}")
            tally.gold = sum(1 for g in gold if g[part] is not None)
            tally.predicted = sum(1 for p in predicted if p[part] is not None)
            for gi, pi in pairs:
                g, p = gold[gi][part], predicted[pi][part]
                if g is None or p is None:
                    continue
                same = _bounds(g) == _bounds(p) if mode == "exact" else _overlap(g, p) > 0  # type: ignore[arg-type]
                tally.tp += int(same)
    nested = gold_nested(gold)
    for gi, pi in pairs:
        scores.paired += 1
        scores.quote_right += int(bool(gold[gi]["quote"]) == bool(predicted[pi]["quote"]))
        scores.attributed_right += int(bool(gold[gi]["attributed"]) == bool(predicted[pi]["attributed"]))
        scores.nested_right += int(nested[gi] == (predicted[pi].get("via") is not None))
    return scores


def gold_nested(gold: Sequence[ClaimDict]) -> list[bool]:
    """Whether each gold claim is reported inside another's content (`[T1 [S2 …] [C2 …] [T2 …]]`): its cue lies in
    the content of an attributed claim with another speaker."""
    flags = []
    for claim in gold:
        cue = _bounds(claim["cue"])  # type: ignore[arg-type]
        flags.append(
            any(
                other is not claim
                and other["attributed"]
                and other["speaker"] is not None
                and other["speaker"] != claim["speaker"]
                and _bounds(other["content"])[0] <= cue[0]  # type: ignore[arg-type]
                and cue[1] <= _bounds(other["content"])[1]  # type: ignore[arg-type]
                for other in gold
            )
        )
    return flags


def errors(text: str, gold: Sequence[ClaimDict], predicted: Sequence[ClaimDict]) -> list[str]:
    """Readable differences for one article (for tuning only)."""
    lines = []
    pairs = pair_claims(gold, predicted)
    paired_g = {gi for gi, _ in pairs}
    paired_p = {pi for _, pi in pairs}

    def show(span: object) -> str:
        return "-" if span is None else repr(span["text"])  # type: ignore[index]

    for gi, g in enumerate(gold):
        if gi not in paired_g:
            lines.append(f"  MISSED  {show(g['speaker'])} | {show(g['cue'])} | {show(g['content'])[:90]}")
    for pi, p in enumerate(predicted):
        if pi not in paired_p:
            lines.append(f"  EXTRA   {show(p['speaker'])} | {show(p['cue'])} | {show(p['content'])[:90]}")
    for gi, pi in pairs:
        g, p = gold[gi], predicted[pi]
        for part in ("speaker", "cue", "content"):
            gs, ps = g[part], p[part]
            if (gs is None) != (ps is None) or (gs is not None and _bounds(gs) != _bounds(ps)):  # type: ignore[arg-type]
                lines.append(f"  {part.upper():8}{show(g['cue'])}: gold {show(gs)[:80]} / got {show(ps)[:80]}")
    return lines
