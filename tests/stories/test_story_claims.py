"""A story's claims ledger: claims of all its articles by speaker, unattributed ones apart, figures that differ."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.stories.helpers import story_of
from tests.taxonomy.factories import TopicFactory
from tidings.stories.models import Claim
from tidings.stories.overview import overview
from tidings.stories.story_claims import UNATTRIBUTED_NAME, story_ledger

pytestmark = pytest.mark.django_db


def claim(article, order: int, content: str, speaker: str = "", topic=None, **fields) -> Claim:
    """A stored claim (offsets do not matter to the story's ledger)."""
    return Claim.objects.create(
        article=article,
        order=order,
        speaker_text=speaker,
        speaker_start=0 if speaker else None,
        speaker_end=len(speaker) if speaker else None,
        speaker_topic=topic,
        cue_text=fields.pop("cue", "said"),
        cue_start=0,
        cue_end=1,
        content_text=content,
        content_start=0,
        content_end=len(content),
        kind=fields.pop("kind", "report"),
        attributed=bool(speaker),
        **fields,
    )


@pytest.fixture
def offensive():
    story, articles = story_of(
        ("Dunmore Courier", "Army retakes the town", 2),
        ("Harbour Herald", "Rebels push into the town", 6),
        ("Evening Post", "Town changes hands", 1),
    )
    herald, courier, post = articles[1], articles[0], articles[2]  # story_of keeps the given order
    army = TopicFactory(name="Syrian army")
    claim(herald, 0, "the strikes killed 300 fighters", "The Syrian army", topic=army, cue="reported")
    claim(herald, 1, "they hold the town", "rebel forces", cue="claim", kind="claim")
    claim(courier, 0, "at least 250 fighters died", "Rebel Forces", cue="said")
    claim(courier, 1, "the army's columns were routed", "the rebel forces'", cue="claimed", kind="claim")
    claim(post, 0, "images show fires in the town", cue="circulating")
    claim(post, 1, "the town is under control", "the army", topic=army, cue="confirmed", kind="confirmation")
    return story, articles


def test_claims_are_grouped_by_topic_else_by_folded_text_with_unattributed_last(offensive):
    story, _ = offensive
    ledger = overview(story).ledger
    names = [group.name for group in ledger.speakers]
    assert names == ["Syrian army", "Rebel forces", UNATTRIBUTED_NAME]  # Herald reported first; labels capitalised
    army, rebels, unattributed = ledger.speakers
    assert [c.content_text for c in army.claims] == ["the strikes killed 300 fighters", "the town is under control"]
    assert [s.name for s in army.outlets] == ["Harbour Herald", "Evening Post"]
    assert len(rebels.claims) == 3 and [s.name for s in rebels.outlets] == ["Harbour Herald", "Dunmore Courier"]
    assert not unattributed.attributed and [c.cue_text for c in unattributed.claims] == ["circulating"]
    assert ledger.count == 6


def test_an_article_repeating_a_speakers_words_shows_them_once(offensive):
    story, articles = offensive
    herald = articles[1]
    claim(herald, 2, "The strikes killed 300 fighters.", "the Syrian army", cue="said")  # the body restates it
    claim(herald, 3, "the strikes killed 300 fighters", "Rebel forces", cue="said")  # another speaker: kept
    ledger = overview(story).ledger
    army = ledger.speakers[0]
    assert [c.content_text for c in army.claims] == ["the strikes killed 300 fighters", "the town is under control"]
    assert ledger.count == 7


def test_differing_figures_are_found_across_outlets(offensive):
    story, _ = offensive
    [conflict] = overview(story).ledger.conflicts
    assert conflict.about == "fighters"
    assert [(f.value, f.statement.outlet, f.statement.speaker) for f in conflict.figures] == [
        (250, "Dunmore Courier", "Rebel Forces"),
        (300, "Harbour Herald", "Syrian army"),
    ]


def test_no_articles_no_claims():
    assert story_ledger([]).speakers == () and story_ledger([]).conflicts == ()


def test_story_page_shows_who_says_what_and_the_figures_side_by_side(client, offensive):
    story, _ = offensive
    body = client.get(reverse("web:story", args=[story.pk])).content.decode()
    ledger = body[body.index('id="who-says-what"') :]
    assert re.findall(r"chip-speaker[^>]*>(?:<a [^>]*>)?([^<]+)<", ledger) == ["Syrian army", "Rebel forces"]
    assert "Unattributed: treat with care" in ledger and "images show fires in the town" in ledger
    assert re.findall(r'class="ledger-outlet">([^<]+)<', ledger)[:2] == ["Harbour Herald", "Evening Post"]
    figures = body[body.index('id="figures-differ"') :]
    assert re.findall(r'class="figure-value">([^<]+)<', figures) == ["250", "300"]
    assert "<script>" not in body and "style=" not in body


def test_story_page_without_claims_says_so_and_has_no_figures_box(client):
    story, _ = story_of(("Dunmore Courier", "Quiet day", 1))
    body = client.get(reverse("web:story", args=[story.pk])).content.decode()
    assert "No attributed statements were found" in body
    assert "Figures that differ" not in body
