"""In Chromium: Mark all as read dims a category's cards and Undo brings them back; Only unread then empties the
page; the article saved with s is on the Saved page. Screenshots go to TIDINGS_SCREENSHOT_DIR when set."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
READ = re.compile(r"\bcard-read\b")


@pytest.fixture
def session(harbour_news, sign_in):
    harbour_news(3)
    return sign_in("markall")[1]


def test_mark_all_read_undo_only_unread_and_saved(live_server, session, open_as, screenshots):
    from playwright.sync_api import expect

    page = open_as(session)
    page.goto(f"{live_server.url}/category/harbour/")
    cards = page.locator("article[data-card]")
    expect(cards).to_have_count(3)

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status").filter(has_text="Marked 3 articles as read.")).to_be_visible()
    for i in range(3):
        expect(cards.nth(i)).to_have_class(READ)
    page.screenshot(path=str(screenshots / "read_marked_all.png"), full_page=True)

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("article.card-read")).to_have_count(0)

    page.keyboard.press("j")
    page.keyboard.press("m")
    expect(cards.nth(0)).to_have_class(READ)
    page.keyboard.press("s")
    expect(cards.nth(0).locator("[data-flag='saved']")).to_be_visible()
    expect(page.locator("#tidings-status")).to_have_text("Saved")  # the save POST has been answered

    page.get_by_role("link", name="Only unread").click()
    page.wait_for_url("**?unread=1")
    expect(cards).to_have_count(2)
    expect(page.get_by_text("Harbour news 0")).to_have_count(0)

    page.goto(f"{live_server.url}/me/saved/")
    expect(page.locator("article[data-card] .card-title")).to_have_text(["Harbour news 0"])
    page.goto(f"{live_server.url}/me/history/")
    expect(page.locator("article[data-card] .card-title")).to_have_text(["Harbour news 0"])
    page.screenshot(path=str(screenshots / "read_history.png"), full_page=True)
