"""Profiles for benchmarks: many anonymous profiles, each following 10 to 200 things (benchmarks only).

    from bench._profiles import build_profiles
    groups = build_profiles(10_000, follow_counts=(10, 50, 100, 200))  # after bench._corpus.build_corpus

Rows skip the ORM (bench._bulk_insert). Seeded.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from bench._bulk_insert import insert_rows, next_id, reset_sequences
from bench._corpus import Zipf
from django.db import transaction


def build_profiles(
    count: int, follow_counts: tuple[int, ...] = (10, 50, 100, 200), seed: int = 23
) -> dict[int, list[int]]:
    """`count` anonymous profiles, an equal share following each of `follow_counts` things, 0-3 mutes each.

    A profile's follows: a quarter categories (top-level or not), a fifth sources, the rest topics (people drawn
    by popularity, places, organisations), weights less/normal/more. Returns {follow count: [profile ids]}.
    """
    from tidings.personalization.models import Follow, Profile
    from tidings.sources.models import Source
    from tidings.taxonomy.models import Category, Topic, TopicKind

    rng = random.Random(seed)
    categories = list(Category.objects.values_list("pk", flat=True))
    sources = list(Source.objects.order_by("pk").values_list("pk", flat=True))
    by_kind: dict[str, list[int]] = {}
    for pk, kind in Topic.objects.order_by("pk").values_list("pk", "kind"):
        by_kind.setdefault(kind, []).append(pk)
    people, places, orgs = by_kind[TopicKind.PERSON], by_kind[TopicKind.PLACE], by_kind[TopicKind.ORGANISATION]
    pick_person, pick_source = Zipf(len(people), 0.9, rng), Zipf(len(sources), 0.7, rng)
    now = datetime.now(UTC)
    first = next_id(Profile)
    groups: dict[int, list[int]] = {n: [] for n in follow_counts}
    profile_rows, follow_rows = [], []
    for k in range(count):
        pk, wanted = first + k, follow_counts[k % len(follow_counts)]
        groups[wanted].append(pk)
        profile_rows.append((pk, now, now))
        n_categories = min(max(1, wanted // 4), len(categories))
        n_sources = min(max(1, wanted // 5), len(sources))
        chosen_topics: set[int] = set()
        while len(chosen_topics) < wanted - n_categories - n_sources:
            roll = rng.random()
            chosen_topics.add(
                people[pick_person()] if roll < 0.5 else rng.choice(places) if roll < 0.75 else rng.choice(orgs)
            )
        chosen_sources: set[int] = set()
        while len(chosen_sources) < n_sources:
            chosen_sources.add(sources[pick_source()])
        for category in rng.sample(categories, n_categories):
            follow_rows.append((pk, "follow", category, None, None, rng.choice((-1, 0, 0, 1)), now))
        for topic in chosen_topics:
            follow_rows.append((pk, "follow", None, topic, None, rng.choice((-1, 0, 0, 1)), now))
        for source in chosen_sources:
            follow_rows.append((pk, "follow", None, None, source, rng.choice((-1, 0, 0, 1)), now))
        for _ in range(rng.randint(0, 3)):  # mutes: a source or an organisation not followed
            source = rng.choice(sources)
            if source not in chosen_sources:
                chosen_sources.add(source)
                follow_rows.append((pk, "mute", None, None, source, 0, now))
    with transaction.atomic():
        insert_rows(Profile, ["id", "created_at", "onboarded_at"], profile_rows)
        for start in range(0, len(follow_rows), 50_000):
            insert_rows(
                Follow,
                ["profile_id", "action", "category_id", "topic_id", "source_id", "weight", "created_at"],
                follow_rows[start : start + 50_000],
            )
    reset_sequences([Profile, Follow])
    return groups
