"""The IPTC Media Topics Tidings uses (top and second level), read from committed data as frozen values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tidings.lib.errors import InvalidInput

DATA_FILE = Path(__file__).resolve().parent / "data" / "iptc_categories.json"


@dataclass(frozen=True, slots=True)
class IptcCategory:
    qcode: str  # "medtop:16000000"
    name: str  # IPTC's English name, e.g. "conflict, war and peace"
    parent: str | None  # parent qcode; None at the top level
    level: int  # 1 or 2
    description: str  # our own wording, tuned for embedding similarity
    wikidata: str | None = None

    @property
    def embedding_text(self) -> str:
        """The text embedded to represent this category: its name, then our description."""
        return f"{self.name}. {self.description}"


def parse_categories(raw: bytes | str, *, origin: str = "taxonomy file") -> tuple[IptcCategory, ...]:
    """Read and check a taxonomy document; parents always come before their children."""
    try:
        doc = json.loads(raw)
    except ValueError as exc:
        raise InvalidInput(f"{origin} is not valid JSON: {exc}") from None
    entries = doc.get("categories") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"{origin} has no 'categories' list")
    categories = [_category_from_entry(entry, index, origin) for index, entry in enumerate(entries)]
    known: set[str] = set()
    for category in categories:
        if category.qcode in known:
            raise InvalidInput(f"{origin}: {category.qcode} appears twice")
        known.add(category.qcode)
    for category in categories:
        if category.parent is not None and category.parent not in known:
            raise InvalidInput(f"{origin}: parent {category.parent} of {category.qcode} is not in the file")
    return tuple(sorted(categories, key=lambda c: c.level))


def _category_from_entry(entry: object, index: int, origin: str) -> IptcCategory:
    if not isinstance(entry, dict):
        raise InvalidInput(f"{origin}: entry {index} is not an object")
    try:
        qcode, name, level = str(entry["qcode"]).strip(), str(entry["name"]).strip(), int(entry["level"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(f"{origin}: entry {index} needs qcode, name and a numeric level") from None
    parent = entry.get("parent") or None
    if not qcode or not name:
        raise InvalidInput(f"{origin}: entry {index} has an empty qcode or name")
    if level not in (1, 2) or (level == 1) != (parent is None):
        raise InvalidInput(f"{origin}: {qcode} has level {level} and parent {parent!r}; use level 1 without a parent")
    return IptcCategory(
        qcode=qcode,
        name=name,
        parent=str(parent) if parent else None,
        level=level,
        description=str(entry.get("description") or "").strip(),
        wikidata=str(entry["wikidata"]) if entry.get("wikidata") else None,
    )


@cache
def load_categories() -> tuple[IptcCategory, ...]:
    """The committed taxonomy (137 entries: 17 top level, 120 second level)."""
    return parse_categories(DATA_FILE.read_text(encoding="utf-8"), origin=str(DATA_FILE))


def top_level(categories: tuple[IptcCategory, ...]) -> tuple[IptcCategory, ...]:
    return tuple(c for c in categories if c.level == 1)


def children_of(categories: tuple[IptcCategory, ...], qcode: str) -> tuple[IptcCategory, ...]:
    return tuple(c for c in categories if c.parent == qcode)
