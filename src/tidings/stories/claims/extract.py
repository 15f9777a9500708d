"""Claims in a plain text: parse each line, apply the cue rules, resolve pronoun speakers, make spans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tidings.enrichment.stages.entities.people import reads_as_person_name, without_titles
from tidings.stories.claims import lexicon as lx
from tidings.stories.claims.nominal import according_to, hedge_adverb, noun_cue
from tidings.stories.claims.rules import Found, unparsed_cue, verb_cue
from tidings.stories.claims.spans import QUOTE_CHARS, content_span, noun_phrase, quote_segments, tokens_span
from tidings.stories.claims.types import Claim, TextSpan

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

_PERSONAL = frozenset({"he", "she", "him", "her", "his"})
_PLURAL = frozenset({"they", "them", "their"})
_NEUTER = frozenset({"it", "its"})
_PRONOUNS = _PERSONAL | _PLURAL | _NEUTER
_OTHER = {"he": "f", "him": "f", "his": "f", "she": "m", "her": "m"}  # the gender a pronoun cannot refer to
# Prepositions of a reporting clause's adjuncts: "said on Monday", "told reporters in Paris", "wrote in a post".
_REPORTING_PREPS = frozenset({"in", "on", "at", "during", "after", "before", "from", "to", "via", "through"})
MAX_LINE_CHARS = 20_000  # a longer "line" is cut into pieces at sentence ends before parsing


@dataclass(frozen=True, slots=True)
class _Known:
    """A speaker already named, as a pronoun may refer back to it."""

    span: TextSpan
    start: int  # where it was named (the cue), so only earlier ones are candidates
    person: bool
    plural: bool
    speaker: bool = False  # named as the speaker of a claim, not only as a subject
    gender: str = ""  # "m" or "f" when a title or role word says so ("Mrs", "spokeswoman"), else unknown


def extract_claims(text: str, nlp: Language, batch_size: int = 32) -> list[Claim]:
    """Every claim in `text`, with character offsets into `text`; one line is read at a time."""
    return claims_in_texts([text], nlp, batch_size)[0]


def claims_in_texts(texts: list[str], nlp: Language, batch_size: int = 32) -> list[list[Claim]]:
    """`extract_claims` for many texts, parsed in one `nlp.pipe` stream."""
    pieces = [list(text_lines(text)) for text in texts]
    docs = nlp.pipe((line for lines in pieces for _, line in lines), batch_size=batch_size)
    results = []
    for lines in pieces:
        known: list[_Known] = []
        claims: list[Claim] = []
        for offset, _line in lines:
            claims.extend(claims_in_doc(next(docs), offset, known))
        results.append(claims)
    return results


def text_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each non-blank line; a very long line is cut after a full stop."""
    offset = 0
    for raw in text.split("\n"):
        start = offset
        offset += len(raw) + 1
        while len(raw) > MAX_LINE_CHARS:
            cut = raw.rfind(". ", 0, MAX_LINE_CHARS) + 1 or MAX_LINE_CHARS
            if raw[:cut].strip():
                yield start, raw[:cut]
            raw, start = raw[cut:], start + cut
        if raw.strip():
            yield start, raw


def claims_in_doc(doc: Doc, offset: int, known: list[_Known]) -> list[Claim]:
    """The claims of one parsed line (`offset`: its place in the text); `known` gathers named speakers."""
    quotes = quote_segments(doc.text)
    known.extend(_subjects(doc, offset))  # a later "he said" may refer to any of them
    found = sorted(_found(doc, quotes), key=lambda f: f.cue[0])
    claims = []
    for item in found:
        claim = _claim(doc, item, offset, quotes, known)
        if claim is not None:
            claims.append(claim)
    return nested(claims)


