"""Write one bench's section of docs/benchmarks.md, keeping every other section as it is.

    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # a script run as `bench/x.py` sees only bench/ itself
    from bench._report import markdown_table, update_section
    update_section("Extraction", markdown_table(["pages", "F1"], [["benchmark", 0.972]]) + "\n\nNotes…")

A section is a level-2 heading (`## Title`) and everything up to the next level-2 heading.
"""

from __future__ import annotations

import re
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
_HEADER = "# Benchmarks\n\nWritten by the scripts in `bench/`; each section is replaced when its script runs.\n"


def update_section(title: str, markdown: str, path: Path = BENCHMARKS) -> Path:
    """Replace (or append) the section headed `## {title}` with `markdown`; other sections stay."""
    text = path.read_text(encoding="utf-8") if path.exists() else _HEADER
    section = f"## {title}\n\n{markdown.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}[ \t]*\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    """A GitHub-style table; floats are shown with three decimals."""

    def cell(value: object) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
