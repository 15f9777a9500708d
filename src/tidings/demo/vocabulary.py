"""The demo corpus's word lists and sentence templates, read from data/vocabulary.toml (which documents the slots).

Pure: reads a file that ships in the package, no Django. The constants keep the order of the file, which the
seeded generator depends on.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "vocabulary.toml"


@dataclass(frozen=True, slots=True)
class CategoryVocabulary:
    qcode: str
    name: str
    sections: tuple[str, ...]  # publisher section labels besides the IPTC name
    things: tuple[str, ...]
    roles: tuple[str, ...]
    orgs: tuple[str, ...]
    voices: tuple[str, ...]  # unnamed speakers: "police", "the ministry"
    headlines: tuple[str, ...]
    ledes: tuple[str, ...]
    claims: tuple[str, ...]
    context: tuple[str, ...]
    figures: tuple[str, ...]
    extras: dict[str, tuple[str, ...]] = field(default_factory=dict)


def category_from_table(table: Mapping[str, Any]) -> CategoryVocabulary:
    lists = {name: tuple(value) for name, value in table.items() if name not in {"qcode", "name", "extras"}}
    extras = {slot: tuple(options) for slot, options in table.get("extras", {}).items()}
    return CategoryVocabulary(qcode=table["qcode"], name=table["name"], extras=extras, **lists)


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


_DATA = _read(VOCABULARY_PATH)

OUTLETS: tuple[str, ...] = tuple(_DATA["outlets"])
FIRST_NAMES: tuple[str, ...] = tuple(_DATA["first_names"])
LAST_NAMES: tuple[str, ...] = tuple(_DATA["last_names"])
DISTRICTS: tuple[str, ...] = tuple(_DATA["districts"])
PLACES: tuple[tuple[str, str, str], ...] = tuple((city, country, money) for city, country, money in _DATA["places"])
NATIONALITIES: dict[str, str] = dict(_DATA["nationalities"])
ATTRIBUTIONS: tuple[str, ...] = tuple(_DATA["attributions"])
GENERIC: tuple[str, ...] = tuple(_DATA["generic"])
STANDFIRSTS: tuple[str, ...] = tuple(_DATA["standfirsts"])
CAPTIONS: tuple[str, ...] = tuple(_DATA["captions"])
PHOTO_AGENCIES: tuple[str, ...] = tuple(_DATA["photo_agencies"])
CATEGORIES: tuple[CategoryVocabulary, ...] = tuple(category_from_table(table) for table in _DATA["categories"])
