"""Annotated claims for bench/claims.py: the bracket markup in bench/data/claims/*.txt, read into plain text and spans.

Markup (bench/data/claims/README.md): `[S1 speaker]`, `[C1 cue]`, `[T1 content]` mark claim 1's parts;
`[S1,2 x]` is the speaker of claims 1 and 2; tags nest; a claim without an S tag is unattributed.
Offsets are computed here, from the markup, so no offset is ever written by hand.
Usage: bench/_claims_data.py  (rewrites tuning.jsonl, heldout.jsonl and styles.jsonl from the .txt files, checking
them)
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "claims"
_OPEN = re.compile(r"\[([SCT])(\d+(?:,\d+)*) ")
QUOTES = "\"\u201c\u201d\u2018\u2019'"


@dataclass
class GoldArticle:
    id: str
    text: str
    claims: list[dict[str, object]] = field(default_factory=list)


def parse_markup(markup: str, article_id: str = "?") -> GoldArticle:
    """Plain text and claims from one article's markup; raises ValueError on a malformed tag."""
    out: list[str] = []
    stack: list[tuple[str, list[int], int]] = []
    spans: dict[int, dict[str, tuple[int, int]]] = {}
    i = 0
    length = 0
    while i < len(markup):
        match = _OPEN.match(markup, i)
        if match:
            stack.append((match.group(1), [int(n) for n in match.group(2).split(",")], length))
            i = match.end()
            continue
        char = markup[i]
        if char == "[":
            raise ValueError(f"{article_id}: bad tag at {markup[i : i + 20]!r}")
        if char == "]":
            if not stack:
                raise ValueError(f"{article_id}: unmatched ] near {markup[max(0, i - 30) : i]!r}")
            role, ids, start = stack.pop()
            for claim_id in ids:
                parts = spans.setdefault(claim_id, {})
                if role in parts:
                    raise ValueError(f"{article_id}: claim {claim_id} has two {role} tags")
                parts[role] = (start, length)
            i += 1
            continue
        out.append(char)
        length += 1
        i += 1
    if stack:
        raise ValueError(f"{article_id}: unclosed tag {stack[-1][:2]}")
    text = "".join(out)
    article = GoldArticle(article_id, text)
    for claim_id in sorted(spans):
        parts = spans[claim_id]
        if "C" not in parts or "T" not in parts:
            raise ValueError(f"{article_id}: claim {claim_id} lacks a cue or content: {sorted(parts)}")
        claim: dict[str, object] = {"id": claim_id}
        for role, name in (("S", "speaker"), ("C", "cue"), ("T", "content")):
            if role in parts:
                start, end = parts[role]
                if text[start:end] != text[start:end].strip() or start == end:
                    raise ValueError(f"{article_id}: claim {claim_id} {name} has edge spaces: {text[start:end]!r}")
                claim[name] = {"text": text[start:end], "start": start, "end": end}
            else:
                claim[name] = None
        start, end = parts["T"]
        claim["quote"] = (start > 0 and text[start - 1] in QUOTES) or any(q in text[start:end] for q in '"“”')
        claim["attributed"] = "S" in parts
        article.claims.append(claim)
    return article


def read_markup_file(path: Path) -> list[GoldArticle]:
    articles: list[GoldArticle] = []
    current: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is not None:
            articles.append(parse_markup("\n".join(lines).strip("\n"), current))

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("=== "):
            flush()
            current, lines = line[4:].strip(), []
        else:
            lines.append(line)
    flush()
    return articles


def load_split(name: str) -> list[GoldArticle]:
    """The articles of one split, from its .jsonl file."""
    articles = []
    for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        articles.append(GoldArticle(row["id"], row["text"], row["claims"]))
    return articles


SEED_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def load_seed(seed_dir: Path = SEED_DIR) -> GoldArticle | None:
    """The seed page with the issue's expected attributions located in it; None when ../shared/seeds is absent."""
    spec = json.loads((DATA / "seed_expected.json").read_text(encoding="utf-8"))
    path = seed_dir / spec["file"]
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    article = GoldArticle("seed", text)
    for number, item in enumerate(spec["claims"], 1):
        at = _find(text, item["at"], 0)
        speaker_from = _find(text, item.get("speaker_at", item["at"]), 0)
        claim: dict[str, object] = {"id": number, "attributed": item["speaker"] is not None}
        claim["speaker"] = _span(text, item["speaker"], speaker_from) if item["speaker"] else None
        claim["cue"] = _span(text, item["cue"], at)
        first, last = item["content"]
        start = _find(text, first, at)
        end = _find(text, last, start) + len(last)
        claim["content"] = {"text": text[start:end], "start": start, "end": end}
        claim["quote"] = bool(item.get("quote", False))
        article.claims.append(claim)
    return article


def _find(text: str, needle: str, start: int) -> int:
    position = text.find(needle, start)
    if position < 0:
        raise ValueError(f"seed anchor {needle!r} not found after {start}")
    return position


def _span(text: str, needle: str, start: int) -> dict[str, object]:
    position = _find(text, needle, start)
    return {"text": needle, "start": position, "end": position + len(needle)}


def main() -> None:
    total = 0
    for name in ("tuning", "heldout", "styles"):
        source = DATA / f"{name}.txt"
        if not source.exists():
            continue
        articles = read_markup_file(source)
        with (DATA / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for article in articles:
                fh.write(json.dumps({"id": article.id, "text": article.text, "claims": article.claims}) + "\n")
        count = sum(len(a.claims) for a in articles)
        total += count
        print(f"{name}: {len(articles)} articles, {count} claims")
    seed = load_seed()
    if seed is not None:
        total += len(seed.claims)
        print(f"seed: 1 article, {len(seed.claims)} claims (located in {SEED_DIR})")
    print(f"total: {total} claims")


if __name__ == "__main__":
    sys.exit(main())
