"""The claims stage: who says what in each article (stories/claims), stored in the Claim table.

It reads the article's enrichment text (`ArticleText.text`) line by line through the same functions as the
`tidings claims` command (`text_lines`, `claims_in_doc`), all lines of a batch in one `nlp.pipe` stream. Each
speaker is matched in process_batch against the entities the entities stage found (or spaCy's own person and
organisation tags); store() links it to a Topic and replaces the article's claims.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import transaction

from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.enrichment.stages.entities.nouns import common_noun_speaker, english_nouns
from tidings.enrichment.stages.entities.people import reads_as_person_name
from tidings.stories.claims.extract import claims_in_doc, text_lines
from tidings.stories.claims.model import claims_nlp
from tidings.stories.claims.types import Claim
from tidings.stories.ledger import (
    BODY,
    TITLE_WORDS,
    SpeakerRef,
    entity_keys,
    match_speaker,
    part_at,
    speaker_key,
    text_parts,
)
from tidings.taxonomy.aliases import normalise

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

_MODEL_LANGUAGES = frozenset({"en"})


class ClaimsStage:
    name: ClassVar[str] = "claims"
    # 2: denials need a statement, nested claims carry `via`; 3: a plural common noun at a sentence's start
    # ("Friends said…") makes no new speaker topic (entities/nouns.py)
    version: ClassVar[int] = 3
    requires: ClassVar[frozenset[str]] = frozenset({"language", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"claims"})
    stored_apart: ClassVar[frozenset[str]] = frozenset({"claims"})  # the Claim table holds them

    def __init__(self, *, batch_size: int = 32, model: str | None = None) -> None:
        self.batch_size = batch_size
        self.model = model
        self._nlp: Language | None = None

    def setup(self) -> None:
        if self._nlp is None:
            self._nlp = claims_nlp(self.model or settings.SPACY_MODEL)

    def process_batch(self, items: Sequence[ArticleText]) -> list[StageOutput]:
        if not items:
            return []
        self.setup()
        assert self._nlp is not None
        lines = [list(text_lines(item.text)) if _reads_english(item) else [] for item in items]
        docs = iter(self._nlp.pipe((line for article in lines for _, line in article), batch_size=self.batch_size))
        outputs = []
        for item, article_lines in zip(items, lines, strict=True):
            parsed = [(offset, next(docs)) for offset, _ in article_lines]
            try:
                claims = _claims(item, parsed, english_nouns(self.model or settings.SPACY_MODEL))
                outputs.append(StageOutput(item.article_id, {"claims": claims}))
            except (ValueError, KeyError, IndexError) as exc:
                logger.warning("claims_failed article=%s error=%s", item.article_id, exc)
                outputs.append(StageOutput(item.article_id, error=f"claim rules failed: {exc}"))
        return outputs

    def store(self, values: Mapping[int, Mapping[str, object]]) -> None:
        """Replace each article's claims; speakers are linked to topics (taxonomy.topics)."""
        from tidings.stories.speakers import store_claims

        with transaction.atomic():
            for pk, found in values.items():
                claims = found.get("claims")
                if isinstance(claims, list):
                    store_claims(pk, claims)


def _claims(item: ArticleText, parsed: list[tuple[int, Doc]], nouns: Collection[str] = ()) -> list[dict[str, object]]:
    """The article's claims as JSON values: the claim, where it lies, and the entity its speaker names."""
    known_speakers: list = []  # pronoun antecedents, carried from line to line as claims_in_texts does
    found: list[Claim] = []
    for offset, doc in parsed:
        found.extend(claims_in_doc(doc, offset, known_speakers))
    labels, people, nationalities = _entity_labels(parsed)
    entities = item.facts.get("entities")
    keys = entity_keys(entities if isinstance(entities, list) else [])
    parts = text_parts(item.headline, item.standfirst, item.paragraphs)
    full_names = [ref for ref in keys.values() if ref.kind == "person" and " " in ref.name.strip()]
    out = []
    for claim in found:
        part = part_at(parts, claim.content.start, claim.content.end)
        ref: SpeakerRef | None = None
        key = speaker_key(claim.speaker.text) if claim.speaker else ""
        if claim.speaker is not None:
            label = labels.get((claim.speaker.start, claim.speaker.end))
            tail = people.get(claim.speaker.end)
            tail_person = tail[1] if tail and tail[0] > claim.speaker.start else None
            first_word = claim.speaker.start + (4 if claim.speaker.text.lower().startswith("the ") else 0)
            full = named_in_full(key, item.text[: claim.speaker.start], full_names)
            if full is not None:  # "Iwasaki said" after "Marta Iwasaki": the person named in full
                ref, key = full, normalise(full.name)
            else:
                common = common_noun_speaker(claim.speaker.text.strip(), item.text, nouns)  # "Friends said…"
                ref = match_speaker(claim.speaker.text, keys, label, tail_person, first_word in nationalities, common)
            if ref is not None and ref.kind == "person" and " " in ref.name.strip():
                full_names.append(ref)
        value = claim.as_dict()
        value["part"] = part.name if part else BODY
        value["paragraph"] = part.index if part else 0
        value["speaker_ref"] = ref.as_dict() if ref else None
        value["speaker_key"] = key
        out.append(value)
    return out


def named_in_full(key: str, before: str, people: Sequence[SpeakerRef]) -> SpeakerRef | None:
    """The person an article named in full earlier (`before`: its text up to the speaker) whom a one-word speaker
    names by surname or given name ("Iwasaki", "Marta", "Dr Iwasaki" after "Marta Iwasaki"); None when no one, or
    more than one, fits."""
    words = key.split(" ")
    while len(words) > 1 and words[0].strip(".") in TITLE_WORDS:
        words = words[1:]
    if len(words) != 1 or not words[0]:
        return None
    word = words[0]
    written = before.casefold()
    found: dict[str, SpeakerRef] = {}
    for position in (-1, 0):  # a surname first; a given name only when no surname fits
        for ref in people:
            name_words = normalise(ref.name).split(" ")
            if name_words[position] == word and normalise(ref.name) in normalise(written):
                found.setdefault(normalise(ref.name), ref)
        if found:
            break
    return next(iter(found.values())) if len(found) == 1 else None


def _entity_labels(
    parsed: list[tuple[int, Doc]],
) -> tuple[dict[tuple[int, int], str], dict[int, tuple[int, str]], set[int]]:
    """(start, end) in the article text → spaCy label, for each entity, also with a leading "the" (a speaker span
    "the Kremlin" finds the entity "Kremlin"); end → (start, name) of each person entity; and where each
    nationality (NORP) starts."""
    labels: dict[tuple[int, int], str] = {}
    people: dict[int, tuple[int, str]] = {}
    nationalities: set[int] = set()
    for offset, doc in parsed:
        for ent in doc.ents:
            start, end = offset + ent.start_char, offset + ent.end_char
            labels.setdefault((start, end), ent.label_)
            if ent.label_ == "PERSON" or (ent.label_ == "ORG" and reads_as_person_name(ent.text)):
                people[end] = (start, ent.text)  # "Tomasz Desrosiers" tagged ORG is a person (entities/people.py)
            elif ent.label_ == "NORP":
                nationalities.add(start)
            if ent.start > 0 and doc[ent.start - 1].lower_ == "the":
                labels.setdefault((offset + doc[ent.start - 1].idx, end), ent.label_)
    return labels, people, nationalities


def _reads_english(item: ArticleText) -> bool:
    language = item.facts.get("language")
    return not language or language in _MODEL_LANGUAGES
