"""Browser-test fixtures: Debian's Chromium through Playwright's sync API, and the readers and articles the flows
start from (a fixture that builds rows must come before browser_page in a test's arguments: its database work
runs before Playwright starts an event loop)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tests.stories.test_story_claims import claim
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.articles.models import Article
from tidings.personalization.models import Profile
from tidings.personalization.services import profile_for_user
from tidings.taxonomy.models import Category

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A fresh page (own cookies) in a desktop-sized window; skips when Chromium is not installed."""
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are still
    # synchronous. Set for this test only: set at import, it leaked into every later test's subprocesses
    # (`manage.py check --deploy` refuses it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip(f"Chromium not found at {CHROMIUM} (run `make system-deps` or apt-get install chromium)")
    # Playwright is a dev extra (pip install -e .[dev]); the browser tests are the only ones that need it.
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the [dev] extra)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where a test's screenshots go: TIDINGS_SCREENSHOT_DIR when it is set (to look at them), else tmp_path."""
    out = Path(os.environ.get("TIDINGS_SCREENSHOT_DIR") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture
def sign_in(transactional_db: None) -> Callable[[str], tuple[Profile, str]]:
    """sign_in(username): a new user with a profile, signed in; (their profile, the session cookie's value)."""

    def make(username: str) -> tuple[Profile, str]:
        user = UserFactory(username=username)
        profile = profile_for_user(user)
        client = Client()
        client.force_login(user)
        return profile, client.cookies["sessionid"].value

    return make


@pytest.fixture
def harbour_news(transactional_db: None) -> Callable[..., tuple[Category, list[Article]]]:
    """harbour_news(count, name="Harbour"): the category /category/harbour/ with articles "Harbour news 0" (now)
    to "Harbour news <count - 1>", an hour apart; (the category, the articles newest first)."""

    def make(count: int, name: str = "Harbour") -> tuple[Category, list[Article]]:
        harbour = CategoryFactory(name=name, slug="harbour")
        now = timezone.now()
        articles = [
            ArticleFactory(headline=f"Harbour news {n}", published_at=now - timedelta(hours=n)) for n in range(count)
        ]
        for article in articles:
            ArticleCategoryFactory(article=article, category=harbour)
        return harbour, articles

    return make


@pytest.fixture
def dunmore_strike(transactional_db: None) -> dict[str, Any]:
    """A story three outlets covered (claims, the category labour, the topic Dunmore Rail Union) and one lone
    article: {"story", "articles" (Harbour Herald's, Dunmore Courier's, Evening Post's), "category", "topic"}."""
    story, articles = story_of(
        ("Harbour Herald", "Dunmore rail strike ends after nine days", 6),
        ("Dunmore Courier", "Rail strike over in Dunmore", 2),
        ("Evening Post", "Commuters back on Dunmore trains", 1),
    )
    labour = CategoryFactory(name="labour", slug="labour")
    union = TopicFactory(name="Dunmore Rail Union")
    for article in articles:
        ArticleCategoryFactory(article=article, category=labour)
        ArticleTopicFactory(article=article, topic=union)
    herald, courier, post = articles
    claim(herald, 0, "1,200 trains were cancelled during the strike", "the union", topic=union, cue="reported")
    claim(courier, 0, "900 trains were cancelled", "The operator", cue="said")
    claim(post, 0, "drivers were pressured to stay home", cue="reportedly")
    ArticleFactory(headline="Library reopens on the quay")
    return {"story": story, "articles": articles, "category": labour, "topic": union}


@pytest.fixture
def open_as(live_server: object, browser_page: object) -> Callable[[str], object]:
    """open_as(session): browser_page, carrying this session cookie (a signed-in reader) on the live server."""

    def carry(session: str) -> object:
        cookie = {"name": "sessionid", "value": session, "url": live_server.url}  # type: ignore[attr-defined]
        browser_page.context.add_cookies([cookie])  # type: ignore[attr-defined]
        return browser_page

    return carry
