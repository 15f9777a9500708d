"""Format detection from content type and bytes."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from tidings.ingest.parse.detect import detect_format

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rss2.xml", "rss"),
        ("rss1.rdf", "rss"),
        ("rss091.xml", "rss"),
        ("atom.xml", "atom"),
        ("feed.json", "jsonfeed"),
        ("article.html", "html"),
        ("not_a_feed.html", "html"),
    ],
)
def test_fixture_documents_are_detected(name, expected):
    assert detect_format("", (DATA / name).read_bytes()) == expected


def test_byte_order_mark_and_leading_space_are_skipped():
    assert detect_format("", b"\xef\xbb\xbf \n  <rss version='2.0'><channel/></rss>") == "rss"


def test_comments_and_doctype_before_the_root_are_skipped():
    document = b'<?xml version="1.0"?>\n<!-- hello -->\n<!DOCTYPE rss [<!ENTITY x "y">]>\n<rss/>'
    assert detect_format("", document) == "rss"


def test_prefixed_atom_root_is_atom():
    assert detect_format("", b'<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>') == "atom"


def test_utf16_feed_is_detected():
    assert detect_format("", "<?xml version='1.0' encoding='utf-16'?><feed/>".encode("utf-16")) == "atom"


def test_bytes_win_over_a_wrong_content_type():
    assert detect_format("text/html", b"<rss version='2.0'></rss>") == "rss"


def test_html_without_a_root_element_relies_on_content_type():
    assert detect_format("text/html; charset=utf-8", b"Hello <b>world</b>") == "html"


def test_json_without_the_jsonfeed_version_is_unknown():
    assert detect_format("application/json", b'{"hello": "world"}') == "unknown"


def test_json_declared_as_feed_json_with_items_is_a_json_feed():
    assert detect_format("application/feed+json", b'{"items": []}') == "jsonfeed"


@pytest.mark.parametrize("content", [b"", b"   ", b"\x89PNG\r\n\x1a\n", b"<note><to>x</to></note>", b"[1, 2]"])
def test_other_documents_are_unknown(content):
    assert detect_format("application/octet-stream", content) == "unknown"


GOFEED_UNIVERSAL = {
    "atom03_feed.xml": "atom",
    "atom10_feed.xml": "atom",
    "rdf_feed.xml": "rss",
    "rss_feed.xml": "rss",
    "rss_feed_bom.xml": "rss",
    "rss_feed_leading_spaces.xml": "rss",
    "json10_feed.json": "jsonfeed",
    "json11_feed.json": "jsonfeed",
    "sample.json": "jsonfeed",
    "empty_feed.xml": "unknown",
    "unknown_feed.xml": "unknown",
    "invalid.json": "unknown",
}


def test_gofeed_universal_detection_cases(shared_data):
    archive = shared_data / "gofeed-testdata" / "gofeed-testdata.tar.gz"
    if not archive.exists():
        pytest.skip(f"{archive} not found")
    seen = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and "/parser/universal/" in member.name and name in GOFEED_UNIVERSAL:
                seen[name] = detect_format("", tar.extractfile(member).read())
    assert seen == GOFEED_UNIVERSAL
