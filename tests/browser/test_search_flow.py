"""In Chromium: search, narrow by a source with the filter form, drop the filter with its chip, sort, save the
search and open it from My interests; its feed link answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(sign_in):
    gazette = SourceFactory(name="Harbour Gazette")
    courier = SourceFactory(name="Valley Courier")
    now = timezone.now()
    ArticleFactory(source=gazette, headline="Flood closes the harbour road", published_at=now - timedelta(hours=3))
    ArticleFactory(source=gazette, headline="Flood defences tested", published_at=now - timedelta(hours=1))
    ArticleFactory(source=courier, headline="Flood waters rise in the valley", published_at=now - timedelta(hours=2))
    ArticleFactory(source=courier, headline="Budget passes", published_at=now)
    return sign_in("searcher")[1]


# session comes before open_as (browser_page): its database work must run before Playwright starts an event loop.
def test_search_filter_sort_and_save(live_server, session, open_as, screenshots):
    from playwright.sync_api import expect

    page = open_as(session)
    page.goto(f"{live_server.url}/")
    page.locator("#site-search").fill("flood")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/search/?q=flood")
    titles = page.locator("article[data-card] .card-title")
    expect(titles).to_have_count(3)

    page.locator("#filter-source").select_option(label="Harbour Gazette")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**source=harbour-gazette**")
    expect(titles).to_have_count(2)
    chip = page.get_by_role("list", name="Active filters").get_by_text("Source: Harbour Gazette")
    expect(chip).to_be_visible()

    page.get_by_role("navigation", name="Sort").get_by_role("link", name="Oldest").click()
    page.wait_for_url("**sort=oldest**")
    expect(titles).to_have_text(["Flood closes the harbour road", "Flood defences tested"])
    page.screenshot(path=str(screenshots / "search_filtered.png"), full_page=True)

    page.get_by_role("link", name="Remove filter Source: Harbour Gazette").click()
    expect(titles).to_have_count(3)
    page.go_back()
    expect(titles).to_have_count(2)

    page.locator("#save-search-name").fill("Gazette floods")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_role("heading", name="Gazette floods")).to_be_visible()
    expect(titles).to_have_text(["Flood defences tested", "Flood closes the harbour road"])  # newest first

    page.goto(f"{live_server.url}/me/interests/")
    page.get_by_role("link", name="Gazette floods").click()
    expect(page.get_by_role("heading", name="Gazette floods")).to_be_visible()
    feed_url = page.get_by_test_id("saved-feed-rss").get_attribute("href")
    response = page.request.get(f"{live_server.url}{feed_url}")
    assert response.ok and b"Flood defences tested" in response.body()
