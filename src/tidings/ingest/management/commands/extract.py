"""`tidings extract FILE.html [--url URL]`: print the article read from a saved page, as JSON.

The same reader as ingest (`tidings.ingest.parse.extract.extract_article`), so what this prints is what
a refresh would store for that page.
"""

from __future__ import annotations

import json
import re
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tidings.ingest.parse.extract import extract_article
from tidings.ingest.types import ExtractedArticle
from tidings.lib.errors import ParseError

MAX_BYTES = 20_000_000
_HTML_MARK = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|article|main|div|p|h1|section)[\s>/]", re.I)


class Command(BaseCommand):
    help = "Print the article extracted from a saved HTML page as JSON (headline, standfirst, body, caption…)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.html", help="a saved article page")
        parser.add_argument("--url", default="", help="the address the page came from (resolves relative links)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        html = read_page(path)
        try:
            article = extract_article(html, url=options["url"])
        except ParseError as exc:
            raise CommandError(f"{path}: {exc.message}", returncode=1) from None
        self.stdout.write(json.dumps(article_json(article), ensure_ascii=False, indent=2))


def read_page(path: Path) -> bytes:
    """The page's bytes, or a CommandError that says in plain words why it cannot be read."""
    try:
        if path.is_dir():
            raise CommandError(f"{path}: is a folder, not an HTML file", returncode=1)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file", returncode=1) from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror or exc})", returncode=1) from None
    if not data.strip():
        raise CommandError(f"{path}: the file is empty", returncode=1)
    if len(data) > MAX_BYTES:
        raise CommandError(f"{path}: the file is larger than {MAX_BYTES // 1_000_000} MB", returncode=1)
    head = data[:65536]
    if b"\x00" in head or not _HTML_MARK.search(head):
        raise CommandError(f"{path}: this is not an HTML page", returncode=1)
    return data


def article_json(article: ExtractedArticle) -> dict[str, object]:
    return {
        "headline": article.headline,
        "standfirst": article.standfirst,
        "paragraphs": list(article.paragraphs),
        "image_url": article.image_url,
        "image_caption": article.image_caption,
        "image_credit": article.image_credit,
        "author": article.author,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "url": article.url,
        "outlet": article.outlet,
        "language": article.language,
        "publisher_categories": list(article.publisher_categories),
    }
