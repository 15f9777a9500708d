"""The article page's claims: the "Who says what" panel and the marked statements in the text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import TopicFactory
from tidings.enrichment.stage import ArticleText
from tidings.stories.models import Claim
from tidings.taxonomy.models import TopicKind

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    'The ministry said "the <b>strikes</b> hit their targets" on Monday.',
    "Rebels reportedly killed 300 fighters.",
]


def claim_on(article, order: int, text: str, content: str, speaker: str | None, **fields) -> Claim:
    """A claim whose offsets are found in the article's enrichment text, as the stage stores them."""
    full = ArticleText(article.pk, article.headline, tuple(article.paragraphs), standfirst=article.standfirst).text
    start = full.index(content)
    values = {
        "cue_text": fields.pop("cue", "said"),
        "cue_start": 0,
        "cue_end": 1,
        "content_text": content,
        "content_start": start,
        "content_end": start + len(content),
        "kind": "report",
        "part": "body",
        "paragraph": next(i for i, p in enumerate(article.paragraphs) if content in p),
        "speaker_text": speaker or "",
        "speaker_start": 0 if speaker else None,
        "speaker_end": len(speaker) if speaker else None,
        "attributed": speaker is not None,
    }
    values.update(fields)
    return Claim.objects.create(article=article, order=order, **values)


def test_the_panel_groups_claims_by_speaker_and_flags_unattributed_ones(client) -> None:
    article = ArticleFactory(headline="Strikes", standfirst="", body_text="\n\n".join(PARAGRAPHS))
    ministry = TopicFactory(name="Russian Defense Ministry", kind=TopicKind.ORGANISATION)
    claim_on(article, 0, "", "the <b>strikes</b> hit their targets", "The ministry", speaker_topic=ministry, quote=True)
    claim_on(article, 1, "", "killed 300 fighters", None, cue="reportedly")
    html = client.get(reverse("web:article", args=[article.pk])).content.decode()
    assert "Who says what" in html
    panel = html[html.index('id="who-says-what"') :]
    assert f'href="{ministry.get_absolute_url()}">Russian Defense Ministry</a>' in panel
    assert 'data-follow="topic-' + ministry.slug + '"' in panel  # the same follow button as any topic chip
    assert "Unattributed: treat with care" in panel
    # Marked in the text, escaped: the stored "<b>" is text, never markup.
    body = html[html.index('class="story-body"') : html.index('id="who-says-what"')]
    assert '<mark class="claim claim-report"' in body
    assert "the &lt;b&gt;strikes&lt;/b&gt; hit their targets</mark>" in body
    assert '<span class="claim-by">Russian Defense Ministry</span>' in body
    assert "claim-unattributed" in body and "killed 300 fighters</mark>" in body
    assert "<b>" not in html


def test_a_claim_that_no_longer_fits_the_text_is_not_marked(client) -> None:
    article = ArticleFactory(headline="Strikes", standfirst="", body_text="\n\n".join(PARAGRAPHS))
    claim = claim_on(article, 0, "", "killed 300 fighters", "Officials")
    article.body_text = "Rebels were said to have killed 200 fighters."
    article.save()
    html = client.get(reverse("web:article", args=[article.pk])).content.decode()
    assert "<mark" not in html
    assert claim.content_text in html  # still listed in the panel


def test_the_standfirst_is_marked_too(client) -> None:
    article = ArticleFactory(headline="Strikes", standfirst="The army reports heavy losses.", body_text="Text.")
    full = ArticleText(article.pk, article.headline, tuple(article.paragraphs), standfirst=article.standfirst).text
    start = full.index("heavy losses")
    Claim.objects.create(
        article=article,
        order=0,
        part="standfirst",
        speaker_text="The army",
        speaker_start=0,
        speaker_end=8,
        cue_text="reports",
        cue_start=0,
        cue_end=1,
        content_text="heavy losses",
        content_start=start,
        content_end=start + 12,
        kind="report",
    )
    html = client.get(reverse("web:article", args=[article.pk])).content.decode()
    standfirst = html[html.index('class="story-standfirst"') :]
    assert standfirst.index("heavy losses</mark>") < standfirst.index("story-byline")


def test_an_article_without_claims_says_so(client) -> None:
    article = ArticleFactory(body_text="Nothing said here.")
    html = client.get(reverse("web:article", args=[article.pk])).content.decode()
    assert "No attributed statements were found" in html
    assert "<mark" not in html and "Nothing said here." in html


def test_the_panel_shows_the_cue_with_its_particle_and_a_capitalised_speaker(client) -> None:
    """Walkthrough defects: "CALL TO ACTION calls action on …" (the stored cue is the verb alone) and a lower-case
    generic speaker as a group's label."""
    article = ArticleFactory(
        headline="Aldana calls for action on child poverty",
        standfirst="",
        body_text="According to housing campaigner Marta Aldana, rents had risen faster than wages.",
    )
    full = ArticleText(article.pk, article.headline, tuple(article.paragraphs), standfirst=article.standfirst).text

    def span(text: str, after: int = 0) -> tuple[int, int]:
        start = full.index(text, after)
        return start, start + len(text)

    body = full.index("According")
    for order, (speaker, cue, content, kind, part, after) in enumerate(
        [
            ("Aldana", "calls", "action on child poverty", "call to action", "headline", 0),
            (
                "housing campaigner Marta Aldana",
                "According to",
                "rents had risen faster than wages",
                "report",
                "body",
                body,
            ),
        ]
    ):
        (cue_start, cue_end), (start, end), (s_start, s_end) = span(cue, after), span(content, after), span(speaker)
        Claim.objects.create(
            article=article, order=order, part=part, paragraph=0, speaker_text=speaker, speaker_start=s_start,
            speaker_end=s_end, cue_text=cue, cue_start=cue_start, cue_end=cue_end, content_text=content,
            content_start=start, content_end=end, kind=kind, attributed=True,
        )  # fmt: skip
    html = client.get(reverse("web:article", args=[article.pk])).content.decode()
    panel = html[html.index('id="who-says-what"') :]
    assert '<span class="ledger-cue">calls for</span> <span class="ledger-content">action on child poverty' in panel
    assert (
        '<span class="ledger-cue">according to housing campaigner Marta Aldana,</span> '
        '<span class="ledger-content">rents had risen' in panel
    )
    assert "according to:" not in html
    assert 'title="Housing campaigner Marta Aldana — according to (report)"' in html
    assert ">Housing campaigner Marta Aldana<" in panel
    assert "calls action" not in html
