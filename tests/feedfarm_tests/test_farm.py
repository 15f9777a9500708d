"""The farm's web: determinism, formats against truth, HTTP caching, gzip, stats, OPML, duplicates."""

from __future__ import annotations

import asyncio
import gzip
import html
import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import fastfeedparser
import feedparser
import httpx
import pytest

from tests.feedfarm_tests.conftest import clean_feeds
from tools.feedfarm import FarmConfig, build_web, running_farm
from tools.feedfarm import truth as truth_mod
from tools.feedfarm.faults import KINDS

ROOT = Path(__file__).resolve().parents[2]


def _shingles(paragraphs: list[str]) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(paragraphs).lower())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def _jaccard(a: list[str], b: list[str]) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / len(x | y)


def test_same_seed_gives_same_truth():
    config = FarmConfig(seed=11, feeds=30, faulty=0.3)
    first = truth_mod.build(build_web(config), "http://farm")
    second = truth_mod.build(build_web(config), "http://farm")
    assert first == second


def test_different_seed_gives_different_articles():
    a = truth_mod.build(build_web(FarmConfig(seed=1, feeds=10)), "http://farm")
    b = truth_mod.build(build_web(FarmConfig(seed=2, feeds=10)), "http://farm")
    assert [x["headline"] for x in a["articles"]] != [x["headline"] for x in b["articles"]]


def test_same_seed_serves_same_feed_bytes():
    bodies = []
    for _ in range(2):
        with running_farm(feeds=10, seed=5) as farm:
            docs = [httpx.get(url).content.replace(farm.base_url.encode(), b"BASE") for url in farm.feed_urls]
            bodies.append(docs)
    assert bodies[0] == bodies[1]


def test_farm_listens_on_loopback_only(farm):
    assert farm.base_url.startswith("http://127.0.0.1:")


def test_hosts_are_a_fifth_of_the_feeds(truth):
    assert len(truth["hosts"]) == 60 // 5
    assert {f["host"] for f in truth["feeds"]} == {h["slug"] for h in truth["hosts"]}


def test_feeds_come_in_four_formats_summary_and_full(truth):
    kinds = {(f["format"], f["full_content"]) for f in truth["feeds"]}
    assert kinds == {(fmt, full) for fmt in ("rss2", "rss1", "atom", "jsonfeed") for full in (True, False)}


@pytest.mark.parametrize("fmt", ["rss2", "rss1", "atom"])
def test_xml_feeds_parse_with_feedparser_and_match_truth(farm, truth, fmt):
    for feed in clean_feeds(truth, fmt):
        parsed = feedparser.parse(httpx.get(feed["url"]).content)
        assert not parsed.bozo, feed["url"]
        headlines = [truth["articles"][i]["headline"] for i in feed["items"]]
        assert [e.title for e in parsed.entries] == headlines
        assert [e.link for e in parsed.entries] == feed["item_links"]


def test_json_feeds_parse_with_fastfeedparser_and_match_truth(farm, truth):
    for feed in clean_feeds(truth, "jsonfeed"):
        body = httpx.get(feed["url"]).text
        assert json.loads(body)["version"] == "https://jsonfeed.org/version/1.1"
        parsed = fastfeedparser.parse(body)
        assert [e.link for e in parsed.entries] == feed["item_links"]
        assert [e.title for e in parsed.entries] == [truth["articles"][i]["headline"] for i in feed["items"]]


def test_full_content_feed_carries_every_truth_paragraph(truth):
    feed = next(f for f in clean_feeds(truth, "rss2") if f["full_content"])
    parsed = feedparser.parse(httpx.get(feed["url"]).content)
    for entry, article_id in zip(parsed.entries, feed["items"], strict=True):
        content = entry.content[0].value
        for paragraph in truth["articles"][article_id]["paragraphs"]:
            assert paragraph in content.replace("&amp;", "&")


def test_summary_feed_has_no_full_content(truth):
    feed = next(f for f in clean_feeds(truth, "rss2") if not f["full_content"])
    assert b"content:encoded>" not in httpx.get(feed["url"]).content


def test_etag_revalidation_gives_304(truth):
    url = clean_feeds(truth)[0]["url"]
    with httpx.Client() as client:
        first = client.get(url)
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert (first.status_code, again.status_code, again.content) == (200, 304, b"")


