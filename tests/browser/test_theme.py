"""In Chromium: the site follows the system's dark preference, the theme menu overrides it without a reload and
the server paints the chosen theme first; text keeps a 4.5:1 contrast on key pages in both themes.

Screenshots go to TIDINGS_SCREENSHOT_DIR when it is set (to look at them), else to the test's tmp_path (the screenshots fixture).
"""

from __future__ import annotations

import pytest

from tidings.personalization.services import set_follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every visible element with its own text: its colour against the first opaque background behind it (WCAG
# relative luminance). Elements over a background image (the brand mark's gradient) are left out.
_LOW_CONTRAST = """(minimum) => {
    const parse = css => css.match(/[\\d.]+/g).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map(v => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const backgroundOf = el => {
        for (let e = el; e; e = e.parentElement) {
            const s = getComputedStyle(e);
            if (s.backgroundImage !== "none") return null;
            const c = parse(s.backgroundColor);
            if (c.length < 4 || c[3] > 0.9) return c;
        }
        return parse(getComputedStyle(document.documentElement).backgroundColor);
    };
    const bad = [];
    let checked = 0;
    for (const el of document.body.querySelectorAll("*")) {
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const s = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        if (s.visibility === "hidden" || box.width < 2 || box.height < 2 || box.right < 0 || box.bottom < 0) continue;
        if (el.closest("details:not([open]) > :not(summary)") || parseFloat(s.opacity) < 1) continue;
        const bg = backgroundOf(el);
        if (bg === null) continue;
        checked += 1;
        const r = ratio(parse(s.color), bg);
        if (r < minimum) bad.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${s.color} on rgb(${bg.slice(0, 3)}) = ${r.toFixed(2)}`);
    }
    return {checked, bad};
}"""


@pytest.fixture
def site(dunmore_strike, sign_in):
    """A story three outlets covered (claims, a category, a topic), a lone article, a reader who follows both."""
    story, (herald, _courier, _post) = dunmore_strike["story"], dunmore_strike["articles"]
    labour, union = dunmore_strike["category"], dunmore_strike["topic"]
    profile, session = sign_in("nightreader")
    set_follow(profile, labour)
    set_follow(profile, union)
    return {
        "session": session,
        "pages": {
            "home": "/",
            "article": herald.get_absolute_url(),
            "story": story.get_absolute_url(),
            "interests": "/me/interests/",
            "my_news": "/my/",
            "category": labour.get_absolute_url(),
        },
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_on_key_pages(live_server, site, open_as, scheme, screenshots):
    page = open_as(site["session"])
    page.emulate_media(color_scheme=scheme)
    for name, path in site["pages"].items():
        page.goto(f"{live_server.url}{path}")
        body_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
        dark = page.evaluate("c => c.match(/\\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b) < 150", body_bg)
        assert dark is (scheme == "dark"), f"{name} in {scheme}: page background {body_bg}"
        result = page.evaluate(_LOW_CONTRAST, 4.5)
        assert result["checked"] >= 10, f"{name}: only {result['checked']} text elements measured"
        assert result["bad"] == [], f"{name} in {scheme}: text under 4.5:1\n" + "\n".join(result["bad"])
        page.screenshot(path=str(screenshots / f"theme_{name}_{scheme}.png"), full_page=True)


def test_theme_menu_overrides_the_system_and_the_server_paints_it_first(live_server, site, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.emulate_media(color_scheme="dark")
    page.goto(f"{live_server.url}/")
    html = page.locator("html")
    assert html.get_attribute("data-theme") is None  # no choice yet: the system's dark preference
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")

    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Colour theme").click()
    page.get_by_role("button", name="Light").click()
    expect(html).to_have_attribute("data-theme", "light")
    assert page.evaluate("window.__marker") == "same page", "switching the theme reloaded the page"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != dark_bg
    expect(page.get_by_role("button", name="Light", include_hidden=True)).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("localStorage.getItem('tidings_theme')") == "light"
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["tidings_theme"] == "light"

    # The next page arrives with the attribute already set (from the cookie): no flash of the dark theme.
    response = page.goto(f"{live_server.url}/browse/")
    assert '<html lang="en" data-theme="light">' in response.text()

    # A cleared cookie is restored from localStorage.
    page.context.clear_cookies(name="tidings_theme")
    page.reload()
    expect(html).to_have_attribute("data-theme", "light")
    assert {c["name"]: c["value"] for c in page.context.cookies()}.get("tidings_theme") == "light"

    page.get_by_label("Colour theme").click()
    page.get_by_role("button", name="Same as system").click()
    expect(html).not_to_have_attribute("data-theme", "light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark_bg
