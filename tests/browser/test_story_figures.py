"""A story whose outlets give different casualty counts: the story page pairs only figures that measure the same
thing, one row per value with every outlet giving it, and says who quoted each speaker.

The page is saved to /tmp/story-figures.png (docs/screenshots/story-figures.png was taken from it: the demo corpus
gives every outlet of a story the same figures, so it has no real conflict to show)."""

from __future__ import annotations

import pytest

from tests.stories.helpers import story_of
from tidings.stories.ledger import BODY, text_parts
from tidings.stories.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/story-figures.png"


def article_with(article, sentences: list[tuple[str, str, str, str]]) -> None:
    """Give `article` one paragraph per (sentence, speaker, cue, content) and store each claim at its offsets."""
    article.standfirst = ""
    article.body_text = "\n\n".join(sentence for sentence, *_ in sentences)
    article.save()
    parts = [p for p in text_parts(article.headline, "", article.paragraphs) if p.name == BODY]
    for order, (part, (sentence, speaker, cue, content)) in enumerate(zip(parts, sentences, strict=True)):
        s, c, t = sentence.index(speaker), sentence.index(cue), sentence.index(content)
        Claim.objects.create(
            article=article, order=order, part=BODY, paragraph=part.index, speaker_text=speaker,
            speaker_start=part.start + s, speaker_end=part.start + s + len(speaker), cue_text=cue,
            cue_start=part.start + c, cue_end=part.start + c + len(cue), content_text=content,
            content_start=part.start + t, content_end=part.start + t + len(content),
            kind="confirmation" if cue == "confirmed" else "report", attributed=True,
        )  # fmt: skip


@pytest.fixture
def offensive(transactional_db):
    story, (herald, courier, post) = story_of(
        ("Harbour Herald", "Army says strikes killed 300 fighters near Dunmore", 7),
        ("Dunmore Courier", "Rebels put their losses at 250 as fighting goes on", 4),
        ("Evening Post", "Dunmore offensive: schools shut, families flee", 1),
    )
    article_with(
        herald,
        [
            ("The army said the air strikes killed 300 fighters in two days.", "The army", "said",
             "the air strikes killed 300 fighters in two days"),
            ("Aid agencies said 1,400 families had fled the valley.", "Aid agencies", "said",
             "1,400 families had fled the valley"),
        ],
    )  # fmt: skip
    article_with(
        courier,
        [
            ("According to a rebel commander, at least 250 fighters were killed.", "a rebel commander",
             "According to", "at least 250 fighters were killed"),
            ("Aid agencies said 1,400 families had fled the valley.", "Aid agencies", "said",
             "1,400 families had fled the valley"),
            ("Doctors at the district hospital said 40 civilians were injured.", "Doctors at the district hospital",
             "said", "40 civilians were injured"),
        ],
    )  # fmt: skip
    article_with(
        post,
        [
            ("The education office said schools in the valley teach 32 pupils per class.", "The education office",
             "said", "schools in the valley teach 32 pupils per class"),
            ("The education office said 2,150 pupils were sent home.", "The education office", "said",
             "2,150 pupils were sent home"),
            ("Some 1,100 families had fled, the provincial governor told reporters.", "the provincial governor",
             "told", "Some 1,100 families had fled"),
            ("The army confirmed that it had killed 300 fighters.", "The army", "confirmed",
             "it had killed 300 fighters"),
        ],
    )  # fmt: skip
    return story


def test_story_page_pairs_only_figures_about_the_same_thing(live_server, offensive, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}{offensive.get_absolute_url()}")
    box = page.locator(".figures")
    expect(box.locator(".figure-about")).to_have_text(["Families", "Fighters"])
    families, fighters = box.locator(".figure-conflict").all()
    expect(families.locator(".figure-value")).to_have_text(["1,100", "1,400"])
    expect(families.locator(".figure-item").nth(1).locator(".figure-source")).to_have_text(
        ["Harbour Herald", "Dunmore Courier"]
    )  # one row for 1,400, both outlets in it
    expect(fighters.locator(".figure-value")).to_have_text(["250", "300"])
    expect(box).not_to_contain_text("pupils")  # 32 per class against 2,150 in all: not the same thing
    expect(box).not_to_contain_text("civilians")
    expect(page.locator(".ledger-outlets").first).to_have_text("quoted by Harbour Herald and Evening Post")  # the army
    expect(page.get_by_text("according to a rebel commander,")).to_be_visible()
    page.screenshot(path=SCREENSHOT, full_page=True)
