"""FTS5's bm25, computed in Python for a small set of rows, and the SQL that carries the scores back (pure).

FTS5's bm25() works out each phrase's IDF by reading the phrase's whole doclist once per cursor; looked up row by
row (`rowid IN (...)`, one cursor per row) that is one doclist pass per row: seconds for a common word. For a small
filtered set the SQLite backend reads instead what bm25 is made of, cheaply, and scores here:
- instances of each phrase per column (highlight() markers; no doclist pass),
- the row's size in tokens (the FTS5 `_docsize` table: one varint per column),
- the table's row count and token totals (the `_data` table's averages record, id 1).
The formula is fts5_aux.c's (k1 1.2, b 0.75, column weights). Only the IDF may differ: counting a common phrase's
rows in the table would be that doclist pass again, so the caller estimates it (sqlite_small.py). For a one-word
query the IDF is one factor shared by every row, so the order is exactly FTS5's; with several words it is FTS5's
where the row counts are exact (rarer words, small tables).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75
MIN_IDF = 1e-6  # fts5_aux.c: a phrase in half the rows or more still counts a little


def varints(blob: bytes) -> list[int]:
    """SQLite's varints (big-endian 7-bit groups, a 9th byte of 8 bits), as FTS5 writes its sizes."""
    values: list[int] = []
    i, n = 0, len(blob)
    while i < n:
        value = 0
        for length in range(9):
            if i >= n:
                return values  # truncated: keep what was whole
            byte = blob[i]
            i += 1
            if length == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


@dataclass(frozen=True, slots=True)
class TableTotals:
    rows: int
    tokens: int  # every column's tokens, every row

    @classmethod
    def from_averages(cls, blob: bytes | None) -> TableTotals:
        """The averages record: the row count, then each column's token total."""
        values = varints(blob or b"")
        return cls(values[0] if values else 0, sum(values[1:]))

    @property
    def average_size(self) -> float:
        return self.tokens / self.rows if self.rows and self.tokens else 1.0


def idf(rows: int, hits: float) -> float:
    value = math.log((rows - hits + 0.5) / (hits + 0.5)) if rows else 0.0
    return value if value > 0 else MIN_IDF


def scaled_idfs(phrase_hits: Sequence[int], sample: int, totals: TableTotals) -> list[float]:
    """Each phrase's IDF with its share of rows in a sample (`phrase_hits` of `sample` rows) taken as the table's."""
    rows = max(totals.rows, sample)
    return [idf(rows, rows * hits / sample if sample else 0.0) for hits in phrase_hits]


def bm25(
    counts: Sequence[Sequence[int]], size: int, idfs: Sequence[float], weights: Sequence[float], average: float
) -> float:
    """-bm25() of one row (higher is better): counts[phrase][column] instances, `size` tokens in the row."""
    score = 0.0
    norm = K1 * (1 - B + B * size / (average or 1.0))
    for phrase, columns in enumerate(counts):
        freq = sum(n * w for n, w in zip(columns, weights, strict=False))
        score += idfs[phrase] * (freq * (K1 + 1.0)) / (freq + norm)
    return score


def score_case_sql(column: str, scores: dict[int, float]) -> str:
    """A SQL expression giving each id its score (else NULL): a CASE tree split on id ranges, so a row costs about
    log2(len(scores)) comparisons (a flat CASE costs one per id). Only ints and floats are written into it."""
    ids = sorted(scores)

    def node(low: int, high: int) -> str:
        if high - low <= 4:
            whens = " ".join(f"WHEN {ids[i]} THEN {float(scores[ids[i]])!r}" for i in range(low, high))
            return f"CASE {column} {whens} END"
        middle = (low + high) // 2
        return f"CASE WHEN {column} < {ids[middle]} THEN {node(low, middle)} ELSE {node(middle, high)} END"

    return node(0, len(ids)) if ids else "NULL"