def nested(claims: list[Claim]) -> list[Claim]:
    """The claims with `via` set on each one made inside the content of another attributed claim ("Police said
    [the judge had ordered …]"): the speaker of the innermost such claim reports it."""
    out = []
    for claim in claims:
        outer = [
            other
            for other in claims
            if other is not claim
            and other.attributed
            and other.speaker is not None
            and other.content.start <= claim.cue.start
            and claim.cue.end <= other.content.end
            and claim.speaker != other.speaker  # "said X and warned Y" run together: one speaker, no report
        ]
        if outer:
            inner = min(outer, key=lambda o: o.content.end - o.content.start)
            claim = replace(claim, via=inner.speaker)
        out.append(claim)
    return out


def _found(doc: Doc, quotes: list[tuple[int, int]]) -> Iterator[Found]:
    seen: set[int] = set()
    for token in doc:
        if _inside_quote(token, quotes):
            continue  # words inside a quotation are the speaker's; the quotation is the claim
        for rule in (unparsed_cue, verb_cue, according_to, noun_cue, hedge_adverb):
            item = rule(token)
            if item is not None and item.cue[0] not in seen:
                seen.add(item.cue[0])
                yield item
                break


def _inside_quote(token: Token, quotes: list[tuple[int, int]]) -> bool:
    return any(start <= token.idx < end for start, end in quotes)


def _claim(doc: Doc, item: Found, offset: int, quotes: list[tuple[int, int]], known: list[_Known]) -> Claim | None:
    cue = tokens_span(doc, *item.cue, offset)
    if cue is None:
        return None
    if item.content is not None:
        made = content_span(doc, *item.content, item.cue, offset, keep_cue=item.cue_inside)
    else:
        made = _bare_verb_content(doc, item, quotes, offset)
    if made is None:
        return None
    content, quote = made
    if content.text.lower() in {"what", "which", "who", "whom", "whatever"}:
        return None  # "get to what they want": nothing is stated
    speaker = _speaker(doc, item, offset, cue.start, known)
    if speaker is not None and (_overlaps(speaker, cue) or not any(c.isalpha() for c in speaker.text)):
        return None  # "25% were planning to …": a number names nobody
    if speaker is not None and lx.STATISTIC_SUBJECT.match(speaker.text):
        speaker = None  # "35 per cent of people over 75 say …": a survey finding, its source unnamed here
    if speaker is not None and _overlaps(speaker, content) and item.content is not None and not item.cue_inside:
        # "in what officials said was a compromise": the content is what follows the cue
        made = content_span(doc, item.cue[1], item.content[1], item.cue, offset)
        if made is None or _overlaps(speaker, made[0]):
            return None
        content, quote = made
    return Claim(speaker, cue, content, quote, item.kind, item.attributed and speaker is not None)


def _speaker(doc: Doc, item: Found, offset: int, cue_start: int, known: list[_Known]) -> TextSpan | None:
    head = item.speaker
    if head is None:
        return None
    word = head.lower_
    if word in _PRONOUNS:
        # he/she: the latest fitting person named; it/they: a speaker first, as an organisation usually is one
        named = sorted(known, key=lambda k: k.start)
        speakers = [k for k in named if k.speaker]
        resolved = (
            _resolve(word, cue_start, _governing_subjects(doc, head, offset))
            or (None if word in _PERSONAL else _resolve(word, cue_start, speakers))
            or _resolve(word, cue_start, named)
        )
        if resolved is not None:
            return resolved
        return tokens_span(doc, head.i, head.i + 1, offset)
    start, end = item.speaker_range or noun_phrase(head)
    span = tokens_span(doc, start, end, offset)
    if span is not None and not lx.STATISTIC_SUBJECT.match(span.text):
        phrase = doc[start:end]
        known.append(_Known(span, cue_start, _is_person(phrase, head), _is_plural(head), True, _gender(phrase)))
    return span


def _resolve(word: str, before: int, candidates: Iterable[_Known]) -> TextSpan | None:
    for candidate in reversed(list(candidates)):
        if candidate.start >= before:
            continue
        if word in _PERSONAL and candidate.person and not candidate.plural and candidate.gender != _OTHER[word]:
            return candidate.span
        if word in _NEUTER and not candidate.person and not candidate.plural:
            return candidate.span
        if word in _PLURAL and (candidate.plural or not candidate.person):
            return candidate.span
    return None


