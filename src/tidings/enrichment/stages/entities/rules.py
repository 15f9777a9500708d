"""Turn model entity spans plus gazetteer hits into an article's entities (pure: values in, values out).

Order of trust: an acronym the article defines, then the gazetteer, then the general organisation rules
(organisations.py: organisation heads), then the model's label.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from tidings.enrichment.stages.entities.groups import _Group, _kind, _Mention
from tidings.enrichment.stages.entities.nouns import plural_common_noun, sentence_initial
from tidings.enrichment.stages.entities.organisations import acronym_uses, has_organisation_head
from tidings.enrichment.stages.entities.people import (
    after_title,
    merge_short_forms,
    person_core,
    retype_people,
    titled_name,
    widen_person,
    without_titles,
)
from tidings.taxonomy.aliases import normalise, strip_possessive
from tidings.taxonomy.gazetteer import Gazetteer, GazetteerMatch, match_gazetteer

PART_WEIGHTS = {"headline": 3.0, "standfirst": 2.0, "lead": 1.5, "body": 1.0}
DEMONYM_WEIGHT = 0.5  # "Syrian army" is a mention of Syria, but a weaker one
MAX_ENTITIES = 30

# Model labels worth a topic, and the topic kind they become. NORP ("Syrian", "Islamist") only counts
# through the gazetteer; DATE, CARDINAL, MONEY and the like are never topics.
LABEL_KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
    "LAW": "keyword",
    "PRODUCT": "keyword",
    "WORK_OF_ART": "keyword",
}
_TITLES = re.compile(
    r"^(?:(?:former|late|then|acting|deputy|vice)\s+)*(?:President|Prime Minister|PM|Minister|Foreign Minister|"
    r"Defen[cs]e Minister|Chancellor|King|Queen|Prince|Princess|Pope|Sheikh|Emir|Sultan|Ayatollah|General|Gen\.|"
    r"Colonel|Col\.|Senator|Sen\.|Rep\.|Representative|Governor|Gov\.|Mayor|Judge|Justice|Dr\.?|Mr\.?|Mrs\.?|"
    r"Ms\.?|Sir|Dame|Lord|Lady|Secretary|Commander|Chairman|Chairwoman|CEO)\s+"
)
_ACRONYM_AFTER = re.compile(r"^\s*\(([A-Z][A-Za-z0-9&.\-]{1,11})\)")
_CREDIT = re.compile(r"\s*\([^()]*(?:/|\bvia\b|Getty Images|\bPhoto\b|\bphoto\b|Credit|Courtesy)[^()]*\)")
_SENTENCE_END = tuple('.!?"\u201d\u2019)…:')
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Institutions named by a bare common noun say nothing about which one is meant.
_GENERIC_WORDS = frozenset(
    """army government police parliament ministry court cabinet council senate military navy education health
    treasury state city university company group agency""".split()
)
# Words before a place ("in Wexley Point", "near Tarnwick"): a name the model took for a person or an
# organisation, but that the article mostly writes after one of these, is a place.
_LOCATIVES = frozenset({"in", "near", "outside", "across", "around", "towards", "toward"})
_LOCATIVE_SHARE = 0.5
_EVENT_STARTS = ("Storm ", "Hurricane ", "Typhoon ", "Cyclone ", "Tropical Storm ")
_PLACE_QUALIFIERS = {"province", "governorate", "city", "region", "district", "county", "state", "oblast"}


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the article that entities may come from; `part` sets its weight."""

    text: str
    part: str  # a PART_WEIGHTS key


@dataclass(frozen=True, slots=True)
class Span:
    """An entity the model found in one line, by character offsets."""

    start: int
    end: int
    label: str


def article_lines(headline: str, standfirst: str, paragraphs: Sequence[str]) -> list[Line]:
    """The lines entities are read from: no photo credits, no repeated headline, no menu or banner lines."""
    lines = []
    if headline.strip():
        lines.append(Line(_strip_credits(headline.strip()), "headline"))
    if standfirst.strip():
        lines.append(Line(_strip_credits(standfirst.strip()), "standfirst"))
    seen = {normalise(line.text) for line in lines}
    part = "lead"
    for paragraph in paragraphs:
        text = _strip_credits(paragraph.strip())
        if not is_article_line(text) or normalise(text) in seen:
            continue
        seen.add(normalise(text))
        lines.append(Line(text, part))
        part = "body"
    return lines


def is_article_line(text: str) -> bool:
    """A sentence of the article rather than a banner ("SUBSCRIBE NOW"), a menu entry or a logo line."""
    words = text.split()
    if not words:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 8 and sum(ch.isupper() for ch in letters) / len(letters) > 0.7:
        return False
    return text.endswith(_SENTENCE_END) or len(words) >= 16


