"""Resolve entity mentions to Topic rows through alias keys and link them to an article."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from tidings.taxonomy.aliases import normalise
from tidings.taxonomy.gazetteer import default_gazetteer
from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import Alias, ArticleTopic, Origin, Topic, TopicKind
from tidings.taxonomy.rollup import MAX_DEPTH, gazetteer_chain, rollup_scores

logger = logging.getLogger(__name__)

_KINDS = set(TopicKind.values)
# The kinds of model-made link each stage owns: the entities stage replaces these, the keyphrases stage keywords.
ENTITY_KINDS = frozenset({TopicKind.PERSON, TopicKind.ORGANISATION, TopicKind.PLACE, TopicKind.EVENT})
KEYPHRASE_KINDS = frozenset({TopicKind.KEYWORD})


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity as the entities stage reports it, checked and with its alias keys."""

    name: str
    kind: str
    aliases: tuple[str, ...]
    mentions: int
    score: float
    parent: str | None

    @property
    def keys(self) -> list[str]:
        """The canonical name's key first, then the aliases' keys, without repeats."""
        keys: list[str] = []
        for text in (self.name, *self.aliases):
            key = normalise(text)
            if key and key not in keys:
                keys.append(key)
        return keys


def entity_refs(entities: Sequence[Mapping[str, object]]) -> list[EntityRef]:
    """The usable entities of a stage output; an entry without a name is skipped."""
    refs = []
    for raw in entities:
        name = str(raw.get("name") or "").strip()[:300]
        if not normalise(name):
            continue
        kind = str(raw.get("kind") or TopicKind.KEYWORD)
        aliases = raw.get("aliases") or []
        parent = raw.get("parent")
        refs.append(
            EntityRef(
                name=name,
                kind=kind if kind in _KINDS else TopicKind.KEYWORD,
                aliases=tuple(str(a).strip()[:300] for a in aliases if str(a).strip())
                if isinstance(aliases, list)
                else (),
                mentions=max(1, _as_int(raw.get("mentions"), 1)),
                score=min(1.0, max(0.0, _as_float(raw.get("score"), 0.0))),
                parent=str(parent).strip() if parent else None,
            )
        )
    return refs


def resolve_topic(ref: EntityRef) -> Topic:
    """The topic an entity names, found through its alias keys, or created with all of them."""
    keys = ref.keys
    found = {a.key: a.topic for a in Alias.objects.filter(key__in=keys).select_related("topic")}
    topic = found.get(keys[0])
    if topic is None:
        # Through another alias only when the names agree too: "Türkiye" (alias Turkey) is Turkey, but
        # "Democratic Republic of the Congo" (alias Congo) is not the Republic of the Congo.
        topic = next((t for t in found.values() if normalise(t.name) in keys), None)
    if topic is None:
        topic = _create_topic(ref)
    elif topic.kind == TopicKind.ORGANISATION and ref.kind == TopicKind.PERSON and normalise(topic.name) == keys[0]:
        # A person the model once took for an organisation ("Tomasz Desrosiers" tagged ORG) and the entities
        # stage now knows as a person (enrichment/stages/entities/people.py): the same name, retyped.
        topic.kind = TopicKind.PERSON
        topic.save(update_fields=["kind"])
        logger.info("topic_retyped topic=%s kind=person name=%s", topic.pk, topic.name)
    _add_aliases(topic, ref, existing=set(found))
    if ref.parent and topic.parent_id is None:
        parent = resolve_topic(_place_ref(ref.parent))
        if parent.pk != topic.pk:
            topic.parent = parent
            topic.save(update_fields=["parent"])
    return topic


def _create_topic(ref: EntityRef) -> Topic:
    """A new topic with its name's alias; if another process made that alias first, use its topic."""
    key = ref.keys[0]
    for _attempt in range(3):
        try:
            with transaction.atomic():
                topic = Topic.objects.create(kind=ref.kind, name=ref.name)
                Alias.objects.create(topic=topic, name=ref.name, key=key)
        except IntegrityError:  # the alias, or the slug, was taken in the meantime
            existing = Alias.objects.select_related("topic").filter(key=key).first()
            if existing is not None:
                return existing.topic
            continue
        logger.debug("topic_created topic=%s kind=%s name=%s", topic.pk, topic.kind, topic.name)
        return topic
    raise IntegrityError(f"could not create a topic named {ref.name!r}")


def _add_aliases(topic: Topic, ref: EntityRef, existing: set[str]) -> None:
    """Aliases not yet known anywhere; a key that belongs to another topic stays with that topic."""
    new = []
    seen = set(existing)
    for text in (ref.name, *ref.aliases):
        key = normalise(text)
        if key and key not in seen:
            seen.add(key)
            new.append(Alias(topic=topic, name=text, key=key[:300]))
    if new:
        Alias.objects.bulk_create(new, ignore_conflicts=True)


def _place_ref(name: str) -> EntityRef:
    """A parent place as the gazetteer knows it, with its own parent, so the chain reaches the world region."""
    gazetteer = default_gazetteer()
    entry = gazetteer.entry(name)
    chain = gazetteer_chain(name, gazetteer)
    return EntityRef(
        name=entry.name if entry else name,
        kind=TopicKind.PLACE,
        aliases=entry.aliases if entry else (),
        mentions=1,
        score=0.0,
        parent=chain[0] if chain else None,
    )


