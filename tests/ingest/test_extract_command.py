"""`tidings extract FILE.html`: the article as JSON, or one error line and status 1."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).parent / "data"


def run(*args: str) -> dict:
    out = StringIO()
    call_command("extract", *args, stdout=out)
    return json.loads(out.getvalue())


def test_article_is_printed_as_json():
    result = run(str(DATA / "article.html"))
    assert result["headline"] == "Harbour ferry returns after winter repairs"
    assert result["paragraphs"][0].startswith("The harbour ferry Bluebell carried its first passengers")


def test_caption_credit_author_and_date_are_included():
    result = run(str(DATA / "article.html"))
    assert result["image_caption"] == "The ferry Bluebell leaves the slipway on its first crossing of the spring."
    assert result["image_credit"] == "Ennis Polglaze"
    assert result["author"] == "Morwenna Tregarthen"
    assert result["published_at"] == "2026-03-14T08:30:00+00:00"


def test_standfirst_is_included():
    assert run(str(DATA / "article.html"))["standfirst"].startswith("The little blue ferry is back on the water")


def test_relative_canonical_link_is_resolved_against_url(tmp_path):
    page = tmp_path / "page.html"
    html = (DATA / "article.html").read_text().replace("https://quayside.example/news/harbour", "/news/harbour")
    page.write_text(html)
    assert run(str(page), "--url", "https://quayside.example/x")["url"] == (
        "https://quayside.example/news/harbour-ferry-returns"
    )


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "absent.html"))


def test_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.html").write_text("  \n")
    with pytest.raises(CommandError, match="empty"):
        run(str(tmp_path / "empty.html"))


@pytest.mark.parametrize("content", [b"just some words, no markup", b"\x89PNG\r\n\x1a\n\x00\x00<html>"])
def test_file_that_is_not_html_is_refused(tmp_path, content):
    (tmp_path / "x.html").write_bytes(content)
    with pytest.raises(CommandError, match="not an HTML page"):
        run(str(tmp_path / "x.html"))


def test_page_without_an_article_is_refused():
    with pytest.raises(CommandError, match="neither a feed nor an article"):
        run(str(DATA / "not_a_feed.html"))


def test_command_line_error_is_one_line_and_status_one(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tidings.cli", "extract", str(tmp_path / "absent.html")],
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no such file" in result.stderr
