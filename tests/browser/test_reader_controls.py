"""The reader's controls in Chromium: focus stays on a follow control and every control of its target follows it,
the first-visit picker, "less like this" on a card, and how many cards a phone screen shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.stories.helpers import story_of
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory, TopicFactory
from tidings.personalization.models import Follow, Interaction, Interest, Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREENSHOT = "/tmp/controls-phone-home.png"
PHONE = {"width": 390, "height": 844}

HEADLINES = [
    "Harbour authority reopens the north quay after a week of storm repairs",
    "Council approves a two-year budget with new money for school buses",
    "Regional rail operator and drivers' union agree to resume talks on Monday",
    "Hospital waiting lists fall for the third month in a row, figures show",
    "Fishing fleet stays in port as prices for cod reach a ten-year low",
    "New library on the quay opens with a week of readings and workshops",
]
STANDFIRST = (
    "Officials said the work had taken longer than planned because of the weather, and that traders who lost "
    "business during the closure can apply for help from a fund opened this morning."
)


# Database work happens in fixtures listed before browser_page: Playwright's event loop must start after it.
@pytest.fixture
def listed(transactional_db):
    """Six articles (one a three-outlet story) in 'economy' with two long topics each, as cards show them."""
    economy = CategoryFactory(name="economy, business and finance", slug="economy")
    for n in range(4):
        CategoryFactory(name=f"picker category {n}", slug=f"picker-{n}")
    _story, story_articles = story_of(
        ("Harbour Herald", HEADLINES[0], 1), ("Dunmore Courier", "North quay open again", 2), ("Post", "Quay back", 3)
    )
    now = timezone.now()
    articles = [*story_articles[:1]]
    for n, headline in enumerate(HEADLINES[1:], start=1):
        articles.append(ArticleFactory(headline=headline, published_at=now - timedelta(hours=n + 3)))
    for article in [*story_articles, *articles[1:]]:
        article.standfirst = STANDFIRST
        article.save(update_fields=["standfirst"])
        ArticleCategoryFactory(article=article, category=economy)
        ArticleCategoryFactory(article=article, category__name=f"second category of {article.pk}", score=0.7)
        for name in ("Dunmore Harbour Authority", "North Quay Traders Association", "Storm Ingrid"):
            ArticleTopicFactory(article=article, topic=TopicFactory(name=f"{name} {article.pk}"), score=0.8)
    return {"economy": economy, "articles": articles}


def test_follow_click_keeps_focus_and_updates_every_control_of_the_target(live_server, listed, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/category/economy/")
    page.evaluate("window.__marker = 'same page'")
    key = f"category-{listed['economy'].pk}"
    controls = page.locator(
        f'form.follow[data-follow-key="{key}"] button[data-role="follow"], '
        f'form.follow[data-follow-key="{key}"] button[data-role="chip"]'
    )
    count = controls.count()
    assert count >= 3, f"expected the heading button and card chips for economy, found {count}"
    heading = page.locator(f'form.follow-heading[data-follow-key="{key}"] button[data-role="follow"]')
    heading.focus()
    heading.evaluate("el => { el.__clicked = true; }")
    page.keyboard.press("Enter")
    expect(heading).to_have_attribute("aria-pressed", "true")
    for i in range(count):
        expect(controls.nth(i)).to_have_attribute("aria-pressed", "true")
        expect(controls.nth(i)).to_have_attribute("aria-label", "Unfollow economy, business and finance")
    assert page.evaluate("document.activeElement.__clicked === true"), "focus left the clicked Follow button"
    assert page.evaluate("window.__marker") == "same page", "the click reloaded the page"
    expect(page.locator("#tidings-status")).to_have_text("Following economy, business and finance.")

    # Mute from the heading: the stars on the cards show the mute (and would undo it), none shows "followed".
    mute = page.locator(f'form.follow-heading[data-follow-key="{key}"] button[data-role="mute"]')
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'form.follow[data-follow-key="{key}"][data-state="mute"]')).to_have_count(count)
    expect(page.locator("#tidings-status")).to_have_text("Muted economy, business and finance; no longer following.")
    assert page.evaluate("document.activeElement.getAttribute('data-role')") == "mute"
    expect(controls.nth(1)).to_have_attribute("aria-label", "Unmute economy, business and finance")
    assert list(Follow.objects.values_list("action", "category_id")) == [("mute", listed["economy"].pk)]


def test_first_visit_picker_needs_three_categories(live_server, listed, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/my/")
    picker = page.locator("[data-picker]")
    expect(picker.get_by_role("heading")).to_have_text("Choose at least 3 categories")
    done = picker.get_by_role("button", name="Done")
    expect(done).to_be_disabled()
    for n in range(3):
        picker.get_by_role("button", name=f"Follow picker category {n}").click()
        expect(picker.locator("[data-picker-count]")).to_have_text(f"{n + 1} of 3 chosen")
        if n < 2:
            expect(done).to_be_disabled()
    expect(done).to_be_enabled()
    done.click()
    page.wait_for_url(f"{live_server.url}/my/")
    expect(page.locator("[data-picker]")).to_have_count(0)
    # Nothing is listed in the picked categories yet; My News fills with top stories, each saying so.
    expect(page.locator(".card-why").first).not_to_contain_text("You follow")
    profile = Profile.objects.get()
    assert profile.onboarded_at is not None
    assert Follow.objects.filter(profile=profile, action="follow").count() == 3


def test_less_like_this_on_a_card(live_server, listed, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/")
    card = page.locator("article.card").filter(has_text=HEADLINES[2])
    card.get_by_label("More options for this story").click()
    card.get_by_role("button", name="Less like this").click()
    expect(card.get_by_role("status")).to_contain_text("you will see less like this")
    expect(card.get_by_role("button", name="Undo")).to_be_focused()
    article = listed["articles"][2]
    assert list(Interaction.objects.values_list("kind", "article_id")) == [("less", article.pk)]
    assert Interest.objects.filter(kind="category", target_id=listed["economy"].pk, score__lt=0).exists()


def test_card_menus_open_one_at_a_time_and_close_outside_or_on_escape(live_server, listed, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/")
    menus = page.locator("details.card-actions")
    assert menus.count() >= 2
    menus.nth(0).get_by_label("More options for this story").click()
    expect(menus.nth(0)).to_have_attribute("open", "")
    page.locator("h1").click()  # outside every menu
    expect(page.locator("details.card-actions[open]")).to_have_count(0)
    menus.nth(1).get_by_label("More options for this story").click()
    menus.nth(0).get_by_label("More options for this story").focus()
    page.keyboard.press("Enter")  # the first card's menu opens from the keyboard; the second one closes
    expect(menus.nth(0)).to_have_attribute("open", "")
    expect(page.locator("details.card-actions[open]")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("details.card-actions[open]")).to_have_count(0)
    summary = menus.nth(0).get_by_label("More options for this story")
    summary.click()
    page.keyboard.press("Escape")
    expect(page.locator("details.card-actions[open]")).to_have_count(0)
    expect(summary).to_be_focused()


def test_three_cards_fit_a_phone_screen(live_server, listed, browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    boxes = page.locator("article.card").evaluate_all(
        "cards => cards.map(c => { const b = c.getBoundingClientRect(); return [b.top + scrollY, b.height]; })"
    )
    assert len(boxes) == 6
    pitch = (boxes[-1][0] - boxes[1][0]) / (len(boxes) - 2)  # top to top, after the larger lead card
    per_screen = PHONE["height"] / pitch
    first_screen = sum(1 for top, height in boxes if top + height <= PHONE["height"])
    page.screenshot(path=PHONE_SCREENSHOT)
    print(
        f"phone 390x844: card pitch {pitch:.0f}px, {per_screen:.2f} cards per screen, {first_screen} whole on the first"
    )
    tabs = page.locator("nav.tabs").evaluate("n => [n.scrollWidth, n.clientWidth]")
    assert tabs[0] <= tabs[1], f"the section tabs scroll sideways on a phone: {tabs}"
    assert not page.evaluate("document.documentElement.scrollWidth > innerWidth"), "the page scrolls sideways"
    chips = page.locator("article.card").nth(1).locator("li.chip").count()
    assert chips == 2
    assert per_screen >= 3, f"only {per_screen:.2f} cards per 844px screen (pitch {pitch:.0f}px)"


def test_my_interests_weight_keeps_focus_and_unfollow(live_server, listed, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"{live_server.url}/category/economy/")
    page.locator('form.follow-heading button[data-role="follow"]').click()
    expect(page.locator('form.follow-heading button[data-role="follow"]')).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server.url}/me/interests/")
    group = page.get_by_role("group", name="How much of economy, business and finance")
    expect(group.get_by_role("button", name="Normal")).to_have_attribute("aria-pressed", "true")
    group.get_by_role("button", name="More").click()
    expect(group.get_by_role("button", name="More")).to_have_attribute("aria-pressed", "true")
    expect(group.get_by_role("button", name="Normal")).to_have_attribute("aria-pressed", "false")
    economy = listed["economy"].pk
    assert page.evaluate("document.activeElement.id") == f"weight-category-{economy}-more"
    assert list(Follow.objects.values_list("weight", flat=True)) == [1]
    page.get_by_role("button", name="Unfollow economy, business and finance").click()
    expect(page.get_by_role("status").filter(has_text="No longer following")).to_be_visible()
    assert not Follow.objects.exists()
