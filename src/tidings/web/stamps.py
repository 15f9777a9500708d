"""Stamps: a partial rendered once with placeholder values, split at them, and filled in with real values for
each use (web.follow_stamps, web.card_stamps). Filling joins the fixed parts with the values, so a value that
happens to hold a placeholder's text is still only a value."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.safestring import SafeString, mark_safe

Stamp = tuple[str, ...]  # fixed text and slot names, alternating (even indexes fixed text, odd ones slot names)


class Slots:
    """Named placeholders: `text[name]` goes into the partial's values, `stamp(html)` splits its output."""

    def __init__(self, text: Mapping[str, str]) -> None:
        self.text = dict(text)
        self._name_of = {value: name for name, value in self.text.items()}
        self._split = re.compile("(" + "|".join(re.escape(value) for value in self.text.values()) + ")")

    def stamp(self, html: str) -> Stamp:
        pieces = self._split.split(html)
        return tuple(piece if i % 2 == 0 else self._name_of[piece] for i, piece in enumerate(pieces))


def fill(stamp: Stamp, values: Mapping[str, str]) -> SafeString:
    """The stamp's fixed parts joined with the values (already escaped as the partial escapes them)."""
    return mark_safe("".join(piece if i % 2 == 0 else values[piece] for i, piece in enumerate(stamp)))  # noqa: S308
