"""The template guard: a stored link that is not absolute http(s) never reaches an href or src, even one
written past the checks at storage (rows from before them, or a raw update)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tidings.articles.models import Article
from tidings.sources.models import Source
from tidings.web.templatetags.tidings_web import safe_url

pytestmark = pytest.mark.django_db

SCRIPT = "javascript:alert(document.cookie)"
OBFUSCATED = "\x01java\tscript:alert(1)"


def leaked(body: str) -> list[str]:
    """href/src attribute values (as rendered) that are not http(s) or site-relative."""
    values = re.findall(r'(?:href|src|action)="([^"]*)"', body)
    return [v for v in values if not v.startswith(("http://", "https://", "/", "?", "#"))]


@pytest.fixture
def poisoned() -> tuple[Article, Article]:
    """An article and its near-duplicate whose links, images and source links were stored unchecked."""
    source = SourceFactory(name="Harbour Herald")
    article = ArticleFactory(source=source, headline="Dredging plan approved")
    copy = ArticleFactory(source=SourceFactory(name="Valley Courier"), headline="Dredging copy", duplicate_of=article)
    Article.objects.filter(pk=article.pk).update(url=SCRIPT, image_url="data:image/svg+xml,<svg onload=alert(1)>")
    Article.objects.filter(pk=copy.pk).update(url=OBFUSCATED, image_url=SCRIPT)
    Source.objects.filter(pk=source.pk).update(site_url=SCRIPT, url="vbscript:msgbox(1)")
    return article, copy


def test_article_page_renders_no_script_link(client, poisoned):
    article, _copy = poisoned
    body = client.get(article.get_absolute_url()).content.decode()
    assert "Dredging plan approved" in body
    assert "Read the original" not in body  # the only link it had was unsafe
    assert "script:" not in body and "data:" not in body
    assert leaked(body) == []


def test_list_pages_render_no_script_image(client, poisoned):
    _article, copy = poisoned
    Article.objects.filter(pk=copy.pk).update(duplicate_of=None)
    for page in (reverse("web:home"), copy.source.get_absolute_url(), reverse("web:search") + "?q=Dredging"):
        body = client.get(page).content.decode()
        assert "script:" not in body and "data:" not in body, page
        assert leaked(body) == [], page


def test_source_page_renders_no_script_site_link(admin_client, poisoned):
    article, _copy = poisoned
    # Staff see the feed address (anonymous visitors never do): as text, escaped, never as a link.
    body = admin_client.get(article.source.get_absolute_url()).content.decode()
    assert "Harbour Herald" in body
    assert "vbscript:msgbox(1)" in body
    assert leaked(body) == []
    assert 'href="javascript' not in body and 'href="vbscript' not in body


def test_a_safe_stored_link_is_rendered(client):
    article = ArticleFactory(url="https://news.example.org/dredging", image_url="https://news.example.org/d.jpg")
    body = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://news.example.org/dredging"' in body
    assert 'src="https://news.example.org/d.jpg"' in body


def test_the_filter_is_the_storage_rule():
    assert safe_url(SCRIPT) == "" and safe_url(None) == ""
    assert safe_url("https://news.example.org/a") == "https://news.example.org/a"


def test_no_template_has_inline_script_or_handlers():
    """The Content-Security-Policy blocks inline script: no template may rely on it."""
    from pathlib import Path

    import tidings

    root = Path(tidings.__file__).parent
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|javascript:|\sstyle=|<style", text):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []
