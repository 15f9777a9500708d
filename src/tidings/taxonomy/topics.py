"""Resolve entity mentions to Topic rows through alias keys and link them to an article."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from tidings.taxonomy.aliases import normalise
from tidings.taxonomy.models import Alias, ArticleTopic, Origin, Topic, TopicKind

logger = logging.getLogger(__name__)

_KINDS = set(TopicKind.values)


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
        refs.append(EntityRef(
            name=name,
            kind=kind if kind in _KINDS else TopicKind.KEYWORD,
            aliases=tuple(str(a).strip()[:300] for a in aliases if str(a).strip()) if isinstance(aliases, list) else (),
            mentions=max(1, _as_int(raw.get("mentions"), 1)),
            score=min(1.0, max(0.0, _as_float(raw.get("score"), 0.0))),
            parent=str(parent).strip() if parent else None,
        ))
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
    _add_aliases(topic, ref, existing=set(found))
    if ref.parent and topic.parent_id is None:
        parent = resolve_topic(EntityRef(ref.parent, TopicKind.PLACE, (), 1, 0.0, None))
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
        logger.info("topic_created topic=%s kind=%s name=%s", topic.pk, topic.kind, topic.name)
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


def store_topic_links(article_id: int, entities: Sequence[Mapping[str, object]]) -> list[int]:
    """Replace the article's model-made topic links with these entities; returns the linked topic ids."""
    links: dict[int, ArticleTopic] = {}
    with transaction.atomic():
        for ref in entity_refs(entities):
            topic = resolve_topic(ref)
            link = links.get(topic.pk)
            if link is None:
                links[topic.pk] = ArticleTopic(
                    article_id=article_id, topic=topic, score=ref.score, origin=Origin.MODEL, mentions=ref.mentions
                )
            else:  # two spellings of one topic in the same article
                link.score = max(link.score, ref.score)
                link.mentions += ref.mentions
        ArticleTopic.objects.filter(article_id=article_id, origin=Origin.MODEL).delete()
        ArticleTopic.objects.bulk_create(links.values())
    return list(links)


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
