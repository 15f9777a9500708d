"""The story page as a new reader sees it (walkthrough defects): speaker groups say who quoted them, "according to"
lines name their speaker, and the figures box has one row per value with every outlet giving it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.stories.helpers import story_of
from tidings.stories.models import Claim

pytestmark = pytest.mark.django_db


def claim(article, order: int, content: str, speaker: str = "", cue: str = "said") -> Claim:
    """A stored claim whose offsets lie outside the article text (the cue phrase is read without its context)."""
    return Claim.objects.create(
        article=article, order=order, speaker_text=speaker, speaker_start=0 if speaker else None,
        speaker_end=len(speaker) if speaker else None, cue_text=cue, cue_start=0, cue_end=1, content_text=content,
        content_start=0, content_end=len(content), kind="report", attributed=bool(speaker),
    )  # fmt: skip


@pytest.fixture
def flood():
    story, (courier, herald, post) = story_of(
        ("Meadowbrook Times", "River bursts its banks", 3),
        ("Harbour Herald", "Homes flooded in the valley", 2),
        ("Evening Post", "Valley floods", 1),
    )
    claim(courier, 0, "1,200 homes were flooded", "the court", cue="According to")
    claim(herald, 0, "1,200 homes were flooded", "the council")
    claim(post, 0, "some 900 homes were flooded", "residents")
    claim(post, 1, "schools have 25 pupils per class", "the council")
    claim(herald, 1, "7,361 pupils were sent home", "the council")
    claim(post, 2, "repairs would cost 3 million", "the court")
    return story


def page(client, story) -> str:
    return client.get(reverse("web:story", args=[story.pk])).content.decode()


def test_a_speaker_group_says_which_outlets_quoted_it(client, flood):
    body = page(client, flood)
    ledger = body[body.index('id="who-says-what"') :]
    outlets = re.findall(r'class="muted small ledger-outlets">(.*?)</span></div>', ledger)
    texts = [re.sub(r"<[^>]+>", "", line) for line in outlets]
    assert texts[0] == "quoted by Meadowbrook Times and Evening Post"  # the court
    assert not re.search(r">\s*in <span class=\"ledger-outlet\">", ledger)


def test_according_to_names_its_speaker_and_has_no_colon(client, flood):
    body = page(client, flood)
    assert '<span class="ledger-cue">according to the court,</span>' in body
    assert "according to:" not in body


def test_figures_box_has_one_row_per_value_and_no_unrelated_pairs(client, flood):
    body = page(client, flood)
    figures = body[body.index('id="figures-differ"') :]
    assert re.findall(r'class="figure-about">([^<]+)<', figures) == ["Homes"]  # not pupils per class vs pupils
    assert re.findall(r'class="figure-value">([^<]+)<', figures) == ["900", "1,200"]
    rows = figures.split('class="figure-item"')[1:]
    assert re.findall(r'class="figure-source muted small"[^>]*>([^<]+)<', rows[1]) == [
        "Meadowbrook Times",
        "Harbour Herald",
    ]
