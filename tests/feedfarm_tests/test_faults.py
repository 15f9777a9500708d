"""Each fault behaves as the README says, checked with bounded clients (short timeouts, capped reads)."""

from __future__ import annotations

import email.utils
import gzip
import json
import time
import zlib
from datetime import UTC, datetime
from urllib.parse import urljoin
from xml.etree import ElementTree

import defusedxml.ElementTree
import feedparser
import httpx
import pytest
from defusedxml import EntitiesForbidden

from tools.feedfarm.faults import GzipBomb

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"


def _feed(truth: dict, kind: str) -> dict:
    return next(f for f in truth["feeds"] if f["fault"] == kind)


def _headlines(truth: dict, feed: dict) -> list[str]:
    return [truth["articles"][i]["headline"] for i in feed["items"]]


def test_hang_never_answers_within_the_client_timeout(truth):
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(_feed(truth, "hang")["url"], timeout=0.5)
    assert time.monotonic() - start < 2


def test_slow_body_trickles_and_does_not_finish_in_time(truth):
    received = 0
    start = time.monotonic()
    with httpx.stream("GET", _feed(truth, "slow_body")["url"], timeout=1.0) as response:
        declared = int(response.headers["content-length"])
        for chunk in response.iter_raw():
            received += len(chunk)
            if time.monotonic() - start > 0.6:
                break
    assert 0 < received < declared / 10


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_404", 404), ("http_410", 410)])
def test_status_faults(truth, kind, status):
    assert httpx.get(_feed(truth, kind)["url"]).status_code == status


def test_503_has_retry_after_seconds(truth):
    response = httpx.get(_feed(truth, "http_503")["url"])
    assert (response.status_code, response.headers["retry-after"]) == (503, "120")


def test_429_has_retry_after_date_in_the_future(truth):
    response = httpx.get(_feed(truth, "http_429")["url"])
    when = email.utils.parsedate_to_datetime(response.headers["retry-after"])
    assert response.status_code == 429
    assert when > datetime.now(UTC)


@pytest.mark.parametrize(
    ("kind", "status", "folder"),
    [
        ("redirect_301", 301, "/v2/"),
        ("redirect_308", 308, "/v2/"),
        ("redirect_302", 302, "/mirror/"),
        ("redirect_307", 307, "/mirror/"),
    ],
)
def test_redirects_lead_to_the_feed(truth, kind, status, folder):
    feed = _feed(truth, kind)
    first = httpx.get(feed["url"])
    final = httpx.get(feed["url"], follow_redirects=True)
    assert first.status_code == status
    assert folder in first.headers["location"]
    assert final.status_code == 200
    assert len(final.content) > 500
    if status in (301, 308):
        assert first.headers["location"] == feed["moved_to"]


def test_redirect_loop_never_ends(truth):
    with pytest.raises(httpx.TooManyRedirects), httpx.Client(follow_redirects=True, max_redirects=6) as client:
        client.get(_feed(truth, "redirect_loop")["url"])


def test_malformed_xml_breaks_strict_parsers_but_not_feedparser(truth):
    feed = _feed(truth, "malformed_xml")
    body = httpx.get(feed["url"]).content
    with pytest.raises(ElementTree.ParseError):
        ElementTree.fromstring(body)
    parsed = feedparser.parse(body)
    assert parsed.bozo
    assert [e.title for e in parsed.entries] == _headlines(truth, feed)


def test_wrong_encoding_declares_utf8_but_sends_windows_1252(truth):
    feed = _feed(truth, "wrong_encoding")
    response = httpx.get(feed["url"])
    body = response.content
    assert "charset=utf-8" in response.headers["content-type"]
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    decoded = body.decode("cp1252")
    assert all(h in decoded or "&#" in decoded for h in _headlines(truth, feed))
    assert [e.title for e in feedparser.parse(body).entries] == _headlines(truth, feed)


def test_huge_body_streams_60_mb_without_content_length(farm, truth):
    received = 0
    with httpx.stream("GET", _feed(truth, "huge_body")["url"], timeout=10) as response:
        assert "content-length" not in response.headers
        assert response.headers["transfer-encoding"] == "chunked"
        for chunk in response.iter_raw():
            received += len(chunk)
    assert received == 60 * 1024 * 1024


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated(truth):
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    compressed = inflated = 0
    with httpx.stream("GET", _feed(truth, "gzip_bomb")["url"], timeout=10) as response:
        assert response.headers["content-encoding"] == "gzip"
        assert int(response.headers["content-length"]) < 2 * 1024 * 1024
        for chunk in response.iter_raw():
            compressed += len(chunk)
            while chunk:
                inflated += len(inflater.decompress(chunk, 1 << 20))
                chunk = inflater.unconsumed_tail
            if compressed > 64 * 1024:
                break
    assert inflated > 500 * compressed


