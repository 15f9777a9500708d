"""My News and the home page's top stories: ranked article ids with the reason for each card.

One read of the follows table per call; the web page (web.views.front.my_news) and the API (/api/me/feed)
both call load_my_news() or ranked_article_ids(), so they give the same articles in the same order. Candidates
come from personalization.candidates and are ranked by personalization.ranking: one article per story (the
best-scored one stands for it), diversified, with a small exploration share. The home page ranks the top-story
and recent pools with no interests (coverage and freshness), minus the visitor's own mutes and hides.
Muted words (personalization.keyword_mute_service) take candidates out before ranking, so the list is cut into
pages only after them (every page is full while articles remain) and a story whose best article holds a muted
word is still shown through another of its articles that does not.
A followed or muted category means the articles listed in it (taxonomy.membership), as on its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, TypeVar

from django.db.models import Model

from tidings.articles.models import Article
from tidings.personalization.candidates import home_candidates, personal_candidates, read_profile
from tidings.personalization.explain import explain, targets_to_name
from tidings.personalization.feed import Followed
from tidings.personalization.keyword_mute_service import drop_keyword_muted, keyword_rules, rules_matcher
from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.personalization.ranked_cache import ranked_for
from tidings.personalization.ranking import Candidate, Ranked, Reason, Target, rank
from tidings.personalization.services import follow_states
from tidings.sources.models import Source
from tidings.taxonomy.models import Category, Topic

M = TypeVar("M", bound=Model)


class FollowRow(NamedTuple):
    """One follow or mute as ranking and the page's lists need it: ids, weight, time and its target's name (a
    plain row: a reader with 200 follows costs no model instances; Follow objects for the side panel come from
    FollowList.newest())."""

    pk: int
    action: str
    weight: int
    created_at: datetime
    category_id: int | None
    topic_id: int | None
    source_id: int | None
    name: str
    slug: str
    topic_kind: str  # a topic's kind ("" for a category or a source)

    @property
    def target(self) -> Target:
        if self.category_id is not None:
            return ("category", self.category_id)
        if self.topic_id is not None:
            return ("topic", self.topic_id)
        assert self.source_id is not None, "a follow has exactly one target (follow_exactly_one_target)"
        return ("source", self.source_id)


@dataclass(frozen=True, slots=True)
class FollowList:
    """A profile's follows and mutes, read once (with their targets' names)."""

    follows: tuple[FollowRow, ...] = ()
    mutes: tuple[FollowRow, ...] = ()

    @property
    def states(self) -> dict[str, dict[int, str]]:
        """{'category': {id: action}, 'topic': {...}, 'source': {...}}, as services.followed_ids()."""
        return follow_states((*self.follows, *self.mutes))

    @property
    def followed(self) -> Followed:
        return Followed.from_states(self.states)

    def names(self) -> dict[Target, str]:
        """The name of each followed or muted target, by (kind, id), from the rows already loaded."""
        return {row.target: row.name for row in (*self.follows, *self.mutes)}

    def newest(self, limit: int) -> tuple[list[Follow], list[Follow]]:
        """The newest `limit` follows and the newest `limit` mutes (created_at, then id), as Follow objects with
        their targets (id, name, slug and a topic's kind; other fields load when asked for), for the side panel:
        from the rows already read, no query."""
        return [_follow(row) for row in _newest(self.follows, limit)], [
            _follow(row) for row in _newest(self.mutes, limit)
        ]


def _follow(row: FollowRow) -> Follow:
    follow = _partial(
        Follow,
        id=row.pk,
        action=row.action,
        weight=row.weight,
        created_at=row.created_at,
        category_id=row.category_id,
        topic_id=row.topic_id,
        source_id=row.source_id,
    )
    if row.category_id is not None:
        follow.category = _partial(Category, id=row.category_id, name=row.name, slug=row.slug)
    elif row.topic_id is not None:
        follow.topic = _partial(Topic, id=row.topic_id, name=row.name, slug=row.slug, kind=row.topic_kind)
    elif row.source_id is not None:
        follow.source = _partial(Source, id=row.source_id, name=row.name, slug=row.slug)
    return follow


def _partial(model: type[M], **values: object) -> M:
    """An instance with these fields as read (the others deferred: they load when asked for, as with only())."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(None, names, [values[name] for name in names])


def _newest(rows: Sequence[FollowRow], limit: int) -> list[FollowRow]:
    return sorted(rows, key=lambda row: (row.created_at, row.pk), reverse=True)[:limit]


@dataclass(frozen=True, slots=True)
class MyNews:
    """Ranked article ids, best first, one per story, and why each is there (a list page pages the ids)."""

    following: FollowList
    article_ids: list[int] = field(default_factory=list)
    reasons: Mapping[int, Reason] = field(default_factory=dict)

    def why(self, article_ids: Sequence[int]) -> dict[int, str]:
        """A few words for each of these (a page of) articles: two queries at most, for names not yet loaded."""
        reasons = {pk: self.reasons[pk] for pk in article_ids if pk in self.reasons}
        names = self.following.names()
        names.update(_names(targets_to_name(r for r in reasons.values() if r.target not in names)))
        return {pk: explain(reason, names) for pk, reason in reasons.items()}


def _names(wanted: Mapping[str, set[int]]) -> dict[Target, str]:
    found: dict[Target, str] = {}
    for kind, model in (("category", Category), ("topic", Topic)):
        if wanted.get(kind):
            for pk, name in model.objects.filter(pk__in=wanted[kind]).values_list("pk", "name"):
                found[(kind, pk)] = name
    return found


def _ranked(following: FollowList, ranked: Iterable[Ranked]) -> MyNews:
    listed = list(ranked)
    return MyNews(following, [r.article_id for r in listed], {r.article_id: r.reason for r in listed})


def read_follows(profile: Profile | None) -> FollowList:
    """The one query on the follows table (rows, with their targets' names)."""
    if profile is None:
        return FollowList()
    read = Follow.objects.filter(profile=profile).values_list(*_ROW_FIELDS)
    rows = [
        FollowRow(
            pk, action, weight, at, category, topic, source, n1 or n2 or n3 or "", s1 or s2 or s3 or "", kind or ""
        )
        for pk, action, weight, at, category, topic, source, n1, n2, n3, s1, s2, s3, kind in read
    ]
    return FollowList(
        follows=tuple(f for f in rows if f.action == FollowAction.FOLLOW),
        mutes=tuple(f for f in rows if f.action != FollowAction.FOLLOW),
    )


_ROW_FIELDS = (
    "pk",
    "action",
    "weight",
    "created_at",
    "category_id",
    "topic_id",
    "source_id",
    "category__name",
    "topic__name",
    "source__name",
    "category__slug",
    "topic__slug",
    "source__slug",
    "topic__kind",
)
_FOLLOW_FIELDS = ["id", "action", "weight", "created_at"]


def without_keyword_muted(
    profile: Profile | None, candidates: Sequence[Candidate], rules: Sequence[tuple[str, bool]] | None = None
) -> list[Candidate]:
    """The candidates a muted word of the profile does not hide, before ranking (one query, none without rules;
    rules: the profile's keyword_rules() when already read)."""
    matcher = None if rules is None else rules_matcher(rules)
    kept = set(drop_keyword_muted(profile, [c.article_id for c in candidates], matcher))
    return [c for c in candidates if c.article_id in kept]


def load_my_news(profile: Profile | None, now: datetime, generation: str | None = None) -> MyNews:
    """The profile's follows and its My News, best first, one per story (personalization.candidates' queries,
    ranked once per reader and generation: personalization.ranked_cache), without what the muted words hide.
    generation: personalization.candidates.pools_generation(now), when the caller has read it already."""
    following = read_follows(profile)
    reader = read_profile(profile, (*following.follows, *following.mutes))
    rules = keyword_rules(profile)
    ranked = ranked_for(
        reader,
        now,
        lambda generation: rank(
            without_keyword_muted(profile, personal_candidates(reader, now, generation), rules), reader, now
        ),
        varies_with=rules,
        generation=generation,
    )
    return _ranked(following, ranked)


def load_top_stories(profile: Profile | None, now: datetime) -> MyNews:
    """The home page: stories ranked by coverage and freshness for everyone; a known visitor's mutes, muted words
    and hidden stories or articles are left out, their interests are not used."""
    following = read_follows(profile)
    reader = read_profile(profile, (*following.follows, *following.mutes), with_interests=False).exclusions_only()
    candidates = without_keyword_muted(profile, home_candidates(now))
    return _ranked(following, rank(candidates, reader, now))


def ranked_article_ids(profile: Profile | None, now: datetime) -> list[int]:
    return load_my_news(profile, now).article_ids


def articles_in_order(ids: list[int], for_cards: bool = False) -> list[Article]:
    """The articles with these ids, ready for summaries (or, for_cards, for cards only: no body), in the given
    order."""
    articles = Article.objects.filter(pk__in=ids)
    by_id = {a.pk: a for a in (articles.for_web_cards() if for_cards else articles.for_listing())}
    return [by_id[i] for i in ids if i in by_id]
