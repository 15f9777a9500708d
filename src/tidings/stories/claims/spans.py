"""Turning parse tokens into clean character spans: speaker noun phrases, content clauses, quotations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tidings.stories.claims.types import TextSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

OPEN_QUOTES = "\"“‘"
QUOTE_CHARS = "\"“”‘’"
_EDGE_PUNCT = ",.;:!?—–-"
_QUOTED = re.compile(r"“([^”\n]*)”|\"([^\"\n]*)\"")
# Clause modifiers that are cut from a speaker when set off by a comma ("Rebel forces, operating under …").
_COMMA_CLAUSES = frozenset({"relcl", "acl", "advcl"})


def quote_segments(text: str) -> list[tuple[int, int]]:
    """The inner (start, end) of each quotation in `text` (curly or straight double quotes)."""
    segments = []
    for match in _QUOTED.finditer(text):
        group = 1 if match.group(1) is not None else 2
        segments.append((match.start(group), match.end(group)))
    return segments


def noun_phrase(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by `head`, without clauses set off by commas."""
    cut: set[int] = set()
    for child in head.children:
        if child.dep_ in _COMMA_CLAUSES and child.i > head.i and child.i > 0 and _comma_before(child):
            cut.update(t.i for t in child.subtree)
    kept = {t.i for t in head.subtree if t.i not in cut}
    start = end = head.i
    while start - 1 in kept:  # the contiguous run of kept tokens around the head
        start -= 1
    while end + 1 in kept:
        end += 1
    return _trim_tokens(head.doc, start, end + 1)


def _comma_before(token: Token) -> bool:
    left = token.left_edge
    return left.i > 0 and token.doc[left.i - 1].text in {",", "—", "–", "("}


def _trim_tokens(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct and doc[start].text not in "(" or doc[start].dep_ in {"cc", "mark"}):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in ")" or doc[end - 1].dep_ == "cc"):
        end -= 1
    return start, end


def tokens_span(doc: Doc, start: int, end: int, offset: int) -> TextSpan | None:
    """Character span of tokens [start, end) of `doc`, shifted by `offset` (the line's place in the text)."""
    if end <= start:
        return None
    first, last = doc[start], doc[end - 1]
    begin, finish = first.idx, last.idx + len(last.text)
    return TextSpan(doc.text[begin:finish], begin + offset, finish + offset)


def subtree_range(tokens: Iterable[Token]) -> tuple[int, int]:
    """[start, end) token range covering the subtrees of `tokens`."""
    starts, ends = [], []
    for token in tokens:
        starts.append(token.left_edge.i)
        ends.append(token.right_edge.i + 1)
    return min(starts), max(ends)


def content_span(doc: Doc, start: int, end: int, cue: tuple[int, int], offset: int) -> tuple[TextSpan, bool] | None:
    """The content tokens [start, end) as a clean span (no "that", edge punctuation or quotation marks) and
    whether it is (or holds) a direct quotation. A cue inside the range keeps the longer side of it."""
    cue_start, cue_end = cue
    if start < cue_start and cue_end < end:
        if end - cue_end >= cue_start - start:
            start = cue_end
        else:
            end = cue_start
    while start < end and (doc[start].dep_ == "mark" and doc[start].lower_ in {"that", "whether"} or _edge(doc[start])):
        if doc[start].lower_ == "whether":
            break
        start += 1
    while end > start and _edge(doc[end - 1]):
        end -= 1
    if end <= start:
        return None
    begin, finish = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    return _snap_to_quote(doc.text, begin, finish, offset)


def _edge(token: Token) -> bool:
    return token.is_space or (token.is_punct and (token.text in _EDGE_PUNCT or token.text in QUOTE_CHARS))


def _snap_to_quote(text: str, begin: int, finish: int, offset: int) -> tuple[TextSpan, bool]:
    """A content that is a quotation becomes the quotation's inside; one that holds a quotation stays whole."""
    for inner_start, inner_end in quote_segments(text):
        if inner_end <= begin or inner_start >= finish:
            continue
        outside = text[begin:inner_start] + text[inner_end:finish]
        if begin >= inner_start - 1 and not outside.strip(QUOTE_CHARS + _EDGE_PUNCT + " "):
            inside = text[inner_start:inner_end].rstrip(_EDGE_PUNCT + " ")
            return TextSpan(inside, inner_start + offset, inner_start + len(inside) + offset), True
        if begin >= inner_start and finish <= inner_end:
            return TextSpan(text[begin:finish], begin + offset, finish + offset), True
    body = text[begin:finish]
    quote = any(char in body for char in "\"“”")
    return TextSpan(body, begin + offset, finish + offset), quote
