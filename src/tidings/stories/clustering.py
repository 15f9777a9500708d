"""Pure: online story clustering. One article at a time joins the best story, starts one, or bridges two.

An article arrives as `ArticleSignals`: its unit sentence embedding (the enrichment's MiniLM vector), the
names it is linked to as "kind:name" keys (stories.assign gives the people and places; each kind has a
weight in `Params.kind_weights`: people 1.0, places 0.25, organisations 0, since similar but distinct
events share places and organisations more than people), and its publication time (None when unknown).
`StoryIndex` keeps, for the stories inside the time window, the unit centroid of their members' vectors in
one float32 matrix, how many members name each name, and the first and last publication time.
Assigning an article:

1. candidates: one matrix-vector product against the centroids of the stories whose time span, widened by
   `window_seconds` each side, holds the article (a story or article without a time is always inside);
   the `candidates` best by cosine above `min_cosine`;
2. each candidate is scored by `story_score`: cosine + entity_weight * (entity overlap - entity_prior),
   the overlap (`entity_overlap`, 0..1) being the share of the article's names that the story's members
   name too, each name weighted by its rarity times its kind's weight (an article naming nothing gets
   `entity_prior`: no bonus, no penalty);
3. `decide`: the best candidate at or above `join` is joined; every other candidate at or above `merge`
   is merged into it (the article bridges them); below `join` the article starts a new story.

`decide`, `story_score`, `entity_overlap` and `rarity` are pure; the index is the only state and holds no
Django. `split_story` (pure) tells when a story's members hold two events; stories.editing applies it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from tidings.stories.places import COUNTRY

DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class ArticleSignals:
    article_id: int
    vector: np.ndarray  # unit-length float32
    entities: frozenset[str] = frozenset()  # names as "kind:name" (casefolded), weighed by Params.kind_weights
    published: float | None = None  # unix seconds
    places: frozenset[str] = frozenset()  # where: stories.places.place_scope (places with their countries)


@dataclass(frozen=True, slots=True)
class Params:
    """Chosen by `bench/clustering.py --tune` on its tuning parts only (ECB+ odd topics, the farm's stories
    with an even sha1): the best ECB+ F1 among those keeping the farm's at 0.95 or more; docs/design.md says
    what else was tried."""

    join: float = 0.725
    merge: float = 0.825
    entity_weight: float = 1.0
    entity_prior: float = 0.2
    window_seconds: float = 3 * DAY
    min_cosine: float = 0.25
    candidates: int = 8
    # weight of a name by its kind, the part of its key before ":" ("person:ada lovelace"); a key without a
    # kind weighs 1.0, a kind not listed 0.0. Places count little and organisations not at all (two similar
    # events share a city and its fire service; the people differ); the figures and days of the lead
    # (stories.facts) tell apart two events of one kind.
    kind_weights: tuple[tuple[str, float], ...] = (("person", 1.0), ("place", 0.25), ("number", 2.0), ("date", 0.5))
    # similarity to a story: max(centroid cosine, nearest member's cosine - member_margin); None: centroid only
    member_margin: float | None = None
    # subtracted from the score of a story when the article and the story both name places and share none
    # (stories.places: a city and its country are one place): two reports of one kind in different places
    place_conflict: float = 0.0
    # subtracted when both name countries (a place counts for the country holding it, stories.places) and share
    # none: the coarser test, blind to places the gazetteer does not know. 0.3 chosen by --tune-countries on the
    # tuning parts (ECB+ unchanged at every value, farm and demo up; docs/design.md)
    country_conflict: float = 0.3

    def kind_weight(self, key: str) -> float:
        kind, sep, _name = key.partition(":")
        if not sep:
            return 1.0
        return next((w for k, w in self.kind_weights if k == kind), 0.0)


@dataclass(frozen=True, slots=True)
class Candidate:
    story_id: int
    cosine: float
    overlap: float | None  # None: the article names no entity
    conflict: bool = False  # both name places (with their countries) and share none
    country_conflict: bool = False  # both name countries and share none


@dataclass(frozen=True, slots=True)
class Decision:
    story_id: int | None  # None: start a new story
    score: float  # the best candidate's score (0.0 when there was none)
    merged: tuple[int, ...] = ()  # stories to fold into story_id


def entity_overlap(
    article: Iterable[str], named: Mapping[str, int], size: int, rarity_of: Callable[[str], float]
) -> float | None:
    """Share of the article's names found in the story, each counted by the share of the story's `size`
    members naming it (`named`: name -> members) and weighted by its rarity (a name many stories share
    says less than one only this story has). None when the article names nothing. Salience is left out
    on purpose: the names that tell two similar events apart, the people, are often the less salient
    ones. (Chosen over a weighted Jaccard that also counts the story's names missing from the article,
    and over squared rarity, on the tuning parts of bench/clustering.py.)"""
    keys = set(article)
    if not keys or size <= 0:
        return None
    shared = total = 0.0
    for key in keys:
        weight = rarity_of(key)
        shared += weight * min(named.get(key, 0), size) / size
        total += weight
    return shared / total if total > 0 else None


def rarity(document_frequency: Mapping[str, int], documents: int) -> Callable[[str], float]:
    """Inverse document frequency among `documents` articles seen, 1.0 for a name no article had yet:
    log((documents + 2) / (df + 1)) / log(documents + 2)."""
    top = math.log(documents + 2)

    def of(key: str) -> float:
        return math.log((documents + 2) / (document_frequency.get(key, 0) + 1)) / top

    return of


def story_score(candidate: Candidate, params: Params) -> float:
    overlap = params.entity_prior if candidate.overlap is None else candidate.overlap
    penalty = params.place_conflict if candidate.conflict else 0.0
    penalty += params.country_conflict if candidate.country_conflict else 0.0
    return candidate.cosine + params.entity_weight * (overlap - params.entity_prior) - penalty


def place_conflict(article: frozenset[str], story: Iterable[str]) -> bool:
    """Both sides name places and none is shared (the scopes of stories.places.place_scope)."""
    story_places = set(story)
    return bool(article) and bool(story_places) and article.isdisjoint(story_places)


def country_conflict(article: frozenset[str], story: Iterable[str]) -> bool:
    """Both sides name countries ("country:" keys of stories.places.place_scope) and none is shared."""
    mine = {key for key in article if key.startswith(COUNTRY)}
    theirs = {key for key in story if key.startswith(COUNTRY)}
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)


def decide(candidates: Sequence[Candidate], params: Params) -> Decision:
    """Join the best-scoring candidate at or above `join`, merging the others at or above `merge`."""
    if not candidates:
        return Decision(None, 0.0)
    scored = sorted(((story_score(c, params), c.story_id) for c in candidates), reverse=True)
    best_score, best = scored[0]
    if best_score < params.join:
        return Decision(None, best_score)
    merged = tuple(story_id for score, story_id in scored[1:] if score >= params.merge)
    return Decision(best, best_score, merged)


@dataclass(slots=True)
class _Story:
    row: int
    total: np.ndarray  # sum of member vectors
    size: int = 0
    named: Counter[str] = field(default_factory=Counter)  # entity key -> members naming it
    places: Counter[str] = field(default_factory=Counter)  # place scope key -> members naming it
    members: list[int] = field(default_factory=list)
    vectors: list[np.ndarray] = field(default_factory=list)  # members' unit vectors (nearest-member similarity)


class StoryIndex:
    """The stories inside the time window: unit centroids in one matrix, entity shares, time spans."""

    def __init__(self, dimensions: int, params: Params | None = None, capacity: int = 1024) -> None:
        self.params = params or Params()
        self.dimensions = dimensions
        self._matrix = np.zeros((capacity, dimensions), dtype=np.float32)
        self._first = np.full(capacity, np.inf)  # +inf / -inf: no time known yet
        self._last = np.full(capacity, -np.inf)
        self._story_of_row = np.full(capacity, -1, dtype=np.int64)  # -1: free row
        self._rows = 0
        self._stories: dict[int, _Story] = {}
        self._story_of_article: dict[int, int] = {}
        self._document_frequency: Counter[str] = Counter()  # entity key -> articles seen naming it
        self._articles = 0
        self._next_id = 1

    def __len__(self) -> int:
        return len(self._stories)

    def story_of(self, article_id: int) -> int | None:
        return self._story_of_article.get(article_id)

    def members(self, story_id: int) -> list[int]:
        return list(self._stories[story_id].members)

    def clusters(self) -> dict[int, list[int]]:
        return {story_id: list(story.members) for story_id, story in self._stories.items()}

    def candidates(self, article: ArticleSignals) -> list[Candidate]:
        if not self._rows:
            return []
        params = self.params
        # einsum, not `@`: one thread, no BLAS pool (a threaded sgemv is slower on a busy host; see enrichment.vectors).
        sims = np.einsum("ij,j->i", self._matrix[: self._rows], article.vector.astype(np.float32, copy=False))
        ok = self._story_of_row[: self._rows] >= 0
        ok &= sims >= params.min_cosine
        if article.published is not None:
            t = article.published
            ok &= (self._first[: self._rows] - params.window_seconds <= t) | np.isinf(self._first[: self._rows])
            ok &= (self._last[: self._rows] + params.window_seconds >= t) | np.isinf(self._last[: self._rows])
        rows = np.flatnonzero(ok)
        if len(rows) > params.candidates:
            rows = rows[np.argpartition(-sims[rows], params.candidates - 1)[: params.candidates]]
        found = []
        idf = rarity(self._document_frequency, self._articles)

        def weight_of(key: str) -> float:
            return params.kind_weight(key) * idf(key)

        for row in rows:
            story = self._stories[int(self._story_of_row[row])]
            overlap = entity_overlap(article.entities, story.named, story.size, weight_of)
            similarity = float(sims[row])
            if params.member_margin is not None and story.size > 1:
                nearest = float(np.max(np.einsum("ij,j->i", np.asarray(story.vectors), article.vector)))
                similarity = max(similarity, nearest - params.member_margin)
            conflict = place_conflict(article.places, story.places)
            apart = country_conflict(article.places, story.places)
            found.append(Candidate(int(self._story_of_row[row]), similarity, overlap, conflict, apart))
        return found

    def assign(self, article: ArticleSignals) -> Decision:
        """Decide for one article and apply the decision; returns it (story_id filled in when new)."""
        if article.article_id in self._story_of_article:
            return Decision(self._story_of_article[article.article_id], 1.0)
        decision = decide(self.candidates(article), self.params)
        story_id = decision.story_id
        if story_id is None:
            story_id = self._new_story()
        for other in decision.merged:
            self._merge(story_id, other)
        self._add(story_id, article)
        return Decision(story_id, decision.score, decision.merged)

    def add_story(self, members: Sequence[ArticleSignals]) -> int:
        """Load one stored story as it is (no decision): how a process fills its index at start-up."""
        story_id = self._new_story()
        for article in members:
            self._add(story_id, article)
        return story_id

    def evict_before(self, cutoff: float) -> int:
        """Forget stories whose last article was published before `cutoff` (they stay stored elsewhere);
        compacts the matrix. Returns how many were forgotten."""
        gone = [
            sid for sid, s in self._stories.items() if self._last[s.row] < cutoff and np.isfinite(self._last[s.row])
        ]
        for story_id in gone:
            story = self._stories.pop(story_id)
            self._story_of_row[story.row] = -1
            for article_id in story.members:
                self._story_of_article.pop(article_id, None)
        self._compact()
        return len(gone)

    def _new_story(self) -> int:
        story_id = self._next_id
        self._next_id += 1
        if self._rows == len(self._matrix):
            self._compact()
            if self._rows == len(self._matrix):
                self._grow(2 * len(self._matrix))
        row = self._rows
        self._rows += 1
        self._story_of_row[row] = story_id
        self._first[row], self._last[row] = np.inf, -np.inf
        self._matrix[row] = 0.0
        self._stories[story_id] = _Story(row, np.zeros(self.dimensions, dtype=np.float64))
        return story_id

    def _add(self, story_id: int, article: ArticleSignals) -> None:
        story = self._stories[story_id]
        story.total += article.vector
        story.size += 1
        story.named.update(article.entities)
        story.places.update(article.places)
        story.members.append(article.article_id)
        story.vectors.append(article.vector)
        self._story_of_article[article.article_id] = story_id
        self._document_frequency.update(article.entities)
        self._articles += 1
        self._refresh_row(story)
        if article.published is not None:
            self._first[story.row] = min(self._first[story.row], article.published)
            self._last[story.row] = max(self._last[story.row], article.published)

    def _merge(self, into: int, other: int) -> None:
        keep, gone = self._stories[into], self._stories.pop(other)
        keep.total += gone.total
        keep.size += gone.size
        keep.named.update(gone.named)
        keep.places.update(gone.places)
        keep.members.extend(gone.members)
        keep.vectors.extend(gone.vectors)
        for article_id in gone.members:
            self._story_of_article[article_id] = into
        self._first[keep.row] = min(self._first[keep.row], self._first[gone.row])
        self._last[keep.row] = max(self._last[keep.row], self._last[gone.row])
        self._story_of_row[gone.row] = -1
        self._refresh_row(keep)

    def _refresh_row(self, story: _Story) -> None:
        norm = float(np.linalg.norm(story.total))
        self._matrix[story.row] = story.total / norm if norm else 0.0

    def _compact(self) -> None:
        live = np.flatnonzero(self._story_of_row[: self._rows] >= 0)
        if len(live) == self._rows:
            return
        count = len(live)
        self._matrix[:count] = self._matrix[live]
        self._first[:count] = self._first[live]
        self._last[:count] = self._last[live]
        self._story_of_row[:count] = self._story_of_row[live]
        self._story_of_row[count : self._rows] = -1
        self._rows = count
        for row in range(count):
            self._stories[int(self._story_of_row[row])].row = row

    def _grow(self, capacity: int) -> None:
        def grown(array: np.ndarray, fill: float) -> np.ndarray:
            bigger = np.full((capacity, *array.shape[1:]), fill, dtype=array.dtype)
            bigger[: len(array)] = array
            return bigger

        self._matrix = grown(self._matrix, 0.0)
        self._first = grown(self._first, np.inf)
        self._last = grown(self._last, -np.inf)
        self._story_of_row = grown(self._story_of_row, -1)


def pair_score(a: ArticleSignals, b: ArticleSignals, params: Params) -> float:
    """`story_score` between two articles: their cosine plus the entity term, the overlap being the mean of
    the share of each one's names (kind-weighted) that the other names too (prior when neither names any)."""
    shares = []
    for one, other in ((a, b), (b, a)):
        total = sum(params.kind_weight(k) for k in one.entities)
        if total > 0:
            shares.append(sum(params.kind_weight(k) for k in one.entities & other.entities) / total)
    overlap = sum(shares) / len(shares) if shares else None
    conflict, apart = place_conflict(a.places, b.places), country_conflict(a.places, b.places)
    return story_score(Candidate(0, float(np.dot(a.vector, b.vector)), overlap, conflict, apart), params)