def _strip_credits(text: str) -> str:
    return _CREDIT.sub("", text).strip()


def is_title_case(text: str) -> bool:
    words = [w for w in text.split() if len(w) >= 4 and w[0].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.7


def extract_entities(
    lines: Sequence[Line],
    spans: Sequence[Sequence[Span]],
    gazetteer: Gazetteer,
    *,
    limit: int = MAX_ENTITIES,
    is_place: Callable[[str], object] | None = None,
    read_by_model: bool = True,
    common_nouns: Collection[str] = frozenset(),
) -> list[dict[str, object]]:
    """Entities of one article, most salient first: name, kind, aliases, mentions, score (0..1), parent.

    `is_place` tells whether a name is a known place (a general world gazetteer): a model's person or
    organisation of that exact name ("Perth", "Valencia") is filed as the place. `read_by_model` is false when
    no model read the lines (another language): gazetteer cities named like common words are then left out.
    `common_nouns` are English nouns: a one-word name that is the plural of one, written capitalised only where a
    sentence starts, is a common noun ("Friends said…", nouns.py).
    """
    if len(spans) != len(lines):
        raise ValueError(f"{len(spans)} span lists for {len(lines)} lines")
    per_line: list[list[_Mention]] = []
    acronyms: dict[str, tuple[str, str]] = {}  # acronym key → (long form key, acronym as written)
    definitions: set[tuple[int, int]] = set()  # "(HTS)" after "Hayat Tahrir al-Sham" names it; it is no mention
    for index, line in enumerate(lines):
        line_mentions = _line_mentions(index, line, spans[index], gazetteer, read_by_model)
        for mention in line_mentions:
            found = _ACRONYM_AFTER.match(line.text[mention.end :])
            if found and _is_acronym(found.group(1)):
                acronyms.setdefault(normalise(found.group(1)), (mention.key, found.group(1)))
                definitions.add((index, mention.end + found.start(1)))
        per_line.append(line_mentions)
    mentions: list[_Mention] = []
    for index, line_mentions in enumerate(per_line):
        mentions.extend(m for m in line_mentions if (index, m.start) not in definitions)
        mentions.extend(_acronym_mentions(index, lines[index], line_mentions, acronyms))
    groups = _group(mentions, acronyms)
    retype_people(groups)  # people.py: "Tomasz Desrosiers" tagged ORG is a person
    merge_short_forms(groups)
    _drop_headline_guesses(groups)
    _drop_common_words(groups, lines, common_nouns)
    return _entities(groups, limit, is_place)


def _acronym_mentions(
    index: int, line: Line, line_mentions: list[_Mention], acronyms: dict[str, tuple[str, str]]
) -> list[_Mention]:
    """The article's defined acronyms where it writes them and neither the model nor the gazetteer saw them."""
    written = {surface for _long, surface in acronyms.values()}
    taken = [(m.start, m.end) for m in line_mentions]
    return [
        _Mention(normalise(acronym), acronym, "organisation", PART_WEIGHTS[line.part], index, start, end)
        for start, end, acronym in acronym_uses(line.text, written, taken)
        if line.text[start - 1 : start] != "("  # the definition itself
    ]


def _line_mentions(
    index: int, line: Line, spans: Sequence[Span], gazetteer: Gazetteer, read_by_model: bool = True
) -> list[_Mention]:
    weight = PART_WEIGHTS[line.part]
    hits = [hit for hit in match_gazetteer(line.text, gazetteer) if _confirmed(hit, spans, read_by_model)]
    names = [hit for hit in hits if not hit.form.demonym]
    mentions = []
    kept_hits = set(range(len(hits)))
    headline_guess = line.part == "headline" and is_title_case(line.text)
    for span in spans:
        kind = LABEL_KINDS.get(span.label)
        if kind is None or span.label == "NORP":
            continue
        start, end, surface = _clean_span(line.text, span.start, span.end, kind)
        if (
            kind == "person" and not headline_guess
        ):  # "Fire chief Emeka [Aldana]": the model's span missed a name word (people.py)
            taken = [(o.start, o.end) for o in spans] + [(hit.start, hit.end) for hit in hits]  # "[Ostend] Hill"
            start, end = widen_person(line.text, start, end, taken)
            surface = line.text[start:end]
        if kind == "organisation" and titled_name(surface):  # "Dr Tomasz Desrosiers" tagged ORG: a person
            kind, start = "person", start + surface.index(without_titles(surface))
            surface = without_titles(surface)
        if not _usable_name(surface):
            continue
        form = gazetteer.lookup(surface)
        if form is not None and form.demonym:
            continue  # "the Polish" tagged ORG is the demonym, a mention of the country
        inside = [i for i, hit in enumerate(hits) if not hit.form.demonym and start <= hit.start and hit.end <= end]
        if any(_overlaps(start, end, hit) and not (start <= hit.start and hit.end <= end) for hit in names):
            continue  # the gazetteer's reading of these words wins ("Kurdish People's Protection" → YPG)
        if inside and kind != "person" and _mostly_covered(line.text, start, end, [hits[i] for i in inside]):
            continue  # the same words: gazetteer kind and name ("Aleppo" tagged NORP, "HTS" as PERSON)
        same_words = inside and all(hits[i].end - hits[i].start == end - start for i in inside)
        if kind == "person" and same_words and not all(hits[i].form.entry.confirm for i in inside):
            continue  # "Aleppo" read as a person is the city; "Jackson" named like a town is the person
        if kind == "person":
            kept_hits -= set(inside)  # "Jordan" in "Jordan Peterson" is not the country
        elif span.label in ("GPE", "LOC"):  # "Ostend" in "Ostend Hill" is not the Belgian city
            kept_hits -= {
                i for i in inside if hits[i].form.entry.group == "city" and hits[i].end - hits[i].start < end - start
            }
        mentions.append(
            _Mention(
                key=normalise(surface),
                surface=surface,
                kind=kind,
                weight=weight,
                line=index,
                start=start,
                end=end,
                after_locative=_word_before(line.text, start) in _LOCATIVES,
                after_title=after_title(line.text, start),
                headline_guess=headline_guess,
            )
        )
    for i in sorted(kept_hits):
        hit = hits[i]
        entry = hit.form.entry
        mentions.append(
            _Mention(
                key=normalise(entry.name),
                surface=line.text[hit.start : hit.end],
                kind=entry.kind,
                weight=weight * (DEMONYM_WEIGHT if hit.form.demonym else 1.0),
                line=index,
                start=hit.start,
                end=hit.end,
                entry=entry,
            )
        )
    mentions.sort(key=lambda m: m.end)
    return mentions


def _confirmed(hit: GazetteerMatch, spans: Sequence[Span], read_by_model: bool) -> bool:
    """A city named like a common word ("Nice", "Reading") counts where the model saw a place or a person there."""
    if not hit.form.entry.confirm:
        return True
    return read_by_model and any(
        s.start <= hit.start and hit.end <= s.end and s.label in _CONFIRMING_LABELS for s in spans
    )


_CONFIRMING_LABELS = frozenset({"GPE", "LOC", "FAC", "PERSON"})  # a person: kept apart from the city later


def _word_before(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1].casefold() if words else ""


def _overlaps(start: int, end: int, hit: GazetteerMatch) -> bool:
    return start < hit.end and hit.start < end


def _mostly_covered(text: str, start: int, end: int, hits: list[GazetteerMatch]) -> bool:
    """Whether gazetteer names make up the entity, give or take a qualifier ("Kurdish", "Province")."""
    covered = sum(hit.end - hit.start for hit in hits)
    if covered / max(end - start, 1) >= 0.6:
        return True
    rest = text[start:end]
    for hit in sorted(hits, key=lambda h: -h.start):
        rest = rest[: hit.start - start] + rest[hit.end - start :]
    return len(hits) == 1 and hits[0].form.entry.kind == "place" and rest.strip().casefold() in _PLACE_QUALIFIERS


def _clean_span(text: str, start: int, end: int, kind: str) -> tuple[int, int, str]:
    """Drop a leading "the", a possessive, edge punctuation and, for people, a title ("President")."""
    surface = text[start:end]
    lead = len(surface) - len(surface.lstrip(" \"'\u201c\u2018(["))
    surface = surface[lead:]
    start += lead
    for article in ("the ", "The "):
        if surface.startswith(article):
            surface, start = surface[4:], start + 4
    if kind == "person":
        title = _TITLES.match(surface)
        if title:
            surface, start = surface[title.end() :], start + title.end()
        bare = person_core(surface)  # "Archbishop Ayesha Novak", "Neighbour Tariq Varga" (people.py)
        if bare != surface and len(bare.split()) >= 2:
            surface, start = bare, start + surface.index(bare)
    surface = strip_possessive(surface.rstrip(" ,;:\"'\u201d\u2019)]")).rstrip(" ,;:")
    return start, start + len(surface), surface


def _usable_name(surface: str) -> bool:
    return len(surface) >= 2 and "\n" not in surface and any(ch.isupper() for ch in surface)


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "").replace("-", "")
    return sum(ch.isupper() for ch in letters) >= 2 and sum(ch.isupper() for ch in letters) >= len(letters) - 1


