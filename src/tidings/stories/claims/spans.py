"""Turning parse tokens into clean character spans: speaker noun phrases, content clauses, quotations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tidings.stories.claims import lexicon as lx
from tidings.stories.claims.types import TextSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

QUOTE_CHARS = '"\u201c\u201d\u2018\u2019'
_EDGE_PUNCT = ",.;:!?\u2014\u2013-"
# A wire dateline opening a story: "LONDON, May 14 (Reuters) - ", "WASHINGTON (AP) — ".
DATELINE = re.compile(
    r"[A-Z][A-Z .'\-]{1,40}(?:, [A-Z][a-z]{2,8}\.? \d{1,2})? \([A-Za-z .&-]{2,30}\) [-\u2013\u2014]+ "
)
# Clause modifiers that are cut from a speaker when set off by a comma ("Rebel forces, operating under …").
_COMMA_CLAUSES = frozenset({"relcl", "acl", "advcl"})


def quote_segments(text: str) -> list[tuple[int, int]]:
    """The inner (start, end) of each closed quotation in `text`. A straight quote opens after a space and
    closes after a word; one left open (a quotation running on into the next paragraph) is no segment."""
    segments = []
    open_at: int | None = None
    for i, char in enumerate(text):
        if char == "\u201c":
            open_at = i + 1
        elif char == "\u201d":
            if open_at is not None:
                segments.append((open_at, i))
            open_at = None
        elif char == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            if open_at is not None and not before.isspace():
                segments.append((open_at, i))
                open_at = None
            elif (before.isspace() or before in "([\u2014\u2013-:") and not after.isspace():
                open_at = i + 1
    return segments


def noun_phrase(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by `head`, without clauses set off by commas."""
    cut: set[int] = set()
    for child in head.subtree:  # "a person familiar with the matter, who spoke …": the clause may hang lower
        if child.dep_ in _COMMA_CLAUSES and child.i > head.i and child.i > 0 and _comma_before(child):
            cut.update(t.i for t in child.subtree)
    for child in head.children:
        if child.lower_ == "according":  # "According to X, staff … reported": X is another speaker
            cut.update(t.i for t in child.subtree)
    kept = {t.i for t in head.subtree if t.i not in cut}
    start = end = head.i
    while start - 1 in kept:  # the contiguous run of kept tokens around the head
        start -= 1
    doc = head.doc
    while 0 < start < len(doc) and not doc[start - 1].whitespace_ and "-" in (doc[start].text, doc[start - 1].text):
        start -= 1  # "The e-mails show …": not "mails"
    while end + 1 in kept and head.doc[end + 1].text not in QUOTE_CHARS:
        end += 1  # '…," said Karen Thomson, chief executive, "with many …': the quotation goes on, not the name
    return trim_tokens(head.doc, start, end + 1)


def _comma_before(token: Token) -> bool:
    left = token.left_edge
    before = token.doc[left.i - 1] if left.i > 0 else None
    # "The company - which controls half the market - aims …": a spaced hyphen sets a clause off as a dash does
    return before is not None and (
        before.text in {",", "\u2014", "\u2013", "("} or (before.text == "-" and before.whitespace_ != "")
    )