def group_score(article: ArticleSignals, group: Sequence[ArticleSignals], params: Params) -> float:
    """How `article` would score against `group` as a story (`story_score` on the group's unit centroid and
    its members' names, names weighted by kind only: one story holds no corpus to weigh rarity)."""
    total = np.sum([m.vector for m in group], axis=0)
    norm = float(np.linalg.norm(total))
    cosine = float(np.dot(article.vector, total / norm)) if norm else 0.0
    named: Counter[str] = Counter()
    for member in group:
        named.update(member.entities)
    overlap = entity_overlap(article.entities, named, len(group), params.kind_weight)
    places = [p for member in group for p in member.places]
    conflict, apart = place_conflict(article.places, places), country_conflict(article.places, places)
    return story_score(Candidate(0, cosine, overlap, conflict, apart), params)


def split_story(members: Sequence[ArticleSignals], params: Params) -> list[list[int]]:
    """The story's article ids in two groups when its members hold two events, else in one group.

    Grouping: average-link agglomeration on `pair_score` down to two groups. The rule for splitting, the
    online join rule read both ways: no member of either group scores `join` or more against the other group
    as a story (`group_score`: it would not have joined it), and every member of a group of two or more scores
    at least `join` against the rest of its own group (each group holds together). A group may be one article
    (an outlier that does not belong). Larger group first; ties by the smallest article id.
    """
    items = list(members)
    everyone = [[m.article_id for m in items]]
    if len(items) < 2:
        return everyone
    n = len(items)
    pair = np.array([[pair_score(a, b, params) for b in items] for a in items])
    groups: list[list[int]] = [[i] for i in range(n)]
    sums = pair.copy()  # sums[g, h]: total pair score between groups g and h
    np.fill_diagonal(sums, 0.0)
    alive = list(range(n))
    while len(alive) > 2:
        best, pick = -np.inf, (0, 0)
        for x, g in enumerate(alive):
            for h in alive[x + 1 :]:
                average = sums[g, h] / (len(groups[g]) * len(groups[h]))
                if average > best:
                    best, pick = average, (g, h)
        g, h = pick
        groups[g].extend(groups[h])
        sums[g, :] += sums[h, :]
        sums[:, g] += sums[:, h]
        sums[g, g] = 0.0
        alive.remove(h)
    sides = [[items[i] for i in groups[g]] for g in alive]
    for side, other in ((sides[0], sides[1]), (sides[1], sides[0])):
        if any(group_score(m, other, params) >= params.join for m in side):
            return everyone
        if len(side) > 1 and any(group_score(m, [o for o in side if o is not m], params) < params.join for m in side):
            return everyone
    out = [sorted(m.article_id for m in side) for side in sides]
    return sorted(out, key=lambda ids: (-len(ids), ids[0]))