def _group(mentions: list[_Mention], acronyms: dict[str, tuple[str, str]]) -> dict[str, _Group]:
    """Mentions by entity; an acronym the article defines joins its long form, whatever else it could mean."""
    groups: dict[str, _Group] = {}
    for mention in mentions:
        defined = acronyms.get(normalise(mention.surface))
        if defined and defined[0] != mention.key:
            mention.key = defined[0]
            if mention.entry and normalise(mention.entry.name) != mention.key:
                mention.entry = None
        groups.setdefault(mention.key, _Group(mention.key)).mentions.append(mention)
    for acronym_key, (long_key, written) in acronyms.items():
        group = groups.get(long_key)
        if group is None or acronym_key == long_key:
            continue
        group.aliases.add(written)
        for mention in group.mentions:  # a name with an acronym is an organisation, whatever the model said
            if mention.entry is None and mention.kind == "person":
                mention.kind = "organisation"
    return groups


def _drop_headline_guesses(groups: dict[str, _Group]) -> None:
    for key in [k for k, g in groups.items() if all(m.headline_guess for m in g.mentions)]:
        del groups[key]


def _drop_common_words(groups: dict[str, _Group], lines: Sequence[Line], nouns: Collection[str] = ()) -> None:
    """A one-word model guess that the article also writes in lower case ("Army", "Education") is a common noun; so
    is the plural of an English noun written only where a sentence starts ("Friends said…")."""
    lower_words = {word for line in lines for word in _WORD.findall(line.text) if word.islower()}
    for key, group in list(groups.items()):
        if any(m.entry for m in group.mentions) or group.aliases or " " in key:
            continue
        if (
            key in lower_words
            or key in _GENERIC_WORDS
            or all(
                plural_common_noun(m.surface, nouns) and sentence_initial(lines[m.line].text, m.start)
                for m in group.mentions
            )
        ):
            del groups[key]


