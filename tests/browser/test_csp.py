"""Every page works under the Content-Security-Policy: no violation, no console error, no dialog; and a
`javascript:` link stored before links were checked runs nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.taxonomy.factories import ArticleCategoryFactory, ArticleTopicFactory, CategoryFactory
from tidings.articles.models import Article
from tidings.sources.models import OpmlImport, OpmlImportStatus
from tidings.stories.editing import refresh_story
from tidings.stories.models import ArticleStory, Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
SCRIPT = "javascript:alert(document.cookie)"
# Runs before any page script (injected by the browser, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""


class Watcher:
    """Console errors/warnings, dialogs (dismissed) and policy violations of one browser page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        self.dialogs: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("dialog", self._on_dialog)

    def _on_console(self, message: Any) -> None:
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # the browser asks for /favicon.ico by itself; the site has none (a 404, not a policy matter)
        if message.type in {"error", "warning"}:
            self.console.append(f"{message.type}: {message.text}")

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, url: str, status: int = 200) -> list[str]:
        """Open `url`, let htmx and late images settle; return what went wrong there."""
        response = self.page.goto(url)
        assert response is not None and response.status == status, f"{url} answered {response and response.status}"
        assert "script-src 'self'" in (response.header_value("content-security-policy") or ""), url
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(300)
        return self.problems(url)

    def problems(self, where: str) -> list[str]:
        found = [f"{where}: {v}" for v in self.page.evaluate("window.__violations || []")]
        found += [f"{where}: {c}" for c in self.console] + [f"{where}: dialog {d}" for d in self.dialogs]
        self.console.clear()
        self.dialogs.clear()
        return found


@pytest.fixture
def site(transactional_db) -> dict[str, str]:
    """One of each page's subjects; the article's link was stored before links were checked."""
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    source = SourceFactory(name="Harbour Herald")
    article = ArticleFactory(source=source, headline="Dredging plan approved by the harbour board")
    Article.objects.filter(pk=article.pk).update(url=SCRIPT, image_url="data:image/svg+xml,<svg onload=alert(1)>")
    category = CategoryFactory(name="Environment")
    ArticleCategoryFactory(article=article, category=category)
    topic = ArticleTopicFactory(article=article).topic
    story = Story.objects.create(headline=article.headline)
    ArticleStory.objects.create(article=article, story=story, score=0.0)
    ArticleStory.objects.create(
        article=ArticleFactory(headline="Harbour dredging to start in spring"), story=story, score=0.7
    )
    refresh_story(story.pk)
    job = OpmlImport.objects.create(
        user=user, file_name="feeds.opml", data=b"<opml/>", status=OpmlImportStatus.RUNNING, total=3, done=1
    )
    return {
        "article": article.get_absolute_url(),
        "source": source.get_absolute_url(),
        "source_admin": f"/admin/sources/source/{source.pk}/change/",
        "category": category.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "opml_import": job.get_absolute_url(),
        "story": story.get_absolute_url(),
        "story_admin": f"/admin/stories/story/{story.pk}/change/",
    }


# `site` before browser_page: its database work must run before Playwright starts an event loop in this thread.
def test_every_page_runs_under_the_policy_without_violations(live_server, site, browser_page):
    page = browser_page
    watcher = Watcher(page)
    base = live_server.url
    problems: list[str] = []
    anonymous = ["/accounts/signin/", "/accounts/signup/", "/admin/login/", "/api/docs"]
    for path in anonymous:
        problems += watcher.visit(base + path)
    assert page.locator(".swagger-ui .info .title").first.is_visible(), "Swagger UI did not render /api/docs"

    page.goto(f"{base}/accounts/signin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    problems += watcher.problems("sign-in post")

    signed_in = ["/", "/my/", "/browse/", site["category"], site["topic"], site["article"], site["story"]]
    signed_in += ["/search/?q=dredging", "/me/diet/", "/me/saved/", "/me/history/", "/me/interests/", "/?unread=1"]
    signed_in += ["/sources/", site["source"], site["opml_import"], "/admin/", "/admin/articles/article/"]
    signed_in += [site["source_admin"], "/admin/stories/story/", site["story_admin"], "/api/docs"]
    for path in signed_in:
        problems += watcher.visit(base + path)
    assert problems == [], "\n".join(problems)


def test_opml_import_page_polls_with_htmx_under_the_policy(live_server, site, browser_page):
    page = browser_page
    watcher = Watcher(page)
    page.goto(f"{live_server.url}/accounts/signin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if request.headers.get("hx-request") else None)
    page.goto(live_server.url + site["opml_import"])
    page.wait_for_timeout(2500)
    assert len(polls) >= 1, "htmx did not poll the import's progress"
    assert watcher.problems("opml import") == []


def test_a_stored_script_link_runs_nothing(live_server, site, browser_page):
    page = browser_page
    watcher = Watcher(page)
    assert watcher.visit(live_server.url + site["article"]) == []
    assert page.get_by_role("link", name="Read the original").count() == 0  # the template guard dropped it
    assert page.locator("img[src^='data:']").count() == 0

    # The policy is the second line: a script link that got into the page anyway is refused when clicked.
    page.evaluate(
        """(href) => {
            const link = document.createElement("a");
            link.href = href; link.id = "planted"; link.textContent = "Read the original (planted)";
            document.querySelector(".story-body").append(link);
        }""",
        SCRIPT,
    )
    page.click("#planted")
    page.wait_for_timeout(500)
    assert watcher.dialogs == []
    violations = page.evaluate("window.__violations")
    assert any(v.startswith("script-src") and "inline" in v for v in violations), violations


@pytest.fixture
def broken_image_article(live_server, site) -> str:
    """The article's lead image points at a missing file; its page address. A fixture, so that its database
    work runs before Playwright starts an event loop in this thread (ORM work after that opens a second
    connection, which PostgreSQL then still holds when the test database is dropped)."""
    article = Article.objects.get(headline__startswith="Dredging")
    Article.objects.filter(pk=article.pk).update(image_url=f"{live_server.url}/static/web/no-such-image.png")
    return article.get_absolute_url()


def test_a_broken_image_is_removed_without_an_inline_handler(live_server, broken_image_article, browser_page):
    page = browser_page
    page.goto(live_server.url + broken_image_article)
    page.wait_for_load_state("networkidle")
    assert page.locator(".story-figure img").count() == 0, "the broken lead image was not removed"


def test_account_pages_error_pages_and_htmx_follow_run_under_the_policy(live_server, site, browser_page):
    """The pages the first test does not reach: account settings (and a new token shown once), a 404, and an
    htmx follow click that swaps the button in place."""
    page = browser_page
    watcher = Watcher(page)
    base = live_server.url
    # The browser logs the page's own 404 status as a console error; anything else there is a problem.
    problems = [p for p in watcher.visit(base + "/no-such-page/", status=404) if "status of 404" not in p]
    page.goto(f"{base}/accounts/signin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    problems += watcher.visit(base + "/accounts/settings/")
    page.get_by_role("button", name="Create token").click()
    page.wait_for_load_state("networkidle")
    problems += watcher.problems("token created")
    problems += watcher.visit(base + site["article"])
    follow = page.locator("button[data-follow^='category-']").first
    follow.click()
    page.wait_for_timeout(800)
    assert page.locator("button[data-follow^='category-']").first.get_attribute("aria-pressed") == "true"
    problems += watcher.problems("follow click")
    assert problems == [], "\n".join(problems)
