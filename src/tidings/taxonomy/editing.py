"""Editors' changes to topics: merge, split and add aliases. Merges are remembered through the aliases.

After a merge every alias of the merged topics points at the survivor, so later mentions of any merged
name resolve to it (topics.resolve_topic looks names up by alias key).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from tidings.lib.errors import InvalidInput
from tidings.taxonomy.aliases import normalise
from tidings.taxonomy.listing import relist
from tidings.taxonomy.models import Alias, ArticleTopic, Topic, TopicKind

logger = logging.getLogger(__name__)

# Relations to Topic that merge handles itself; any other (follows, mutes, ...) is moved generically.
_OWN_RELATIONS = {"aliases", "article_links", "children"}


def merge_topics(source_ids: Iterable[int], into_id: int) -> Topic:
    """Fold the source topics into `into_id`: aliases, article links (mentions summed, best score), follows and
    child places move over, then the source topics are deleted. Returns the surviving topic."""
    sources = sorted({int(pk) for pk in source_ids} - {int(into_id)})
    if not sources:
        raise InvalidInput("choose at least one topic to merge into another one")
    with transaction.atomic():
        into = Topic.objects.select_for_update().filter(pk=into_id).first()
        if into is None:
            raise InvalidInput(f"there is no topic {into_id} to merge into")
        found = list(Topic.objects.select_for_update().filter(pk__in=sources))
        missing = sorted(set(sources) - {t.pk for t in found})
        if missing:
            raise InvalidInput(f"there is no topic {', '.join(map(str, missing))} to merge")
        for topic in found:  # a merged name must keep resolving, even if its own alias was removed
            key = normalise(topic.name)
            if key and not Alias.objects.filter(key=key).exists():
                Alias.objects.create(topic=topic, name=topic.name, key=key[:300])
        Alias.objects.filter(topic_id__in=sources).update(topic=into)
        _merge_links(sources, into)
        _move_other_relations(sources, into)
        Topic.objects.filter(parent_id__in=sources).exclude(pk=into.pk).update(parent=into)
        if into.parent_id in sources:
            into.parent = None
            into.save(update_fields=["parent"])
        Topic.objects.filter(pk__in=sources).delete()
    logger.info("topics_merged into=%s sources=%s name=%s", into.pk, sources, into.name)
    return into


def _merge_links(sources: list[int], into: Topic) -> None:
    existing = {(link.article_id, link.origin): link for link in ArticleTopic.objects.filter(topic=into)}
    moved: list[ArticleTopic] = []
    for link in ArticleTopic.objects.filter(topic_id__in=sources).order_by("pk"):
        survivor = existing.get((link.article_id, link.origin))
        if survivor is None:
            link.topic = into
            existing[(link.article_id, link.origin)] = link
            moved.append(link)
        else:
            survivor.mentions += link.mentions
            survivor.score = max(survivor.score, link.score)
    updated = [link for link in existing.values() if link.topic_id == into.pk and link not in moved]
    # Delete the sources' links first: a moved link could otherwise meet its own twin in the unique constraint.
    ArticleTopic.objects.filter(topic_id__in=sources).delete()
    if updated:
        ArticleTopic.objects.bulk_update(updated, ["mentions", "score"])
    for link in moved:
        link.pk = None
    ArticleTopic.objects.bulk_create(moved)
    relist({link.article_id for link in [*moved, *updated]}, kinds=["topic"])


def _move_other_relations(sources: list[int], into: Topic) -> None:
    """Rows of other apps that point at a merged topic (a reader's follow) point at the survivor; where the
    survivor already has the same row (the reader follows both), the duplicate goes."""
    for relation in Topic._meta.related_objects:
        if relation.get_accessor_name() in _OWN_RELATIONS or relation.many_to_many or relation.one_to_one:
            continue
        model, field = relation.related_model, relation.field.name
        for row in model._default_manager.filter(**{f"{field}__in": sources}):
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=row.pk).update(**{field: into})
            except IntegrityError:
                row.delete()


def split_topic(topic_id: int, alias_ids: Iterable[int], new_name: str, kind: str) -> Topic:
    """A new topic named `new_name` that takes these aliases of `topic_id` with it; the old topic keeps the rest.

    Article links stay where they are: re-enriching the articles (`tidings enrich --force`) sorts them.
    """
    name = " ".join(str(new_name).split())[:300]
    key = normalise(name)
    if not key:
        raise InvalidInput("the new topic needs a name")
    if kind not in TopicKind.values:
        raise InvalidInput(f"unknown topic kind {kind!r}; choose one of {', '.join(TopicKind.values)}")
    wanted = {int(pk) for pk in alias_ids}
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(pk=topic_id).first()
        if topic is None:
            raise InvalidInput(f"there is no topic {topic_id} to split")
        aliases = list(Alias.objects.filter(pk__in=wanted))
        if not wanted or any(a.topic_id != topic.pk for a in aliases) or len(aliases) != len(wanted):
            raise InvalidInput(f"choose aliases of {topic.name!r} to move to the new topic")
        if topic.aliases.exclude(pk__in=wanted).count() == 0:
            raise InvalidInput(f"{topic.name!r} would keep no alias; keep at least one")
        owner = Alias.objects.filter(key=key).exclude(pk__in=wanted).select_related("topic").first()
        if owner is not None:
            raise InvalidInput(f"the name {name!r} already belongs to the topic {owner.topic.name!r}")
        new = Topic.objects.create(name=name, kind=kind, parent=topic.parent)
        Alias.objects.filter(pk__in=wanted).update(topic=new)
        if not Alias.objects.filter(key=key).exists():
            Alias.objects.create(topic=new, name=name, key=key[:300])
    logger.info("topic_split topic=%s new=%s aliases=%s", topic.pk, new.pk, sorted(wanted))
    return new


def add_alias(topic_id: int, name: str) -> Alias:
    """Another name for a topic; a name that already belongs to another topic is refused (merge them instead)."""
    text = " ".join(str(name).split())[:300]
    key = normalise(text)
    if not key:
        raise InvalidInput("an alias needs a name")
    with transaction.atomic():
        topic = Topic.objects.filter(pk=topic_id).first()
        if topic is None:
            raise InvalidInput(f"there is no topic {topic_id}")
        existing = Alias.objects.filter(key=key).select_related("topic").first()
        if existing is not None:
            if existing.topic_id == topic.pk:
                return existing
            raise InvalidInput(
                f"the alias {text!r} already belongs to the topic {existing.topic.name!r}; "
                "merge the two topics if they are the same"
            )
        alias = Alias.objects.create(topic=topic, name=text, key=key[:300])
    logger.info("alias_added topic=%s alias=%s", topic.pk, key)
    return alias
