"""In Chromium: reading time reaches the server as a beacon, Save works in place, the News diet reads in light and dark.

Screenshots of the diet page go to TIDINGS_SCREENSHOT_DIR when it is set (to look at them), else to the test's tmp_path (the screenshots fixture).
"""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleCategoryFactory, CategoryFactory
from tidings.personalization.feedback import log_open
from tidings.personalization.models import ArticleState, Interaction
from tidings.personalization.services import set_follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG relative luminance and contrast of two computed CSS colours ("rgb(r, g, b)").
_CONTRAST = """([a, b]) => {
    const lum = css => {
        const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
}"""


def wait_for_rows(query, timeout=10.0):
    """Poll the database until the beacon's row is there (it is sent as the page goes away)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = list(query())
        if rows:
            return rows
        time.sleep(0.2)
    return []


@pytest.fixture
def close_late_connections():
    """Close the connection Django opens for queries made while Playwright's loop runs (PostgreSQL's teardown
    cannot drop the test database while it is open)."""
    yield
    from django.db import connections

    connections.close_all()


@pytest.fixture
def article(transactional_db):
    return ArticleFactory(headline="Observatory maps a distant comet", body_text="First paragraph.\n\nSecond.")


def test_reading_time_is_sent_when_the_reader_leaves(
    live_server, article, browser_page, close_late_connections, screenshots
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    # A first visit has no profile, so nothing is measured; saving is asked for and starts one (in place, htmx).
    assert page.locator(".story-actions").get_attribute("data-reading-url") is None
    page.evaluate("window.__marker = 'same page'")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Saved")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.__marker") == "same page", "saving reloaded the page"
    assert ArticleState.objects.get(article=article).saved_at is not None
    page.screenshot(path=str(screenshots / "article_saved.png"))

    # Share: Chromium on Linux has no share sheet, so the button copies the link and says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".share-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == article.url
    assert wait_for_rows(lambda: Interaction.objects.filter(kind="share", article=article)), "no share logged"

    page.reload()
    assert page.locator(".story-actions").get_attribute("data-reading-url")
    page.mouse.move(200, 300)
    page.wait_for_timeout(3000)  # the reader reads for about three seconds
    page.goto(f"{live_server.url}/")  # leaving sends the beacon (pagehide / visibilitychange)

    rows = wait_for_rows(
        lambda: Interaction.objects.filter(kind="read", article=article).values_list("value", flat=True)
    )
    assert len(rows) == 1, "no reading time arrived"
    assert 2.0 <= rows[0] <= 30.0, f"implausible reading time {rows[0]}"
    assert set(Interaction.objects.values_list("kind", flat=True)) >= {"save", "open", "read", "impression"}


@pytest.fixture
def diet_reader(sign_in):
    """A signed-in reader who opened articles in three categories over four weeks and follows two."""
    profile, session = sign_in("dietreader")
    names = ["Politics", "Science and technology", "Sport", "Economy, business and finance"]
    categories = [CategoryFactory(name=name, slug=re.sub(r"\W+", "-", name.lower())) for name in names]
    now = timezone.now()
    plan = [(0, 0), (0, 1), (0, 1), (1, 1), (0, 2), (2, 2), (1, 2), (0, 3), (1, 3), (1, 3), (2, 3)]
    for n, (category, weeks_ago) in enumerate(plan):
        article = ArticleFactory(headline=f"Diet article {n}")
        ArticleCategoryFactory(article=article, category=categories[category])
        log_open(profile, article, now=now - timedelta(weeks=weeks_ago))  # same weekday: same week offset
    set_follow(profile, categories[1])
    set_follow(profile, categories[3])
    return session


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_news_diet_chart_is_readable_in_light_and_dark(live_server, diet_reader, open_as, scheme, screenshots):
    from playwright.sync_api import expect

    page = open_as(diet_reader)
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}/me/diet/")
    expect(page.get_by_role("heading", name="News diet")).to_be_visible()
    chart = page.locator("svg.diet-chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect.diet-bar").count() == 9  # weekly segments: 1 + 2 + 3 + 3 categories in the plan

    panel_bg = page.locator(".diet-panel").first.evaluate("e => getComputedStyle(e).backgroundColor")
    axis = chart.locator("text.diet-axis").first.evaluate("e => getComputedStyle(e).fill")
    first_bar = chart.locator("rect.diet-c0").first.evaluate("e => getComputedStyle(e).fill")
    body_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    text = page.evaluate("getComputedStyle(document.body).color")
    dark_page = page.evaluate(_CONTRAST, [body_bg, "rgb(0, 0, 0)"]) < 2.0
    assert dark_page is (scheme == "dark"), f"{scheme}: page background {body_bg}"
    assert page.evaluate(_CONTRAST, [axis, panel_bg]) >= 4.5, f"{scheme}: axis labels {axis} on {panel_bg}"
    assert page.evaluate(_CONTRAST, [text, body_bg]) >= 7, f"{scheme}: text {text} on {body_bg}"
    assert page.evaluate(_CONTRAST, [first_bar, panel_bg]) >= 3, f"{scheme}: bars {first_bar} on {panel_bg}"
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth"), "the page scrolls sideways"

    page.screenshot(path=str(screenshots / f"news_diet_{scheme}.png"), full_page=True)


def test_news_diet_without_reading_shows_the_empty_state(live_server, transactional_db, browser_page, screenshots):
    from playwright.sync_api import expect

    page = browser_page
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/me/diet/")
    expect(page.get_by_role("heading", name="Nothing read yet")).to_be_visible()
    assert page.locator("svg.diet-chart").count() == 0
    page.screenshot(path=str(screenshots / "news_diet_empty_dark.png"))