def prepare_topics(entity_lists: Iterable[object], *, keywords: bool = False) -> None:
    """Find or create, ahead of storing links, the topics these entity lists name (`keywords`: as the keyphrase
        stage's keyword topics), in the order of their keys, each in its own short transaction when called outside
        one: topics are shared by every article, so two jobs storing links in one transaction each never wait for
        each other's new topic or alias (taxonomy.topics is then only read by store_topic_links). An entry that is
    not a list of mappings is passed over, as the stages' store() passes it over."""
    refs: dict[str, EntityRef] = {}
    for found in entity_lists:
        entities = [e for e in found if isinstance(e, Mapping)] if isinstance(found, list) else []
        if keywords:
            entities = [{**entity, "kind": TopicKind.KEYWORD} for entity in entities]
        for ref in entity_refs(entities):
            refs.setdefault(ref.keys[0], ref)
    for _key, ref in sorted(refs.items()):
        resolve_topic(ref)


def store_topic_links(
    article_id: int,
    entities: Sequence[Mapping[str, object]],
    *,
    replace_kinds: frozenset[str] = ENTITY_KINDS,
    rollup: bool = True,
) -> list[int]:
    """Link the article to these entities' topics; returns the linked topic ids (roll-ups included).

    Model-made links to topics of `replace_kinds` are replaced; other model-made links are kept, and updated
    where an entity names their topic (the entities stage owns names, the keyphrases stage owns keywords).
    With `rollup`, each named place also links the places it lies in, weaker and with no mentions.
    """
    links: dict[int, ArticleTopic] = {}
    with transaction.atomic():
        places: dict[int, Topic] = {}
        for ref in entity_refs(entities):
            topic = resolve_topic(ref)
            if topic.kind == TopicKind.PLACE:
                places[topic.pk] = topic
            link = links.get(topic.pk)
            if link is None:
                links[topic.pk] = ArticleTopic(
                    article_id=article_id, topic=topic, score=ref.score, origin=Origin.MODEL, mentions=ref.mentions
                )
            else:  # two spellings of one topic in the same article
                link.score = max(link.score, ref.score)
                link.mentions += ref.mentions
        if rollup and places:
            for topic_id, score in _rollups(places, links).items():
                links[topic_id] = ArticleTopic(
                    article_id=article_id, topic_id=topic_id, score=score, origin=Origin.MODEL, mentions=0
                )
        _replace_links(article_id, links, replace_kinds)
    return list(links)


def store_keyphrase_links(article_id: int, keyphrases: Sequence[Mapping[str, object]]) -> list[int]:
    """Replace the article's model-made keyword links with these keyphrases (kind keyword, no roll-up)."""
    keywords = [{**phrase, "kind": TopicKind.KEYWORD} for phrase in keyphrases]
    return store_topic_links(article_id, keywords, replace_kinds=KEYPHRASE_KINDS, rollup=False)


def _rollups(places: Mapping[int, Topic], links: Mapping[int, ArticleTopic]) -> dict[int, float]:
    """Ancestor place id → roll-up score, following Topic.parent one level per query; only places roll up."""
    parents: dict[int, int | None] = {pk: topic.parent_id for pk, topic in places.items()}
    frontier = {pk for pk in parents.values() if pk is not None and pk not in parents}
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        found = dict(Topic.objects.filter(pk__in=frontier, kind=TopicKind.PLACE).values_list("pk", "parent_id"))
        for pk in frontier:
            parents[pk] = found.get(pk)
        # A parent that is not a place (an editor's odd choice) ends the chain there and gets no link.
        for pk in frontier - set(found):
            for child, parent in parents.items():
                if parent == pk:
                    parents[child] = None
        frontier = {pk for pk in found.values() if pk is not None and pk not in parents}
    direct = {pk: links[pk].score for pk in places}
    return {pk: score for pk, score in rollup_scores(direct, parents).items() if pk not in links}


def _replace_links(article_id: int, links: Mapping[int, ArticleTopic], replace_kinds: frozenset[str]) -> None:
    # Without the per-row delete signals (taxonomy.signals): the article is relisted once below.
    replaced = ArticleTopic.objects.filter(
        article_id=article_id, origin=Origin.MODEL, topic__kind__in=list(replace_kinds)
    )
    replaced._raw_delete(replaced.db)
    kept = {
        link.topic_id: link
        for link in ArticleTopic.objects.filter(article_id=article_id, origin=Origin.MODEL, topic_id__in=list(links))
    }
    for topic_id, link in kept.items():
        link.score = max(link.score, links[topic_id].score)
        link.mentions = max(link.mentions, links[topic_id].mentions)
    if kept:
        ArticleTopic.objects.bulk_update(kept.values(), ["score", "mentions"])
    ArticleTopic.objects.bulk_create([link for pk, link in links.items() if pk not in kept])
    relist([article_id], kinds=["topic"])


def _as_int(value: object, default: int) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return default


def _as_float(value: object, default: float) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