def _governing_subjects(doc: Doc, pronoun: Token, offset: int) -> list[_Known]:
    """ "Souness hinted he thinks …": the subject of a clause the pronoun's clause is reported in, nearest last."""
    found = []
    for ancestor in pronoun.ancestors:
        if ancestor.dep_ not in {"ccomp", "xcomp", "conj", "ROOT", "advcl"} and not ancestor.tag_.startswith("VB"):
            continue
        for child in ancestor.children:
            if child.dep_ != "nsubj" or child.i >= pronoun.i or child.pos_ not in {"NOUN", "PROPN"}:
                continue
            start, end = noun_phrase(child)
            span = tokens_span(doc, start, end, offset)
            if span is not None:
                phrase = doc[start:end]
                found.append(
                    _Known(span, span.start, _is_person(phrase, child), _is_plural(child), False, _gender(phrase))
                )
    return found[::-1]


def _subjects(doc: Doc, offset: int) -> list[_Known]:
    """The line's subjects that are nouns, for a pronoun no governing subject fits."""
    subjects = []
    for token in doc:
        if token.dep_ in {"nsubj", "nsubjpass"} and token.lower_ not in _PRONOUNS and token.pos_ in {"NOUN", "PROPN"}:
            start, end = noun_phrase(token)
            span = tokens_span(doc, start, end, offset)
            if span is not None:
                phrase = doc[start:end]
                subjects.append(
                    _Known(span, span.start, _is_person(phrase, token), _is_plural(token), False, _gender(phrase))
                )
    return subjects


def _is_person(phrase: Iterable[Token], head: Token) -> bool:
    """A person, by title or role word ("Mayor", "spokesman"), entity label, or a bare name ("Ana Ruiz")."""
    tokens = list(phrase)
    if any(t.ent_type_ == "PERSON" or t.lemma_.lower() in lx.PERSON_WORDS for t in tokens):
        return True
    names = [t for t in tokens if t.pos_ == "PROPN"]
    if head.pos_ == "PROPN" and reads_as_person_name(without_titles(" ".join(t.text for t in tokens))):
        return True  # "Tomasz Desrosiers", even tagged ORG (or "Tomasz" a noun) by the model (entities/people.py)
    return (
        head.pos_ == "PROPN"
        and 2 <= len(names) == len(tokens) <= 4
        and not any(t.lower_ in lx.ORGANISATION_WORDS or t.ent_type_ in {"ORG", "GPE", "NORP"} for t in tokens)
    )


def _gender(phrase: Iterable[Token]) -> str:
    """ "m" or "f" when a title or role word of the phrase says so ("Mr Howard", "spokeswoman Jill Ash"), else ""."""
    words = {t.lower_.rstrip(".") for t in phrase}
    if words & lx.FEMALE_WORDS:
        return "f"
    return "m" if words & lx.MALE_WORDS else ""


def _is_plural(head: Token) -> bool:
    if head.tag_ == "NNPS" and reads_as_person_name(head.doc[head.left_edge.i : head.i + 1].text):
        return False  # "Tomasz Desrosiers": a surname ending in s is one person
    return head.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "conj" for c in head.children)


def _bare_verb_content(
    doc: Doc, item: Found, quotes: list[tuple[int, int]], offset: int
) -> tuple[TextSpan, bool] | None:
    """What a reporting clause with no complement reports: the quotation right beside it ("…," he said / he said:
    "…"), else the rest of its sentence across a comma ("Anglers could be prosecuted, MPs have warned")."""
    start, end = _reporting_clause(item)
    sentence = doc[item.cue[0]].sent
    quoted = _quote_beside(doc, start, end, quotes, offset)
    if quoted is not None:
        return quoted
    for i in range(item.cue[1], min(item.cue[1] + 8, sentence.end - 1)):
        if doc[i].pos_ in {"VERB", "AUX"} or (doc[i].is_punct and doc[i].text not in QUOTE_CHARS):
            break
        if doc[i].lower_ == "that":  # "told the Today programme that …", with the clause misparsed
            return content_span(doc, i + 1, _before_governing_cue(doc, item.cue[0], sentence.end), item.cue, offset)
    if not _closes_its_clause(doc, item.cue[0], sentence.end):
        return None  # "replied with a try of their own": a verb with more to say is no reporting clause
    comma_before = start > sentence.start + 1 and doc[start - 1].text == ","
    comma_after = end < sentence.end - 1 and doc[end].text == ","
    if comma_before and comma_after:
        return content_span(doc, sentence.start, sentence.end, item.cue, offset, keep_cue=True)
    if comma_before:
        return content_span(doc, sentence.start, start - 1, item.cue, offset)
    if comma_after and (start == sentence.start or doc[sentence.start : start].text.endswith(",")):
        return content_span(doc, end + 1, sentence.end, item.cue, offset)
    return None


