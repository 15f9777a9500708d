"""The trafilatura-eval pages (../shared/data/trafilatura-eval) and their snippet metric, for bench/extraction.py.

Split (frozen before any rule was tuned): a page belongs to the development part when the first
8 bytes of sha1(file name) fall in the lowest 30 % of their range; every other page is held out.
Metric (trafilatura's tests/evaluate.py): a `with` snippet found in the output is a true positive,
else a false negative; a `without` snippet found is a false positive, else a true negative;
precision, recall and F1 over all snippets of a part. Text is compared with whitespace collapsed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "trafilatura-eval"
DEV_SHARE = 0.3
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EvalPage:
    name: str
    url: str
    html: bytes
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass(frozen=True)
class SnippetScore:
    f1: float
    precision: float
    recall: float
    accuracy: float
    pages: int


def is_dev(name: str) -> bool:
    """True for the development part (about 30 % of pages), chosen by a stable hash of the file name."""
    return int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:8], "big") < DEV_SHARE * 2**64


def load_pages(part: str, limit: int | None = None, data: Path = DATA) -> list[EvalPage]:
    """The pages of one part ("dev" or "heldout"), sorted by name; every `limit`-th page when limited."""
    entries = json.loads((data / "evaldata.json").read_text(encoding="utf-8"))
    names = sorted(name for name in entries if is_dev(name) == (part == "dev"))
    if limit:
        names = names[:: max(1, len(names) // limit)][:limit]
    pages = []
    for name in names:
        entry = entries[name]
        with gzip.open(data / "pages" / f"{name}.gz", "rb") as handle:
            html = handle.read()
        pages.append(EvalPage(name, entry.get("url", ""), html, tuple(entry["with"]), tuple(entry["without"])))
    return pages


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def snippet_counts(page: EvalPage, output: str) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page's snippets in one extractor's output."""
    text = normalise(output)
    found_with = sum(normalise(s) in text for s in page.with_)
    found_without = sum(normalise(s) in text for s in page.without)
    return found_with, found_without, len(page.with_) - found_with, len(page.without) - found_without


def snippet_score(counts: list[tuple[int, int, int, int]]) -> SnippetScore:
    tp, fp, fn, tn = (sum(c[i] for c in counts) for i in range(4))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    total = tp + fp + fn + tn
    return SnippetScore(f1, precision, recall, (tp + tn) / total if total else 0.0, len(counts))


def score_part(pages: list[EvalPage], extract: Callable[[bytes, str], str]) -> SnippetScore:
    return snippet_score([snippet_counts(page, extract(page.html, page.url)) for page in pages])