def test_gzip_bomb_is_a_valid_gzip_stream():
    bomb = GzipBomb(4)

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in bomb.chunks()])

    import asyncio

    data = asyncio.run(collect())
    assert len(data) == bomb.length
    inflated = gzip.decompress(data)  # checks CRC and size
    assert len(inflated) > 4 * 1024 * 1024
    assert inflated.startswith(b"<?xml") and inflated.endswith(b"</channel></rss>")


def test_billion_laughs_is_small_and_refused_by_defusedxml(truth):
    body = httpx.get(_feed(truth, "billion_laughs")["url"]).content
    assert b'<!ENTITY lol9 "&lol8;' in body
    assert len(body) < 256 * 1024
    with pytest.raises(EntitiesForbidden):
        defusedxml.ElementTree.fromstring(body)


def test_reset_mid_body_breaks_the_connection(truth):
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        httpx.get(_feed(truth, "reset_mid_body")["url"], timeout=5)


def test_html_page_links_to_the_real_feed(truth):
    feed = _feed(truth, "html_page")
    response = httpx.get(feed["url"])
    assert response.headers["content-type"].startswith("text/html")
    assert feedparser.parse(response.content).entries == []
    alternate = response.text.split(
        'title="' + feed["section"].capitalize() if feed["section"] != "latest" else 'title="Latest news', 1
    )[1]
    href = alternate.split('href="', 1)[1].split('"', 1)[0]
    assert "/v2/" in href
    assert httpx.get(href).status_code == 200


def test_many_items_feed_has_5000_items_matching_truth(truth):
    feed = _feed(truth, "many_items")
    entries = feedparser.parse(httpx.get(feed["url"]).content).entries
    assert len(feed["items"]) == len(entries) == 5000
    assert [e.link for e in entries] == feed["item_links"]


def test_duplicate_guids_share_one_guid_over_distinct_links(truth):
    feed = _feed(truth, "duplicate_guids")
    body = httpx.get(feed["url"]).content
    if feed["format"] == "jsonfeed":
        items = json.loads(body)["items"]
        ids, links = {i["id"] for i in items}, [i["url"] for i in items]
    else:
        entries = feedparser.parse(body).entries
        ids, links = {e.id for e in entries}, [e.link for e in entries]
    assert len(ids) == 1
    assert links == feed["item_links"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning:feedparser")
def test_bad_dates_are_missing_odd_or_future(truth):
    feed = _feed(truth, "bad_dates")
    body = httpx.get(feed["url"]).content
    if feed["format"] == "jsonfeed":
        dates = [i.get("date_published") for i in json.loads(body)["items"]]
    else:
        entries = feedparser.parse(body).entries
        dates = [e.get("published", e.get("updated")) for e in entries]
    assert None in dates
    assert any(d and "2031" in d for d in dates)
    assert any(d and ("around noon" in d or "2026-13-45" in d or d == "yesterday") for d in dates)


def test_relative_links_resolve_to_truth(truth):
    feed = _feed(truth, "relative_links")
    body = httpx.get(feed["url"]).content
    if feed["format"] == "jsonfeed":
        links = [i["url"] for i in json.loads(body)["items"]]
    else:
        root = ElementTree.fromstring(body)
        links = {
            "atom": lambda: [e.get("href") for e in root.findall(f"{ATOM}entry/{ATOM}link")],
            "rss2": lambda: [e.text for e in root.findall("./channel/item/link")],
            "rss1": lambda: [e.text for e in root.findall(f"{RSS1}item/{RSS1}link")],
        }[feed["format"]]()
    assert all(not link.startswith("http") for link in links)
    assert [urljoin(feed["url"], link) for link in links] == feed["item_links"]


def test_jsonfeed_wrong_types_keeps_readable_items(truth):
    feed = _feed(truth, "jsonfeed_wrong_types")
    doc = json.loads(httpx.get(feed["url"]).content)
    items = doc["items"]
    assert any(not isinstance(i, dict) for i in items)
    assert any(isinstance(i, dict) and isinstance(i["id"], int) for i in items)
    assert isinstance(doc["authors"], str)
    assert [i["url"] for i in items if isinstance(i, dict)] == feed["item_links"]


def test_fault_hits_are_counted(farm, truth):
    farm.reset_stats()
    httpx.get(_feed(truth, "http_404")["url"])
    httpx.get(_feed(truth, "http_404")["url"])
    assert farm.stats()["fault_hits"] == {"http_404": 2}