def trim_tokens(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and ((doc[start].is_punct and doc[start].text not in "(") or doc[start].dep_ in {"cc", "mark"}):
        start += 1
    while end > start and (
        (doc[end - 1].is_punct and doc[end - 1].text not in ")") or doc[end - 1].dep_ in {"cc", "case"}
    ):
        end -= 1  # "Sony's assertion": the speaker is "Sony"
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


def content_span(
    doc: Doc, start: int, end: int, cue: tuple[int, int], offset: int, keep_cue: bool = False
) -> tuple[TextSpan, bool] | None:
    """The content tokens [start, end) as a clean span (no "that", edge punctuation or unmatched quotation marks)
    and whether it is (or holds) a direct quotation. A cue inside the range keeps the longer side of it, unless
    `keep_cue` ("X is said to …" is one clause)."""
    cue_start, cue_end = cue
    if not keep_cue and start < cue_start and cue_end < end:
        if end - cue_end >= cue_start - start:
            start = cue_end
        else:
            end = cue_start
    while end < len(doc) and not doc[end - 1].whitespace_ and "-" in (doc[end].text, doc[end - 1].text):
        end += 1  # "de-escalation" is three tokens the parser may split between phrases
    while 0 < start < len(doc) and not doc[start - 1].whitespace_ and "-" in (doc[start].text, doc[start - 1].text):
        start -= 1  # "the spam e-mails …": not "mails …"
    end = _before_next_cue(doc, start, end)
    while start < end and (_complementizer(doc, start, end) or _edge(doc[start])):
        start += 1
    while end > start and (_edge(doc[end - 1]) or doc[end - 1].dep_ == "cc"):
        end -= 1
    if end <= start:
        return None
    begin, finish = _balanced(doc.text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
    dateline = DATELINE.match(doc.text, begin)
    if dateline is not None and dateline.end() < finish:
        begin = dateline.end()  # "HARLOW CITY, May 14 (Norpress) - Police searched …": the wire's place and date
    if finish <= begin:
        return None
    return _snap_to_quote(doc.text, begin, finish, offset)


def _before_next_cue(doc: Doc, start: int, end: int) -> int:
    """Where the content ends: before the writer's gloss (", underscoring …") or the speaker's next cue
    ("said X and warned Y", "said X, calling it …"), which have no subject of their own."""
    for i in range(start + 1, end):
        token = doc[i]
        if token.dep_ not in {"conj", "advcl", "acl"} or not token.tag_.startswith("VB") or token.head.i < start:
            continue
        if any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children):
            continue
        lemma = token.lemma_.lower()
        after_comma = doc[i - 1].text == ","
        if (lemma in lx.GLOSS_VERBS and after_comma and token.tag_ == "VBG") or (
            lemma in lx.SPEECH_ACTS and (token.dep_ == "conj" or token.tag_ == "VBG") and token.left_edge.i > start
        ):
            return token.left_edge.i
    return end


def _balanced(text: str, begin: int, finish: int) -> tuple[int, int]:
    """Take in a quotation mark just outside the span whose partner is inside it; drop one at either edge whose
    partner is not inside the span."""
    body = text[begin:finish]
    opened = body.count('"') % 2 or body.count("“") > body.count("”")
    if opened and finish < len(text) and text[finish] in '"”' and (body.rfind('"') > 0 or "“" in body):
        finish += 1
    elif opened and begin > 0 and text[begin - 1] in '"“' and body[0] not in '"“':
        begin -= 1
    for _ in range(4):
        body = text[begin:finish]
        if not body:
            break
        if (body[0] in "\u201c\u2018" and not any(q in body[1:] for q in "\u201d\u2019")) or (
            body[0] == '"' and body.count('"') % 2
        ):
            begin += 1
        elif (body[-1] in "\u201d\u2019" and not any(q in body[:-1] for q in "\u201c\u2018")) or (
            body[-1] == '"' and body.count('"') % 2
        ):
            finish -= 1
        else:
            break
        while begin < finish and text[begin] in " ,;:":
            begin += 1
        while finish > begin and text[finish - 1] in " ,;:.":
            finish -= 1
    return begin, finish


def _complementizer(doc: Doc, start: int, end: int) -> bool:
    """A leading "that" introducing the clause (a mark, or mis-read as a relative pronoun before a subject)."""
    token = doc[start]
    if token.lower_ != "that" or token.dep_ == "det":
        return False
    return token.dep_ == "mark" or (start + 1 < end and doc[start + 1].pos_ not in {"VERB", "AUX"})


def _edge(token: Token) -> bool:
    return token.is_space or (token.is_punct and token.text in _EDGE_PUNCT)


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
    quote = any(char in body for char in '"“”')
    return TextSpan(body, begin + offset, finish + offset), quote
