"""Muted words and regular expressions (pure): checked on the way in, matched against headlines and standfirsts.

A word (or phrase) matches case-insensitively as whole words ("war" mutes "War ends", not "award"). A regular
expression is compiled with the `regex` module and every match runs under MATCH_TIMEOUT, so a pattern that
backtracks catastrophically costs a reader at most that long per article and is then treated as not matching;
on the way in, a pattern that times out on the probe texts is refused with a message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex

from tidings.lib.errors import InvalidInput

MAX_PATTERN = 200
MAX_RULES = 100
MATCH_TIMEOUT = 0.05  # seconds per article and pattern
# Texts that make nested or overlapping quantifiers explode: runs of one character ending in a mismatch.
_PROBES = (*(c * 40 + end for c in "a1 .-_x" for end in ("!", "\x00")), "ab" * 30 + "!")


@dataclass(frozen=True, slots=True)
class MuteRule:
    pattern: str
    is_regex: bool = False


def validate_rule(pattern: str, is_regex: bool) -> MuteRule:
    """The rule as stored, or InvalidInput saying what is wrong with it (empty, too long, invalid, too slow)."""
    text = pattern.strip() if not is_regex else pattern
    if is_regex:
        text = text.strip("\n\r")
    if not text.strip():
        raise InvalidInput("type a word or a regular expression to mute")
    if len(text) > MAX_PATTERN:
        raise InvalidInput(f"a muted word or pattern is at most {MAX_PATTERN} characters; this one is {len(text)}")
    if "\x00" in text:
        raise InvalidInput("a muted word cannot contain a NUL character")
    if not is_regex:
        return MuteRule(" ".join(text.split()), False)
    try:
        compiled = regex.compile(text, regex.IGNORECASE | regex.VERSION0)
    except regex.error as err:
        where = f" at position {err.pos}" if err.pos is not None else ""
        raise InvalidInput(f"{text!r} is not a valid regular expression: {err.msg}{where}") from None
    except (OverflowError, RecursionError, ValueError) as err:  # a repeat count too large, nesting too deep
        raise InvalidInput(f"{text!r} is not a valid regular expression: {err}") from None
    if compiled.search("") is not None:
        raise InvalidInput(f"{text!r} matches every article (it matches empty text); make it more specific")
    for probe in _PROBES:
        try:
            compiled.search(probe, timeout=MATCH_TIMEOUT)
        except TimeoutError:
            raise InvalidInput(
                f"{text!r} takes too long to match (it backtracks catastrophically on text like {probe[:12]!r}…); "
                "avoid nested repeats such as (a+)+"
            ) from None
    return MuteRule(text, True)


class MuteMatcher:
    """The rules of one profile, compiled once for a page."""

    def __init__(self, rules: Iterable[MuteRule]) -> None:
        self._patterns: list[regex.Pattern[str]] = []
        for rule in rules:
            source = (
                rule.pattern if rule.is_regex else r"\b" + r"\s+".join(map(regex.escape, rule.pattern.split())) + r"\b"
            )
            try:
                self._patterns.append(regex.compile(source, regex.IGNORECASE | regex.VERSION0))
            except regex.error:  # a stored rule no longer compiles (a library change): skip it, never crash
                continue

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, *texts: str) -> bool:
        for pattern in self._patterns:
            for text in texts:
                try:
                    if text and pattern.search(text, timeout=MATCH_TIMEOUT) is not None:
                        return True
                except TimeoutError:
                    continue  # too slow on this text: not a match, as validate_rule promised
        return False

    def muted_ids(self, rows: Iterable[tuple[int, str, str]]) -> set[int]:
        """Of (article id, headline, standfirst) rows, the ids a rule hides."""
        return {pk for pk, headline, standfirst in rows if self.matches(headline, standfirst)}