def test_last_modified_revalidation_gives_304(truth):
    url = clean_feeds(truth)[1]["url"]
    first = httpx.get(url)
    again = httpx.get(url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert again.status_code == 304
    assert again.headers["etag"] == first.headers["etag"]


def test_feed_responses_carry_cache_control(truth):
    response = httpx.get(clean_feeds(truth)[0]["url"])
    assert response.headers["cache-control"] == "public, max-age=300"


def test_changed_feed_answers_200_to_old_etag_with_new_items():
    with running_farm(feeds=10, seed=3) as farm:
        before = {u: httpx.get(u) for u in farm.feed_urls}
        changed = farm.change_now()
        url = changed[0]
        after = httpx.get(url, headers={"If-None-Match": before[url].headers["etag"]})
        unchanged = [u for u in farm.feed_urls if u not in changed]
        assert after.status_code == 200
        assert feedparser.parse(after.content).entries[0].title not in before[url].text
        for u in unchanged:
            assert httpx.get(u, headers={"If-None-Match": before[u].headers["etag"]}).status_code == 304


def test_change_every_adds_items_in_the_background():
    with running_farm(feeds=20, seed=3, change_every=0.2) as farm:
        time.sleep(0.7)
        versions = [f["version"] for f in farm.truth["feeds"]]
    assert sum(v > 0 for v in versions) >= 2


def test_gzip_when_accepted(truth):
    url = clean_feeds(truth)[0]["url"]
    raw = httpx.get(url, headers={"Accept-Encoding": "identity"})
    packed = httpx.get(url, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in raw.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == raw.content  # httpx inflates
    assert int(packed.headers["content-length"]) < len(raw.content) / 2


def test_keep_alive_reuses_one_connection(farm, truth):
    farm.reset_stats()
    with httpx.Client() as client:
        for feed in clean_feeds(truth)[:5]:
            client.get(feed["url"])
    assert farm.stats()["max_connections"] == 1


def test_latency_delays_every_response():
    with running_farm(feeds=5, seed=1, latency_ms=300) as farm:
        start = time.monotonic()
        httpx.get(farm.feed_urls[1])
        assert time.monotonic() - start >= 0.3


def test_stats_count_concurrent_requests_per_host():
    with running_farm(feeds=10, seed=1, latency_ms=300) as farm:
        urls = farm.feed_urls[:3]  # the first host's feeds

        async def fetch_all():
            async with httpx.AsyncClient() as client:
                await asyncio.gather(*(client.get(u) for u in urls))

        asyncio.run(fetch_all())
        stats = farm.stats()
        host = urls[0].split("/")[4]
        assert stats["hosts"][host]["max_concurrent"] == 3
        assert stats["hosts"][host]["requests"] == 3
        assert stats["200"] == 3


def test_stats_count_304s_and_reset(farm, truth):
    farm.reset_stats()
    url = clean_feeds(truth)[0]["url"]
    etag = httpx.get(url).headers["etag"]
    httpx.get(url, headers={"If-None-Match": etag})
    counted = farm.stats()
    reset = httpx.get(farm.base_url + "/stats/reset").json()
    after = httpx.get(farm.base_url + "/stats").json()
    assert (counted["requests"], counted["200"], counted["304"]) == (2, 1, 1)
    assert counted["bytes"] > 0
    assert reset == {"reset": True}
    assert after["requests"] == 0


def test_opml_lists_every_feed_in_host_folders(farm, truth):
    root = ElementTree.fromstring(httpx.get(farm.opml_url).content)
    folders = root.findall("./body/outline")
    urls = [o.get("xmlUrl") for folder in folders for o in folder.findall("outline")]
    assert len(folders) == len(truth["hosts"])
    assert urls == [f["url"] for f in truth["feeds"]]


def test_every_fault_kind_is_assigned_and_listed(truth):
    assert set(truth["faults"]) == {k.name for k in KINDS}
    listed = {f["url"]: f["fault"] for f in truth["feeds"] if f["fault"]}
    assert all(listed[url] == kind for kind, urls in truth["faults"].items() for url in urls)


def test_syndicated_copy_shares_duplicate_group_and_canonical(farm, truth):
    articles = truth["articles"]
    copies = [a for a in articles if a["kind"] == "syndicated"]
    assert copies
    for copy in copies:
        source = next(a for a in articles if a["url"] == copy["canonical_url"])
        assert copy["duplicate_group"] == source["duplicate_group"]
        assert copy["paragraphs"] == source["paragraphs"]
        assert copy["url"] != source["url"]
        assert copy["host"] != source["host"]
    page = httpx.get(copies[0]["url"]).text
    assert f'<link rel="canonical" href="{copies[0]["canonical_url"]}">' in page


def test_latest_feeds_link_with_utm_parameters(truth):
    latest = next(f for f in clean_feeds(truth) if f["section"] == "latest")
    assert all("utm_source=rss" in link for link in latest["item_links"])
    assert all(
        link.split("?")[0] == truth["articles"][i]["url"]
        for link, i in zip(latest["item_links"], latest["items"], strict=True)
    )


def test_near_duplicates_are_closer_than_other_coverage_of_the_story():
    data = truth_mod.build(build_web(FarmConfig(seed=2, feeds=150)), "http://farm")
    articles = data["articles"]
    by_id = {a["id"]: a for a in articles}
    rewrites = [a for a in articles if a["kind"] == "rewrite"]
    near = [_jaccard(a["paragraphs"], by_id[int(a["near_duplicate_group"][1:])]["paragraphs"]) for a in rewrites]
    other = [
        _jaccard(a["paragraphs"], b["paragraphs"])
        for a in articles
        for b in articles
        if a["story_id"] == b["story_id"] and a["near_duplicate_group"] != b["near_duplicate_group"]
    ]
    assert rewrites and other
    assert min(near) > 0.65
    assert max(other) < 0.55
    assert all(a["duplicate_group"] != by_id[int(a["near_duplicate_group"][1:])]["duplicate_group"] for a in rewrites)


def test_article_page_contains_its_truth(farm, truth):
    for layout in range(5):
        article = next(a for a in truth["articles"] if a["layout"] == layout and a["caption"])
        page = html.unescape(httpx.get(article["url"]).text)
        parts = [article["headline"], article["caption"], article["credit"], *article["paragraphs"]]
        assert all(p in page for p in parts), layout


def test_boilerplate_repeats_on_every_page_of_a_host(truth):
    host = truth["hosts"][0]["slug"]
    pages = [httpx.get(a["url"]).text for a in truth["articles"] if a["host"] == host][:3]
    footer = re.search(r"© 2026 [^<]+", pages[0]).group(0)
    cookie = re.search(r"cookie[^<]*", pages[0], re.I).group(0)
    assert all(footer in p and cookie in p and "Related articles" in p for p in pages)


def test_five_layouts_are_served(truth):
    assert {h["layout"] for h in truth["hosts"]} == set(range(5))


def test_truth_entities_and_attributions_are_in_the_body(truth):
    for article in truth["articles"][:200]:
        body = "\n".join(article["paragraphs"])
        assert all(e["text"] in body for e in article["entities"])
        for attribution in article["attributions"]:
            paragraph = article["paragraphs"][attribution["paragraph"]]
            assert attribution["content"] in paragraph
            assert attribution["cue"] in paragraph or attribution["cue"] == "according to"


def test_truth_categories_are_iptc_top_level(truth):
    assert all(re.fullmatch(r"medtop:\d{2}000000", a["category"]["qcode"]) for a in truth["articles"])


def test_truth_endpoint_streams_the_same_truth(farm, truth):
    served = httpx.get(farm.base_url + "/truth", timeout=30).json()
    assert served["feeds"] == truth["feeds"]
    assert len(served["articles"]) == len(truth["articles"])


def test_unknown_path_is_404(farm):
    assert httpx.get(farm.base_url + "/h/nowhere/x").status_code == 404


def test_cli_dumps_truth(tmp_path):
    out = tmp_path / "truth.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.feedfarm",
            "--feeds",
            "10",
            "--port",
            "0",
            "--dump-truth",
            str(out),
            "--dump-only",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(out.read_text())["feeds"]) == 10


def test_cli_rejects_unknown_fault_kind():
    result = subprocess.run(
        [sys.executable, "-m", "tools.feedfarm", "--faults", "nonsense", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unknown fault kind(s) nonsense" in result.stderr


def test_gzip_encoded_truth_is_not_needed_for_small_responses(truth):
    # pages compress too when asked
    article = truth["articles"][0]
    response = httpx.get(article["url"], headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.compress(response.content)  # inflated by httpx, readable


def test_head_request_gets_headers_without_body(truth):
    response = httpx.head(clean_feeds(truth)[0]["url"], headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


def test_post_to_a_feed_is_405(truth):
    assert httpx.post(clean_feeds(truth)[0]["url"]).status_code == 405


def test_garbage_request_line_gets_400_and_the_farm_keeps_serving(farm):
    port = int(farm.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        reply = sock.recv(1024)
    assert reply.startswith(b"HTTP/1.1 400")
    assert httpx.get(farm.opml_url).status_code == 200


def test_loadtest_reports_requests_per_second(farm, capsys):
    from tools.feedfarm import loadtest

    assert (
        loadtest.main(
            ["--base", farm.base_url, "--requests", "200", "--concurrency", "4", "--seconds", "10", "--client", "raw"]
        )
        == 0
    )
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"RESULT client=raw requests=\d+ errors=0 seconds=[\d.]+ rps=\d+", line)
    assert int(line.split("requests=")[1].split()[0]) >= 200


def test_loadtest_refuses_a_non_loopback_target(capsys):
    from tools.feedfarm import loadtest

    assert loadtest.main(["--base", "http://example.org"]) == 2
    assert "only loopback" in capsys.readouterr().err
