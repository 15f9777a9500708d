"""An anonymous visitor follows a category without a reload, sees its article in My News, and keeps it on sign-up."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tidings.articles.models import Article
from tidings.taxonomy.models import Category

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFLICT_QCODE = "medtop:16000000"
CONFLICT_NAME = "conflict, war and peace"

# Where an element's box is, whether it lies inside the window, and whether its centre is really it (nothing drawn
# over it); plus whether the page scrolls sideways. Layout facts, not pixels, so fonts may differ between machines.
_LAYOUT = """element => {
    const box = element.getBoundingClientRect();
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    const style = getComputedStyle(element);
    return {
        width: box.width, height: box.height, left: box.left, right: box.right,
        onTop: top !== null && (top === element || element.contains(top)),
        shown: style.visibility === "visible" && style.display !== "none" && Number(style.opacity) > 0,
        viewport: window.innerWidth,
        sideways: document.documentElement.scrollWidth > window.innerWidth,
    };
}"""


def assert_laid_out(locator, what):
    """The element has a box, lies within the window's width, is not covered, and the page does not scroll sideways."""
    locator.scroll_into_view_if_needed()
    box = locator.evaluate(_LAYOUT)
    assert box["width"] > 0 and box["height"] > 0, f"{what} has no size: {box}"
    assert box["left"] >= 0 and box["right"] <= box["viewport"], f"{what} sticks out of the window: {box}"
    assert box["shown"], f"{what} is hidden by its style: {box}"
    assert box["onTop"], f"{what} is covered by another element: {box}"
    assert not box["sideways"], f"the page scrolls sideways around {what}: {box}"


@pytest.fixture
def seed_article(seed_path, transactional_db) -> Article:
    """The seed page imported as `tidings import-text` does it; enrichment (immediate backend) files it."""
    call_command("load_taxonomy", verbosity=0)
    call_command("import_text", str(seed_path), "--source", "TheMediaLine", verbosity=0)
    article = Article.objects.get(source__name="TheMediaLine")
    conflict = Category.objects.get(qcode=CONFLICT_QCODE)
    assert article.category_links.filter(category=conflict).exists(), "enrichment did not file the seed under conflict"
    return article


# seed_article comes before browser_page: its database work must run before Playwright starts an event loop in
# this thread, or Django opens it a second connection (one per async context) that nothing closes.
def test_anonymous_follow_survives_sign_up(live_server, seed_article, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    follow_name = f"Follow {CONFLICT_NAME}"
    unfollow_name = f"Unfollow {CONFLICT_NAME}"

    page.goto(f"{live_server.url}/browse/")
    page.evaluate("window.__tidingsMarker = 'same page'")
    button = page.locator(f'button[aria-label="{follow_name}"]').first
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    followed = page.locator(f'button[aria-label="{unfollow_name}"]').first
    expect(followed).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__tidingsMarker") == "same page", "the follow click reloaded the page"
    assert_laid_out(followed, "the pressed follow button on /browse/")

    page.goto(f"{live_server.url}/my/")
    expect(page.get_by_role("link", name=seed_article.headline).first).to_be_visible()
    assert_laid_out(page.get_by_role("link", name=seed_article.headline).first, "the followed article's link on /my/")

    page.goto(f"{live_server.url}{seed_article.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text(seed_article.headline)
    assert_laid_out(page.get_by_role("heading", level=1), "the article headline")

    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Username").fill("firstreader")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_label("Password confirmation").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url(f"{live_server.url}/my/")
    expect(page.get_by_text("firstreader")).to_be_visible()
    # The visitor opened the article before signing up: the read mark moved to the account with the follow,
    # and My News leaves read articles out.
    expect(page.get_by_role("link", name=seed_article.headline)).to_have_count(0)
    kept = page.locator(f'button[aria-label="{unfollow_name}"]').first
    expect(kept).to_have_attribute("aria-pressed", "true")
    assert_laid_out(kept, "the follow button kept after sign-up")
