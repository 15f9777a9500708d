"""In Chromium: a reader downloads their data then deletes their account; a reader turns on two-factor sign-in
with an authenticator code and signs in with it; the account pages keep a 4.5:1 text contrast in both themes.

Screenshots go to TIDINGS_SCREENSHOT_DIR when it is set (to look at them), else to the test's tmp_path (the screenshots fixture).
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp

from tests.accounts.factories import UserFactory
from tests.accounts.personal_rows import fill_account
from tests.browser.test_theme import _LOW_CONTRAST
from tidings.accounts import two_factor
from tidings.accounts.models import SignedInSession
from tidings.personalization.models import Follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def reader(transactional_db):
    user = UserFactory(username="morgan", email="morgan@example.org")
    fill_account(user, "m")
    two_factor.disable(user)  # fill_account gives the reader an authenticator; these tests start without one
    bystander = UserFactory(username="bystander")
    fill_account(bystander, "b")
    return user


def sign_in(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/signin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_export_then_delete_account(live_server, reader, browser_page, screenshots):
    from playwright.sync_api import expect

    page = browser_page
    sign_in(page, live_server.url, "morgan")
    page.get_by_role("link", name="morgan").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_role("link", name="Your data: download or delete").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshots / "personal_data.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = info.value
    assert download.suggested_filename.startswith("tidings-morgan-")
    document = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert document["account"]["username"] == "morgan"
    assert {(f["kind"], f["action"], f["weight"]) for f in document["follows"]} == {
        ("category", "follow", 1),
        ("source", "mute", 0),
    }
    assert document["interactions"] and document["article_states"] and document["interests"]

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("alert")).to_contain_text("That is not your password.")
    assert get_user_model().objects.filter(username="morgan").exists()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and all of its data are deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not get_user_model().objects.filter(username="morgan").exists()
    assert not Follow.objects.filter(profile__user__username="morgan").exists()
    assert Follow.objects.filter(profile__user__username="bystander").count() == 2


def _early_in_a_step() -> None:
    """Wait for a fresh 30-second step when less than 12 s are left in this one: a code computed just before a
    step ends and checked just after it is accepted with drift -1 (django-otp's OTP_TOTP_SYNC), after which the
    next step's code used below is two steps ahead and refused (this flaked on a loaded machine)."""
    left = 30 - time.time() % 30
    if left < 12:
        time.sleep(left + 0.2)


def test_totp_enrol_then_sign_in_with_a_code(live_server, reader, browser_page, screenshots):
    from playwright.sync_api import expect

    page = browser_page
    page.emulate_media(color_scheme="dark")
    sign_in(page, live_server.url, "morgan")
    page.goto(f"{live_server.url}/me/account/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    assert page.locator("#totp-uri").get_attribute("href").startswith("otpauth://totp/Tidings%3Amorgan?secret=")
    page.screenshot(path=str(screenshots / "two_factor_enrol_dark.png"), full_page=True)
    key = base64.b32decode(secret)

    page.get_by_label("Code", exact=True).fill("000000" if f"{totp(key):06d}" != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    page.wait_for_timeout(1200)  # after a wrong code the device refuses any code for a second (django-otp)

    _early_in_a_step()
    page.get_by_label("Code", exact=True).fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = page.get_by_role("list", name="Recovery codes").locator("li")
    expect(codes).to_have_count(10)
    expect(page.get_by_text("On: signing in asks for a code")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, "morgan")
    expect(page.get_by_role("heading", name="Sign-in code")).to_be_visible()
    page.screenshot(path=str(screenshots / "signin_code_dark.png"), full_page=True)
    # The enrolment used this step's code; the next step's is accepted (one step of tolerance).
    page.get_by_label("Code", exact=True).fill(f"{totp(key, t0=-30):06d}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="morgan")).to_be_visible()
    assert SignedInSession.objects.filter(user__username="morgan").count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_account_pages_keep_text_contrast(live_server, reader, browser_page, scheme, screenshots):
    other = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")
    other.post("/accounts/signin/", {"username": "morgan", "password": PASSWORD})  # a second session to list
    page = browser_page
    page.emulate_media(color_scheme=scheme)
    sign_in(page, live_server.url, "morgan")
    for name in ("", "two-factor/", "data/"):
        page.goto(f"{live_server.url}/me/account/{name}")
        assert page.url == f"{live_server.url}/me/account/{name}", "not signed in"
        result = page.evaluate(_LOW_CONTRAST, 4.5)
        assert result["checked"] >= 10, f"/me/account/{name}: only {result['checked']} text elements measured"
        assert result["bad"] == [], f"/me/account/{name} in {scheme}:\n" + "\n".join(result["bad"])
        shot = f"account_{name.strip('/') or 'home'}_{scheme}.png"
        page.screenshot(path=str(screenshots / shot), full_page=True)
