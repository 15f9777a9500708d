"""GET /api/articles/{id}/claims: the claims ledger of one article (who says what, where in the text)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from tidings.api.errors import NotFound
from tidings.api.params import MAX_ID
from tidings.api.schemas import Error
from tidings.articles.models import Article
from tidings.stories.models import Claim

router = Router(tags=["claims"])


class SpanOut(Schema):
    text: str
    start: int
    end: int


class SpeakerTopicOut(Schema):
    id: int
    name: str
    slug: str
    kind: str


class ClaimOut(Schema):
    speaker: SpanOut | None
    speaker_topic: SpeakerTopicOut | None
    cue: SpanOut
    content: SpanOut
    quote: bool
    kind: str
    attributed: bool
    part: str  # headline, standfirst or body
    paragraph: int  # the body paragraph (0 outside the body)
    via: str | None  # who reports it when it is made inside another claim's content ("Police said the judge …")


class ClaimsOut(Schema):
    article: int
    offsets: str  # what the offsets count into
    claims: list[ClaimOut]


OFFSETS = "characters into the headline, standfirst and body paragraphs joined by blank lines (empty parts left out)"


def claim_out(claim: Claim) -> dict[str, Any]:
    """One stored claim as the API gives it (its speaker topic loaded with it)."""
    topic = claim.speaker_topic
    return {
        "speaker": {"text": claim.speaker_text, "start": claim.speaker_start, "end": claim.speaker_end}
        if claim.speaker_text and claim.speaker_start is not None and claim.speaker_end is not None
        else None,
        "speaker_topic": {"id": topic.pk, "name": topic.name, "slug": topic.slug, "kind": topic.kind}
        if topic is not None
        else None,
        "cue": {"text": claim.cue_text, "start": claim.cue_start, "end": claim.cue_end},
        "content": {"text": claim.content_text, "start": claim.content_start, "end": claim.content_end},
        "quote": claim.quote,
        "kind": claim.kind,
        "attributed": claim.attributed,
        "part": claim.part,
        "paragraph": claim.paragraph,
        "via": claim.via_text or None,
    }


@router.get(
    "/articles/{article_id}/claims",
    response={200: ClaimsOut, 404: Error, 422: Error},
    summary="One article's claims: speaker, cue, content, quote or paraphrase, kind",
)
def article_claims(request: HttpRequest, article_id: int) -> dict[str, Any]:
    exists = 1 <= article_id <= MAX_ID and Article.objects.filter(pk=article_id).exists()
    if not exists:
        raise NotFound(f"no article {article_id}")
    claims = Claim.objects.filter(article_id=article_id).select_related("speaker_topic").order_by("order")
    return {"article": article_id, "offsets": OFFSETS, "claims": [claim_out(c) for c in claims]}
