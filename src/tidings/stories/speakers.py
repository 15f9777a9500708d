"""Store an article's claims (replacing the old ones) with each speaker linked to a Topic when it names one.

A speaker is linked, in order: to one of the article's own person/organisation/place topics with the speaker's
alias key ("the Syrian army's" → "syrian army"); to one of its person topics whose full name ends the key
("astrophysicist solveig kariuki" → Solveig Kariuki); to the topic of the entity the claims stage matched it
to; to any person/organisation/place topic with that alias key; or, for a clear name spaCy tags as a person or
organisation, to a known person whose full name ends it, else to a topic created the way the entities stage
creates one (`taxonomy.topics.resolve_topic`). A speaker topic the article is not linked to yet gets a weak
model link, so the article shows on its topic page.

The entities stage replaces an article's model links to people, organisations and places when it runs again,
weak speaker links included; `relink_speakers` (run after every enrichment, stories.apps) rebuilds them from the
stored claims, and gives a topic again to a speaker whose topic was deleted (merged away) or never found, by
the speaker's key, when the article's links or the taxonomy now name it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction

from tidings.stories.ledger import SPEAKER_KINDS, person_tails, speaker_key
from tidings.stories.models import Claim, ClaimPart
from tidings.taxonomy.aliases import normalise
from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import Alias, ArticleTopic, Origin, Topic, TopicKind
from tidings.taxonomy.topics import EntityRef, resolve_topic

logger = logging.getLogger(__name__)

SPEAKER_LINK_SCORE = 0.2  # a topic linked only because it speaks in the article: weaker than a named entity


def store_claims(article_id: int, claims: Sequence[Mapping[str, object]]) -> list[Claim]:
    """Replace the article's claims with these (the claims stage's values); returns the stored rows."""
    with transaction.atomic():
        linked = _article_topics(article_id)
        resolved: dict[str, Topic | None] = {}
        rows = []
        for order, raw in enumerate(claims):
            key = str(raw.get("speaker_key") or "")
            if key and key not in resolved:
                resolved[key] = _speaker_topic(key, raw.get("speaker_ref"), linked)
            rows.append(_row(article_id, order, raw, resolved.get(key) if key else None))
        _link_new_speakers(article_id, {t.pk: t for t in resolved.values() if t is not None}, linked)
        Claim.objects.filter(article_id=article_id).delete()
        return Claim.objects.bulk_create(rows)


def relink_speakers(article_ids: Iterable[int]) -> int:
    """Rebuild the speaker links of these articles' stored claims (see the module note); returns how many links
    were made again or claims given a topic."""
    claims: dict[int, list[Claim]] = defaultdict(list)
    rows = Claim.objects.filter(article_id__in=list(article_ids), attributed=True).exclude(speaker_text="")
    for claim in rows.select_related("speaker_topic").order_by("article_id", "order"):
        claims[claim.article_id].append(claim)
    changed = 0
    for article_id, said in claims.items():
        with transaction.atomic():
            linked = _article_topics(article_id)
            resolved: dict[str, Topic | None] = {}
            found = []
            for claim in said:
                if claim.speaker_topic is None:
                    key = speaker_key(claim.speaker_text)
                    if key and key not in resolved:
                        resolved[key] = _speaker_topic(key, None, linked)
                    claim.speaker_topic = resolved.get(key) if key else None
                    if claim.speaker_topic is not None:
                        found.append(claim)
            Claim.objects.bulk_update(found, ["speaker_topic"])
            speakers = {c.speaker_topic.pk: c.speaker_topic for c in said if c.speaker_topic is not None}
            changed += len(found) + _link_new_speakers(article_id, speakers, linked)
    if changed:
        logger.info("speakers_relinked articles=%d changes=%d", len(claims), changed)
    return changed


def _article_topics(article_id: int) -> dict[str, Topic]:
    """Alias key → topic, for the article's linked topics a speaker may be (names and aliases)."""
    topics = {
        link.topic.pk: link.topic
        for link in ArticleTopic.objects.filter(article_id=article_id, topic__kind__in=SPEAKER_KINDS).select_related(
            "topic"
        )
    }
    keys: dict[str, Topic] = {normalise(t.name): t for t in topics.values()}
    for alias in Alias.objects.filter(topic_id__in=list(topics)):
        keys.setdefault(alias.key, topics[alias.topic_id])
    return keys


