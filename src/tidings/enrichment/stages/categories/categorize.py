"""Categorise texts that are not stored articles, through the same stages the pipeline runs (no database)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from tidings.enrichment.registry import Pipeline
from tidings.enrichment.stage import ArticleText, Stage, StageOutput, contract_problem
from tidings.taxonomy import iptc

# The configured stages that categorising needs, when present, in pipeline order.
CATEGORY_STAGE_NAMES = ("language", "embedding", "categories")


@dataclass(frozen=True, slots=True)
class TextItem:
    line: int  # 1-based line number in the input
    key: object  # the caller's id, echoed back
    text: ArticleText


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


def category_stages(pipeline: Pipeline) -> list[Stage]:
    stages = [stage for stage in pipeline.stages if stage.name in CATEGORY_STAGE_NAMES]
    if "categories" not in {stage.name for stage in stages}:
        raise LookupError("no 'categories' stage is configured in TIDINGS_ENRICHMENT_STAGES")
    return stages


def run_stages(stages: Sequence[Stage], items: Sequence[ArticleText]) -> list[StageOutput]:
    """Each stage over the batch in order, each item carrying earlier facts; the last stage's outputs.

    An item that fails a stage keeps that error and is not passed to later stages; so does one whose output breaks
    the stage contract (neither values nor an error).
    """
    current = list(items)
    failed: dict[int, StageOutput] = {}
    last: dict[int, StageOutput] = {}
    for stage in stages:
        todo = [item for item in current if item.article_id not in failed]
        outputs = stage.process_batch(todo)
        by_id = {item.article_id: item for item in todo}
        for output in outputs:
            problem = contract_problem(output)
            if output.error is not None or problem is not None:
                failed[output.article_id] = output if problem is None else StageOutput(output.article_id, error=problem)
                continue
            item = by_id[output.article_id]
            by_id[output.article_id] = replace(item, facts={**item.facts, **output.values})
            last[output.article_id] = output
        current = [by_id.get(item.article_id, item) for item in current]
    return [failed.get(item.article_id) or last[item.article_id] for item in items]


def parse_line(number: int, line: str) -> TextItem | LineError | None:
    """One JSON line {id, title, text} (standfirst, url and categories optional); None for a blank line."""
    if not line.strip():
        return None
    try:
        row = json.loads(line)
    except ValueError as exc:
        return LineError(number, f"not valid JSON ({exc})")
    if not isinstance(row, dict):
        return LineError(number, "expected a JSON object with id, title and text")
    if "id" not in row:
        return LineError(number, "missing 'id'")
    title, text = row.get("title", ""), row.get("text", "")
    if not isinstance(title, str) or not isinstance(text, str):
        return LineError(number, "'title' and 'text' must be strings")
    if not title.strip() and not text.strip():
        return LineError(number, "both 'title' and 'text' are empty")
    labels = row.get("categories") or ()
    paragraphs = tuple(p.strip() for p in text.split("\n") if p.strip())
    item = ArticleText(
        article_id=number,
        headline=title.strip(),
        paragraphs=paragraphs,
        standfirst=str(row.get("standfirst") or ""),
        url=str(row.get("url") or ""),
        publisher_categories=tuple(str(c) for c in labels) if isinstance(labels, list) else (),
    )
    return TextItem(number, row["id"], item)


def result_line(key: object, output: StageOutput) -> dict[str, object]:
    """{id, categories: [{qcode, name, score}]}, best first."""
    names = {c.qcode: c.name for c in iptc.load_categories()}
    raw = output.values.get("categories")
    categories = [
        {"qcode": c["qcode"], "name": names.get(c["qcode"], c["qcode"]), "score": c["score"]}
        for c in (raw if isinstance(raw, list) else [])
        if isinstance(c, dict)
    ]
    return {"id": key, "categories": categories}


def categorize_lines(
    lines: Iterable[str], stages: Sequence[Stage], batch_size: int = 64
) -> Iterator[dict[str, object] | LineError]:
    """Result dicts and LineErrors in input order, processed in batches."""
    batch: list[TextItem | LineError] = []

    def flush() -> Iterator[dict[str, object] | LineError]:
        items = [entry for entry in batch if isinstance(entry, TextItem)]
        outputs = dict(zip((i.line for i in items), run_stages(stages, [i.text for i in items]), strict=True))
        for entry in batch:
            if isinstance(entry, LineError):
                yield entry
                continue
            output = outputs[entry.line]
            yield LineError(entry.line, output.error) if output.error else result_line(entry.key, output)
        batch.clear()

    for number, line in enumerate(lines, start=1):
        parsed = parse_line(number, line)
        if parsed is None:
            continue
        batch.append(parsed)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()
