"""In Chromium: j/k move between cards with a visible ring, m/s/f mark read, save and follow the current card,
o opens it, ? shows the list of shortcuts, and a key typed into the search box is only typed."""

from __future__ import annotations

import re
import time

import pytest

from tidings.personalization.models import ArticleState, Follow

CURRENT = re.compile(r"\bis-current\b")
READ = re.compile(r"\bcard-read\b")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def eventually(check, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def reader(harbour_news, sign_in):
    harbour, articles = harbour_news(4)
    profile, session = sign_in("keyboarder")
    return {"session": session, "profile": profile, "articles": articles, "category": harbour}


def test_keyboard_shortcuts_on_a_list(live_server, reader, open_as):
    from playwright.sync_api import expect

    page = open_as(reader["session"])
    page.goto(f"{live_server.url}/category/harbour/")
    cards = page.locator("article[data-card]")
    expect(cards).to_have_count(4)
    first, second = cards.nth(0), cards.nth(1)

    # A key typed into a field is only typed.
    page.get_by_label("Search news").press("j")
    expect(page.get_by_label("Search news")).to_have_value("j")
    assert page.locator("article.is-current").count() == 0
    page.get_by_label("Search news").blur()

    page.keyboard.press("j")
    expect(first).to_have_class(CURRENT)
    assert first.evaluate("e => e === document.activeElement")
    ring = first.evaluate("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth")
    assert ring == "solid 3px", ring
    page.keyboard.press("j")
    expect(second).to_have_class(CURRENT)
    expect(first).not_to_have_class(CURRENT)
    page.keyboard.press("k")
    expect(first).to_have_class(CURRENT)

    profile, article = reader["profile"], reader["articles"][0]

    def state():
        return ArticleState.objects.filter(profile=profile, article=article).first()

    page.keyboard.press("m")
    expect(first).to_have_class(READ)
    expect(first.locator("[data-flag='read']")).to_be_visible()
    expect(first.locator("[data-read-item] button")).to_have_text("Mark as unread", use_inner_text=False)
    assert eventually(lambda: state() is not None and state().read_at is not None)
    page.keyboard.press("m")
    expect(first).not_to_have_class(READ)
    assert eventually(lambda: state().read_at is None)

    page.keyboard.press("s")
    expect(first.locator("[data-flag='saved']")).to_be_visible()
    assert eventually(lambda: state().saved_at is not None)

    page.keyboard.press("f")
    star = first.locator(".chips .follow button[data-role]").first
    expect(star).to_have_attribute("aria-pressed", "true")
    assert eventually(
        lambda: Follow.objects.filter(profile=profile, category=reader["category"], action="follow").exists()
    )

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Mark read or unread")
    page.keyboard.press("j")  # keys other than ? do nothing while the list is open
    expect(first).to_have_class(CURRENT)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("o")
    page.wait_for_url(f"**{article.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour news 0")
