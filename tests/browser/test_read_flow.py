"""In Chromium: Mark all as read dims a category's cards and Undo brings them back; Only unread then empties the
page; the article saved with s is on the Saved page. Screenshots go to TIDINGS_SCREENSHOT_DIR when set."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.personalization.services import profile_for_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
READ = re.compile(r"\bcard-read\b")


@pytest.fixture
def session(transactional_db):
    harbour = CategoryFactory(name="Harbour", slug="harbour")
    now = timezone.now()
    for n in range(3):
        article = ArticleFactory(headline=f"Harbour news {n}", published_at=now - timezone.timedelta(hours=n))
        ArticleCategoryFactory(article=article, category=harbour)
    user = UserFactory(username="markall")
    profile_for_user(user)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_mark_all_read_undo_only_unread_and_saved(live_server, session, browser_page, tmp_path):
    from playwright.sync_api import expect

    shots = Path(os.environ.get("TIDINGS_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(f"{live_server.url}/category/harbour/")
    cards = page.locator("article[data-card]")
    expect(cards).to_have_count(3)

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_role("status").filter(has_text="Marked 3 articles as read.")).to_be_visible()
    for i in range(3):
        expect(cards.nth(i)).to_have_class(READ)
    page.screenshot(path=str(shots / "read_marked_all.png"), full_page=True)

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
    page.screenshot(path=str(shots / "read_history.png"), full_page=True)
