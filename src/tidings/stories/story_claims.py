"""A story's claims ledger: every outlet's claims grouped by speaker, and the figures that differ between them.

Speakers are grouped by `ledger.group_keys`: by their linked topic when there is one, else with a topic of the
story one of whose names or aliases the speaker's key or form is ("Russia's defence ministry" with Russian
Defense Ministry, `speaker_forms`), or whose person name it ends with or is the last name of ("Putin"), else by
the speaker text's form (no leading "the", no possessive, no apposition or title, casefolded, country and
spelling made one: `ledger.speaker_key`, `speaker_forms.speaker_form`); a bare "the ministry" then joins the one
ministry of the story, if only one. Claims nobody is named
for form their own group, shown last as "Unattributed: treat with care". A claim made inside another's content
("Police said [the judge had ordered …]", `Claim.via_text`) is not its inner speaker's own: it is read, and its
figures counted, in the outer claim. Groups come in order of their first
claim in the story's timeline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tidings.articles.models import Article
from tidings.sources.models import Source
from tidings.stories.claim_display import cue_phrase, speaker_label, text_between
from tidings.stories.figures import Conflict, Statement, conflicting_figures
from tidings.stories.ledger import group_keys, speaker_of, text_parts
from tidings.stories.models import Claim
from tidings.taxonomy.models import Alias, Topic

UNATTRIBUTED_NAME = "Unattributed: treat with care"


@dataclass(slots=True)
class StorySpeaker:
    name: str
    topic: Topic | None
    attributed: bool
    claims: list[Claim] = field(default_factory=list)  # each with .article (and its source) loaded

    @property
    def outlets(self) -> list[Source]:
        """The outlets quoting this speaker, in order of their first claim."""
        seen: dict[int, Source] = {}
        for claim in self.claims:
            seen.setdefault(claim.article.source_id, claim.article.source)
        return list(seen.values())


@dataclass(frozen=True, slots=True)
class StoryLedger:
    speakers: tuple[StorySpeaker, ...]  # attributed speakers, then the unattributed group if any
    conflicts: tuple[Conflict[Claim], ...]

    @property
    def count(self) -> int:
        return sum(len(s.claims) for s in self.speakers)


def speaker_name(claim: Claim) -> str:
    """How the claim's speaker is shown: its topic's name, else the text; "" when nobody is named."""
    if not claim.attributed or not claim.speaker_text:
        return ""
    return claim.speaker_topic.name if claim.speaker_topic is not None else speaker_label(claim.speaker_text)


def group_by_speaker(claims: Iterable[Claim], aliases: Mapping[int, Iterable[str]] | None = None) -> list[StorySpeaker]:
    """Claims (in the order given) grouped by speaker (`aliases`: alias keys of their speaker topics, by topic
    pk); the unattributed ones last, in one group."""
    groups: dict[object, StorySpeaker] = {}
    unattributed = StorySpeaker(UNATTRIBUTED_NAME, None, attributed=False)
    claims = list(claims)
    said = [c for c in claims if c.attributed and c.speaker_text]
    unattributed.claims.extend(c for c in claims if not (c.attributed and c.speaker_text))
    for claim, key in zip(said, group_keys([speaker_of(c) for c in said], aliases), strict=True):
        topic = claim.speaker_topic
        group = groups.get(key)
        if group is None:
            group = groups[key] = StorySpeaker(speaker_name(claim), topic, attributed=True)
        if group.topic is None and topic is not None:  # a named form came first ("Jonas Ojukwu, the CTO")
            group.name, group.topic = topic.name, topic
        group.claims.append(claim)
    found = list(groups.values())
    return [*found, unattributed] if unattributed.claims else found


def story_conflicts(claims: Iterable[Claim]) -> list[Conflict[Claim]]:
    statements = [Statement(c.content_text, c.article.source.name, speaker_name(c), c) for c in claims]
    return conflicting_figures(statements)


def story_ledger(articles: Sequence[Article]) -> StoryLedger:
    """The ledger of the given articles (loaded with their sources), in one query."""
    by_id = {a.pk: a for a in articles}
    if not by_id:
        return StoryLedger((), ())
    claims = list(Claim.objects.filter(article_id__in=by_id).select_related("speaker_topic"))
    position = {pk: i for i, pk in enumerate(by_id)}  # the timeline's order
    claims.sort(key=lambda c: (position[c.article_id], c.order))
    claims = [c for c in drop_repeats(claims) if not c.via_text]  # a nested claim reads in its reporter's content
    parts = {pk: text_parts(article.headline, article.standfirst, article.paragraphs) for pk, article in by_id.items()}
    for claim in claims:
        claim.article = by_id[claim.article_id]  # already loaded: no query per claim
        between = text_between(parts[claim.article_id], claim.cue_end, claim.content_start)
        claim.cue_phrase = cue_phrase(claim.cue_text, between, claim.speaker_text)  # type: ignore[attr-defined]
    return StoryLedger(tuple(group_by_speaker(claims, speaker_aliases(claims))), tuple(story_conflicts(claims)))


def drop_repeats(claims: Iterable[Claim]) -> list[Claim]:
    """The claims without those an article repeats: the same speaker's same words again in one article (a
    standfirst restating the body, say) read once in the ledger and count once among the figures."""
    seen: set[tuple[int, str, str]] = set()
    kept: list[Claim] = []
    for claim in claims:
        key = (claim.article_id, _folded(claim.speaker_text if claim.attributed else ""), _folded(claim.content_text))
        if key not in seen:
            seen.add(key)
            kept.append(claim)
    return kept


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".")


def speaker_aliases(claims: Iterable[Claim]) -> dict[int, list[str]]:
    """The alias keys of the claims' speaker topics, by topic pk (one query; none when no claim has a topic)."""
    topics = {c.speaker_topic_id for c in claims if c.speaker_topic_id is not None}
    found: dict[int, list[str]] = defaultdict(list)
    if topics:
        for topic_id, key in Alias.objects.filter(topic_id__in=topics).values_list("topic_id", "key"):
            found[topic_id].append(key)
    return dict(found)
