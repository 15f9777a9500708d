"""Cues that are not verbs: "according to X", noun cues ("the claim by X that …"), hedging adverbs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tidings.stories.claims import lexicon as lx
from tidings.stories.claims import types as k
from tidings.stories.claims.rules import Found, is_anonymous
from tidings.stories.claims.spans import noun_phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_CLAUSE_HEADS = frozenset({"VERB", "AUX"})


def according_to(token: Token) -> Found | None:
    """ "According to X, Y" / "Y, according to X": X says Y."""
    doc = token.doc
    if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
        return None
    to = doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        source = next((c for c in token.children if c.dep_ == "pobj"), None)
    leading = _leading_source(token, source)
    if leading is not None:  # "According to X, Y" whose parse ran X into Y
        (start, end), speaker_range = leading
        head = _range_head(doc, *speaker_range)
        return Found((token.i, token.i + 2), (start, end), head, speaker_range, k.REPORT, not is_anonymous(head))
    if source is None:
        return None
    phrase = (token.i, max(token.right_edge.i, to.right_edge.i) + 1)
    clause = token.head
    steps = 0
    while clause.pos_ not in _CLAUSE_HEADS and clause.head is not clause and steps < 6:
        clause, steps = clause.head, steps + 1
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    if clause.i == token.i or (start >= phrase[0] and end <= phrase[1]):
        return None
    if phrase[0] <= start:
        start = phrase[1]
    elif phrase[1] >= end or all(t.is_punct for t in doc[phrase[1] : end]):
        end = phrase[0]  # "Y, according to X, which …": Y is what comes before
    speaker: Token | None = source
    if is_anonymous(source):
        speaker = None
    return Found((token.i, token.i + 2), (start, end), speaker, None, k.REPORT, speaker is not None)


def _leading_source(token: Token, source: Token | None) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """For "According to X, Y" opening its sentence: (Y's range, X's range). X is the parse's noun phrase when it
    ends at a comma ("According to Tom Reyes, a lawyer for the family, …"), else the words up to the first comma
    (the parse may run X into Y: "According to head teacher Tom Ash, class sizes …" with Tom Ash as Y's subject);
    Y is the rest of the sentence, whatever the parse made its head."""
    doc, sentence = token.doc, token.sent
    if any(not (t.is_punct or t.dep_ == "cc") for t in doc[sentence.start : token.i]):
        return None
    comma = next((t.i for t in doc[token.i + 2 : sentence.end] if t.text == ","), None)
    if comma is None or comma == token.i + 2 or comma - token.i > 20:
        return None
    if source is not None:
        start, end = noun_phrase(source)
        if start == token.i + 2 and comma <= end < sentence.end and doc[end].text == ",":
            comma = end
    last = sentence.end
    while last > comma + 1 and doc[last - 1].is_punct and doc[last - 1].text not in '"\u201d':
        last -= 1
    if last <= comma + 1:
        return None
    return (comma + 1, last), (token.i + 2, comma)


def _range_head(doc: Doc, start: int, end: int) -> Token:
    """The token of [start, end) whose head lies outside it (a noun if there is one), else its last noun."""
    words = doc[start:end]
    outside = [t for t in words if not start <= t.head.i < end or t.head.i == t.i]
    nouns = [t for t in outside if t.pos_ in {"NOUN", "PROPN", "PRON"}]
    if nouns:
        return nouns[0]
    return next((t for t in reversed(words) if t.pos_ in {"NOUN", "PROPN"}), words[-1])


def noun_cue(noun: Token) -> Found | None:
    """ "The claim by ministers that …", "the ministry's denial that …", "accusations of foreign interference"."""
    lemma = noun.lemma_.lower()
    kind = lx.NOUN_KINDS.get(lemma)
    if kind is None or noun.pos_ != "NOUN":
        return None
    content = None
    for child in noun.children:
        if child.dep_ in {"acl", "ccomp", "relcl", "appos"} and _has_that_complement(child):
            content = (child.left_edge.i, child.right_edge.i + 1)
            break
        if child.dep_ == "prep" and child.lower_ in lx.NOUN_PREP_CONTENT.get(lemma, ()):
            target = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), None)
            if target is not None:
                content = (target.left_edge.i, target.right_edge.i + 1)
                break
    if content is None:
        return None
    speaker = None
    for child in noun.children:
        if child.dep_ == "poss":
            speaker = child
        elif child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            speaker = next((c for c in child.children if c.dep_ == "pobj"), speaker)
        elif child.dep_ == "acl":  # "the claim made by some campaign groups"
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            if agent is not None:
                speaker = next((c for c in agent.children if c.dep_ == "pobj"), speaker)
    if speaker is not None and is_anonymous(speaker):
        speaker = None
    if speaker is None and lemma not in lx.NOUNS_WITHOUT_SPEAKER:
        return None
    return Found((noun.i, noun.i + 1), content, speaker, None, kind, speaker is not None)


def _has_that_complement(clause: Token) -> bool:
    """A content clause ("that the network is reliable"), not a relative one ("that was made")."""
    first = clause.left_edge
    subjects = [c for c in clause.children if c.dep_ in {"nsubj", "nsubjpass", "expl"} and c.lower_ != "that"]
    if first.lower_ != "that" or not subjects or any(s.lower_ == "which" for s in subjects):
        return False
    # "that" as a mark, or mis-read as the relative pronoun of a clause that has a subject of its own
    return first.dep_ == "mark" or first.head.i == clause.i


def hedge_adverb(adverb: Token) -> Found | None:
    """ "reportedly killing 300 fighters": the statement after the adverb, attributed to nobody."""
    if adverb.lower_ not in lx.HEDGE_ADVERBS or adverb.dep_ != "advmod":
        return None
    head = adverb.head
    end = head.right_edge.i + 1
    start = adverb.i + 1
    if start >= end:
        return None
    kind = k.REPORT if adverb.lower_ == "reportedly" else k.CLAIM
    return Found((adverb.i, adverb.i + 1), (start, end), None, None, kind, False)
