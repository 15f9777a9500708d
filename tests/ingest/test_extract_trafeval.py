"""On varied real pages (trafilatura-eval, held-out part) we read main texts about as well as raw trafilatura.

Quality only, never time (speed is bench/extraction.py's). Skipped when ../shared/data is absent.
"""

from __future__ import annotations

import pytest
import trafilatura
from bench._trafeval import EvalPage, load_pages, snippet_counts, snippet_score

from tests.conftest import SHARED
from tidings.ingest.parse.extract import extract_article
from tidings.lib.errors import ParseError

PAGES = 40
MARGIN = 0.02  # a handful of pages is noisy; the bench reports the whole held-out part


def main_text(html: bytes, url: str) -> str:
    try:
        article = extract_article(html, url=url)
    except ParseError:
        return ""
    return "\n\n".join(filter(None, (article.standfirst, article.body_text)))


@pytest.fixture(scope="module")
def readings() -> list[tuple[EvalPage, str, str]]:
    data = SHARED / "data" / "trafilatura-eval"
    if not data.exists():
        pytest.skip(f"trafilatura-eval not found at {data}")
    pages = load_pages("heldout", PAGES, data=data)
    return [(page, main_text(page.html, page.url), trafilatura.extract(page.html) or "") for page in pages]


def test_snippet_f1_is_not_below_raw_trafilatura(readings):
    ours = snippet_score([snippet_counts(page, text) for page, text, _ in readings])
    raw = snippet_score([snippet_counts(page, text) for page, _, text in readings])
    assert ours.f1 >= raw.f1 - MARGIN, (ours, raw)


def test_no_page_with_a_main_text_is_refused(readings):
    refused = [page.name for page, text, raw in readings if not text and len(raw.split()) >= 100]
    assert refused == []
