"""In Chromium: "Mark as read" from a card's ⋯ menu dims the card and offers Undo, as Hide does; an article whose
picture fails to load shows neither the picture nor a caption standing alone."""

from __future__ import annotations

import re

import pytest

from tests.articles.factories import ArticleFactory
from tidings.personalization.models import ArticleState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
READ = re.compile(r"\bcard-read\b")
CAPTION = "Crowds gathered at the quay after the announcement."


@pytest.fixture
def session(harbour_news, sign_in):
    harbour_news(2, name="harbour")
    return sign_in("menureader")[1]


def test_mark_as_read_from_the_menu_then_undo(live_server, session, open_as):
    from playwright.sync_api import expect

    page = open_as(session)
    page.goto(f"{live_server.url}/category/harbour/")
    card = page.locator("article[data-card]").nth(1)
    card.locator("details.card-actions summary").click()
    card.get_by_role("button", name="Mark as read").click()
    card = page.locator("article.card").nth(1)
    expect(card).to_have_class(READ)
    expect(card.get_by_role("status")).to_have_text(re.compile("Marked as read."))
    assert ArticleState.objects.filter(read_at__isnull=False).count() == 1

    card.get_by_role("button", name="Undo").click()
    expect(page.locator("article.card-read")).to_have_count(0)
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)
    assert ArticleState.objects.filter(read_at__isnull=False).count() == 0


def test_a_picture_that_fails_takes_its_caption_with_it(live_server, browser_page):
    from playwright.sync_api import expect

    missing = f"{live_server.url}/static/web/no-such-picture.jpg"  # answers 404
    article = ArticleFactory(image_url=missing, image_caption=CAPTION, image_credit="Harbour Photo Agency")
    page = browser_page
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(article.headline)
    expect(page.locator("figure")).to_have_count(0)
    expect(page.get_by_text(CAPTION)).to_have_count(0)