def _entities(
    groups: dict[str, _Group], limit: int, is_place: Callable[[str], object] | None = None
) -> list[dict[str, object]]:
    weights = {key: sum(m.weight for m in g.mentions) for key, g in groups.items()}
    top = max(weights.values(), default=0.0)
    entities = []
    for key, group in groups.items():
        entry = next((m.entry for m in group.mentions if m.entry is not None), None)
        name = entry.name if entry else _best_surface(group)
        aliases = set(group.aliases) | set(entry.aliases if entry else ())
        name_key = normalise(name)
        kind = _kind(group) if entry else _checked_kind(name, group, is_place)
        entities.append(
            {
                "name": name,
                "kind": kind,
                "aliases": sorted({a for a in aliases if normalise(a) != name_key}, key=str.casefold),
                "mentions": len(group.mentions),
                "score": round(weights[key] / top, 3) if top else 0.0,
                "parent": entry.parent if entry else None,
            }
        )
    entities.sort(key=lambda e: (-float(e["score"]), str(e["name"]).casefold()))  # type: ignore[arg-type]
    return entities[:limit]


def _checked_kind(name: str, group: _Group, is_place: Callable[[str], object] | None) -> str:
    """The model's kind, unless the name's form or its use says otherwise (no gazetteer entry here)."""
    kind = _kind(group)
    if kind not in ("person", "organisation", "keyword", "place") or group.aliases:
        return kind
    if kind == "place":
        return "organisation" if has_organisation_head(name, model_kind=kind) else kind
    if name.startswith(_EVENT_STARTS):
        return "event"
    if kind in ("person", "place") and has_organisation_head(name, model_kind=kind):
        return "organisation"
    if is_place is not None and kind != "keyword" and is_place(name):
        return "place"  # "Perth" or "Valencia" taken for a person
    located = sum(1 for m in group.mentions if m.after_locative)
    if (
        located
        and located >= _LOCATIVE_SHARE * len(group.mentions)
        and not has_organisation_head(name, model_kind="person")
    ):
        return "place"  # "in Wexley Point"
    return kind


def _best_surface(group: _Group) -> str:
    weights: dict[str, float] = defaultdict(float)
    for mention in group.mentions:  # written as the group's own name, not as an acronym or a surname
        if normalise(mention.surface) == group.key:
            weights[mention.surface] += mention.weight
    if not weights:
        return group.mentions[0].surface
    return max(sorted(weights, key=len, reverse=True), key=lambda s: weights[s])
