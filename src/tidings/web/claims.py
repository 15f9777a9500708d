"""The article page's claims ledger: the "Who says what" panel (claims grouped by speaker) and the standfirst and
body cut into segments with each claim's content marked. Values only: the template escapes every text."""

from __future__ import annotations

from dataclasses import dataclass, field

from tidings.articles.models import Article
from tidings.stories.claim_display import cue_phrase, speaker_label, text_between
from tidings.stories.ledger import (
    BODY,
    STANDFIRST,
    Mark,
    Part,
    Segment,
    group_keys,
    segments,
    speaker_of,
    text_parts,
)
from tidings.stories.models import Claim
from tidings.taxonomy.models import Topic

UNATTRIBUTED = "unattributed"


@dataclass(slots=True)
class SpeakerGroup:
    name: str
    topic: Topic | None
    claims: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class ArticleLedger:
    groups: list[SpeakerGroup]  # attributed claims by speaker, in order of first claim
    unattributed: list[Claim]  # nobody named: treat with care
    standfirst: list[Segment]
    paragraphs: list[list[Segment]]

    @property
    def count(self) -> int:
        return sum(len(g.claims) for g in self.groups) + len(self.unattributed)


def article_ledger(article: Article) -> ArticleLedger:
    """The article's stored claims as the page shows them (one query)."""
    claims = list(Claim.objects.filter(article=article).select_related("speaker_topic").order_by("order"))
    paragraphs = article.paragraphs
    parts = text_parts(article.headline, article.standfirst, paragraphs)
    for claim in claims:
        set_cue_phrase(claim, parts)
    groups: dict[object, SpeakerGroup] = {}
    direct = [c for c in claims if not c.via_text]  # a nested claim reads in its reporter's content
    said = [c for c in direct if c.attributed and c.speaker_text]
    unattributed = [c for c in direct if not (c.attributed and c.speaker_text)]
    for claim, key in zip(said, group_keys([speaker_of(c) for c in said]), strict=True):
        topic = claim.speaker_topic  # loaded with the claim
        group = groups.get(key)
        if group is None:
            group = groups[key] = SpeakerGroup(topic.name if topic else speaker_label(claim.speaker_text), topic)
        if group.topic is None and topic is not None:  # a named form came first ("Jonas Ojukwu, the CTO")
            group.name, group.topic = topic.name, topic
        group.claims.append(claim)
    marks: dict[tuple[str, int], list[Mark]] = {}
    for part in parts:
        marks[(part.name, part.index)] = []
    for claim in claims:
        where = next((p for p in parts if (p.name, p.index) == (claim.part, claim.paragraph)), None)
        if where is None:
            continue
        start, end = claim.content_start - where.start, claim.content_end - where.start
        if where.text[max(start, 0) : max(end, 0)] != claim.content_text:
            continue  # the article changed since the claims were found: no mark rather than a wrong one
        speaker = claim.speaker_topic.name if claim.speaker_topic else speaker_label(claim.speaker_text)
        cue = getattr(claim, "cue_title", claim.cue_text)
        marks[(where.name, where.index)].append(
            Mark(start, end, claim.kind, speaker or UNATTRIBUTED, cue, claim.attributed, claim.pk)
        )
    return ArticleLedger(
        groups=list(groups.values()),
        unattributed=unattributed,
        standfirst=segments(article.standfirst, marks.get((STANDFIRST, 0), [])) if article.standfirst else [],
        paragraphs=[segments(text, marks.get((BODY, i), [])) for i, text in enumerate(paragraphs)],
    )


def set_cue_phrase(claim: Claim, parts: list[Part]) -> None:
    """Give `claim` a `cue_phrase` attribute for the ledger lines: its cue with the particle that ties it to its
    content ("calls for"), or with a colon when the content does not follow it, "according to" with its speaker
    (`stories.claim_display.cue_phrase`); and `cue_title`, the cue alone for a mark's title, which names the
    speaker already ("Police — according to (report)")."""
    between = text_between(parts, claim.cue_end, claim.content_start)
    claim.cue_phrase = cue_phrase(claim.cue_text, between, claim.speaker_text)  # type: ignore[attr-defined]
    claim.cue_title = cue_phrase(claim.cue_text, between).rstrip(":")  # type: ignore[attr-defined]
