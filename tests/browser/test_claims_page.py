"""The seed article, enriched by the configured pipeline, shows its claims; a reader follows a speaker from them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tidings.articles.models import Article
from tidings.stories.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOT = "/tmp/tidings-claims-article.png"
PANEL_SCREENSHOT = "/tmp/tidings-claims-panel.png"


@pytest.fixture
def seed_with_claims(seed_path, transactional_db) -> tuple[Article, str]:
    """The seed imported as `tidings import-text` does it (enrichment runs the claims stage), and the name of a
    speaker linked to a topic."""
    call_command("load_taxonomy", verbosity=0)
    call_command("import_text", str(seed_path), "--source", "TheMediaLine", verbosity=0)
    article = Article.objects.get(source__name="TheMediaLine")
    linked = Claim.objects.filter(article=article, speaker_topic__isnull=False).select_related("speaker_topic")
    assert linked.exists(), "the claims stage linked no speaker of the seed to a topic"
    assert Claim.objects.filter(article=article, attributed=False).exists(), "no unattributed claim in the seed"
    return article, linked.first().speaker_topic.name


# The fixture's database work runs before Playwright starts an event loop in this thread (see test_follow_flow).
def test_claims_panel_highlights_and_following_a_speaker(live_server, seed_with_claims, browser_page):
    from playwright.sync_api import expect

    article, speaker = seed_with_claims
    page = browser_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server.url}{article.get_absolute_url()}")

    panel = page.locator("section.ledger")
    expect(panel.get_by_role("heading", name="Who says what")).to_be_visible()
    expect(panel.get_by_text("Unattributed: treat with care")).to_be_visible()
    marks = page.locator(".story-body mark.claim")
    assert marks.count() >= 5, f"only {marks.count()} claims marked in the body"
    expect(page.locator(".story-body mark.claim-unattributed").first).to_be_visible()
    expect(page.locator(".story-body .claim-by").first).to_be_visible()
    # Highlights carry the article's own text: the body reads the same with the marks.
    body_text = page.locator(".story-body").inner_text()
    assert "reportedly" in body_text

    chip = panel.locator(".chip-speaker", has=page.get_by_role("link", name=speaker, exact=True)).first
    expect(chip).to_be_visible()
    chip.get_by_role("button", name=f"Follow {speaker}").click()
    expect(chip.get_by_role("button", name=f"Unfollow {speaker}")).to_have_attribute("aria-pressed", "true")

    # The sticky top bar would be drawn over the panel in a whole-page picture; the pictures are for a person.
    page.evaluate("document.querySelector('.topbar').style.position = 'static'")
    page.screenshot(path=SCREENSHOT, full_page=True)
    panel.screenshot(path=PANEL_SCREENSHOT)

    blocked = [text for text in console if "Content Security Policy" in text]
    assert not blocked, f"the page broke its CSP: {blocked}"

    page.goto(f"{live_server.url}/my/")
    expect(page.get_by_role("link", name=article.headline).first).to_be_visible()
