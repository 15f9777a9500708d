"""A reader sees one "N sources" card for a story on the home page and opens the story's page from it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/storypage-story.png"
HOME_SCREENSHOT = "/tmp/storypage-home.png"


@pytest.fixture
def covered_story(dunmore_strike):
    """A story three outlets covered, with a category and a topic, and one lone article (ORM work before the browser)."""
    return dunmore_strike["story"]


def test_home_card_links_to_the_story_page(live_server, covered_story, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/")
    cards = page.locator("article.card")
    expect(cards).to_have_count(2)
    story_card = cards.filter(has_text="Commuters back on Dunmore trains")
    expect(story_card.get_by_role("link", name="3 sources")).to_be_visible()
    assert page.get_by_text("Rail strike over in Dunmore").count() == 0, "a story article got its own card"
    page.screenshot(path=HOME_SCREENSHOT)
    story_card.get_by_role("link", name="3 sources").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(covered_story.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Dunmore rail strike ends after nine days")
    expect(page.locator(".timeline-item")).to_have_count(3)
    expect(page.locator(".timeline-first .timeline-source")).to_have_text("Harbour Herald")
    expect(page.locator(".coverage-outlet")).to_have_count(3)
    expect(page.locator("button[data-follow='category-labour']")).to_have_count(1)
    expect(page.locator(".story-ledger .ledger-group")).to_have_count(2)
    expect(page.locator(".ledger-unattributed")).to_contain_text("Unattributed: treat with care")
    expect(page.locator(".figure-value")).to_have_text(["900", "1,200"])
    page.screenshot(path=SCREENSHOT, full_page=True)