def _before_governing_cue(doc: Doc, cue: int, end: int) -> int:
    """Where a statement reported inside another ends: before ", Vastpress reported" when the cue's clause is that
    later verb's content ("The ministry said that it was cooperating, Vastpress reported")."""
    for ancestor in doc[cue].ancestors:
        if ancestor.i > cue and ancestor.lemma_.lower() in lx.VERB_KINDS:
            start = min([ancestor.i] + [c.left_edge.i for c in ancestor.children if c.dep_ in {"nsubj", "nsubjpass"}])
            while start > cue + 1 and doc[start - 1].is_punct:
                start -= 1
            return min(end, start)
    return end


def _reporting_clause(item: Found) -> tuple[int, int]:
    """Tokens of the cue with its speaker when the speaker stands right beside it."""
    start, end = item.cue
    if item.speaker is not None:
        low, high = item.speaker_range or noun_phrase(item.speaker)
        if (high <= start + 1 and start - high <= 2) or (low >= end - 1 and low - end <= 2):
            start, end = min(start, low), max(end, high)
    return start, end


def _quote_beside(
    doc: Doc, start: int, end: int, quotes: list[tuple[int, int]], offset: int
) -> tuple[TextSpan, bool] | None:
    """The quotation ending just before the reporting clause, or opening soon after it in the same sentence."""
    sentence = doc[start].sent
    clause_start, clause_end = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    for start_char, end_char in quotes:
        # '"…," he said' (a quotation ended by a full stop belongs to no clause after it)
        ended = doc.text[start_char:end_char].rstrip()[-1:] in {",", "?", "!", "\u2014", "-"}
        before = end_char < clause_start and ended and not doc.text[end_char + 1 : clause_start].strip(" ,")
        between = doc.char_span(clause_end, max(clause_end, start_char - 1), alignment_mode="expand")
        after = (
            start_char > clause_end
            and start_char <= sentence.end_char
            and between is not None
            and len(between) <= 8
            and not any(t.pos_ in {"VERB", "AUX"} for t in between)
        )
        inside = doc.text[start_char:end_char].rstrip(",.;:!? ")
        if (before or after) and inside.strip():
            return TextSpan(inside, start_char + offset, start_char + len(inside) + offset), True
    return None


def _closes_its_clause(doc: Doc, cue: int, sentence_end: int) -> bool:
    """Only a short adjunct ("on Monday", "in a statement") or the speaker follows the verb before a comma or the
    end of the sentence."""
    verb = doc[cue]
    for child in verb.children:
        if child.i < cue:
            continue
        if child.dep_ in {"dobj", "dative"} and verb.lemma_.lower() != "tell":  # "told reporters" is fine
            return False
        if child.dep_ in {"xcomp", "ccomp", "acomp", "oprd"}:
            return False
        if child.dep_ == "prep" and child.lower_ not in _REPORTING_PREPS:  # "replied with a goal"
            return False
    end = cue + 1
    while end < sentence_end and doc[end].text not in {",", ".", ";", ":", "!", "?"}:
        end += 1
    return end - cue - 1 <= 6 and not any(t.pos_ in {"VERB", "AUX"} for t in doc[cue + 1 : end])


def _overlaps(a: TextSpan, b: TextSpan) -> bool:
    return a.start < b.end and b.start < a.end