def _speaker_topic(key: str, ref: object, linked: Mapping[str, Topic]) -> Topic | None:
    if key in linked:
        return linked[key]
    person = _person_at_end(key, linked)
    if person is not None:
        return person
    if isinstance(ref, Mapping) and ref.get("name") and ref.get("kind") in SPEAKER_KINDS:
        entity = EntityRef(
            name=str(ref["name"])[:300],
            kind=str(ref["kind"]),
            aliases=tuple(str(a)[:300] for a in ref.get("aliases") or () if str(a).strip()),
            mentions=1,
            score=SPEAKER_LINK_SCORE,
            parent=None,
        )
        for entity_key in entity.keys:
            if entity_key in linked:
                return linked[entity_key]
        known = _topic_by_key(entity.keys)
        if known is not None:
            return known
        if ref.get("new") and entity.kind == "person":
            known_person = _person_at_end(key, {}) or _person_at_end(speaker_key(entity.name), {})
            if known_person is not None:  # "Astrophysicist Solveig Kariuki" is the known Solveig Kariuki
                return known_person
        if ref.get("new") or entity.kind != "place":  # a place is made by the entities stage, with its parents
            return resolve_topic(entity)
        return None
    return _topic_by_key([key])


def _person_at_end(key: str, linked: Mapping[str, Topic]) -> Topic | None:
    """The person topic whose full name (two words or more) ends the speaker's key: one of the article's own
    (`linked`), else any known person; title words before a name are what `ledger.speaker_key` could not drop."""
    tails = person_tails(key)
    for tail in tails:
        topic = linked.get(tail)
        if topic is not None and topic.kind == TopicKind.PERSON:
            return topic
    if not tails:
        return None
    found = {
        a.key: a.topic
        for a in Alias.objects.filter(key__in=tails, topic__kind=TopicKind.PERSON).select_related("topic")
    }
    return next((found[t] for t in tails if t in found), None)


def _topic_by_key(keys: Sequence[str]) -> Topic | None:
    """A person/organisation/place topic with one of these alias keys (first key first)."""
    found = {
        a.key: a.topic
        for a in Alias.objects.filter(key__in=list(keys), topic__kind__in=SPEAKER_KINDS).select_related("topic")
    }
    return next((found[k] for k in keys if k in found), None)


def _link_new_speakers(article_id: int, topics: Mapping[int, Topic], linked: Mapping[str, Topic]) -> int:
    have = {t.pk for t in linked.values()}
    have |= set(
        ArticleTopic.objects.filter(article_id=article_id, topic_id__in=list(topics)).values_list("topic_id", flat=True)
    )
    new = [
        ArticleTopic(article_id=article_id, topic=t, score=SPEAKER_LINK_SCORE, origin=Origin.MODEL, mentions=1)
        for pk, t in topics.items()
        if pk not in have
    ]
    if new:
        ArticleTopic.objects.bulk_create(new, ignore_conflicts=True)
        relist([article_id], kinds=["topic"])
    return len(new)


def _row(article_id: int, order: int, raw: Mapping[str, object], topic: Topic | None) -> Claim:
    speaker = _span(raw.get("speaker"))
    cue = _span(raw.get("cue")) or ("", 0, 0)
    content = _span(raw.get("content")) or ("", 0, 0)
    part = str(raw.get("part") or ClaimPart.BODY)
    via = _span(raw.get("via"))  # who reports it, when it is made inside another claim's content
    return Claim(
        article_id=article_id,
        order=order,
        part=part if part in ClaimPart.values else ClaimPart.BODY,
        paragraph=_non_negative(raw.get("paragraph")),
        speaker_text=speaker[0][:500] if speaker else "",
        speaker_start=speaker[1] if speaker else None,
        speaker_end=speaker[2] if speaker else None,
        cue_text=cue[0][:200],
        cue_start=cue[1],
        cue_end=cue[2],
        content_text=content[0],
        content_start=content[1],
        content_end=content[2],
        quote=bool(raw.get("quote")),
        kind=str(raw.get("kind") or "")[:32],
        attributed=bool(raw.get("attributed")) and speaker is not None,
        via_text=via[0][:500] if via else "",
        speaker_topic=topic,
    )


def _span(value: object) -> tuple[str, int, int] | None:
    if not isinstance(value, Mapping):
        return None
    return str(value.get("text") or ""), _non_negative(value.get("start")), _non_negative(value.get("end"))


def _non_negative(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0
