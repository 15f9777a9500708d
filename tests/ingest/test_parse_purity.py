"""ingest/parse is pure: every module imports, and every parser reads a sample, without Django.

A fresh interpreter without DJANGO_SETTINGS_MODULE (so any settings read raises ImproperlyConfigured) walks
the package, imports each module, reads one document of each kind through the dispatcher and the readers
behind it, and reports what it read and which modules got loaded; Django must not be one of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What parse may use besides itself: the values it returns, pure keying helpers and two Django-free lib modules.
BELOW_PARSE = {
    "tidings",
    "tidings.ingest",
    "tidings.ingest.types",
    "tidings.ingest.boilerplate",
    "tidings.ingest.dedup",
    "tidings.lib.canonical",
    "tidings.lib",
    "tidings.lib.errors",
    "tidings.lib.urls",
}

SCRIPT = r'''
import importlib
import json
import pkgutil
import sys

import tidings.ingest.parse as package

imported = []
for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(info.name)
    imported.append(info.name)

from tidings.ingest.parse.decode import decode_bytes
from tidings.ingest.parse.document import read_and_key
from tidings.ingest.parse.feeds import parse_feed
from tidings.ingest.parse.text_dump import parse_text_dump
from tidings.ingest.types import FetchResult

WORDS = (
    "The harbour authority said the pier would stay open through the winter, after engineers found the "
    "timber piles sound and the new deck able to carry the weight of the Saturday market crowds. "
)
RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Harbour Times</title>
<link>https://harbour.example.org/</link>
<item><title>Pier reopens</title><link>https://harbour.example.org/pier</link><guid>pier-1</guid>
<description>&lt;p&gt;The pier reopened on Friday.&lt;/p&gt;</description>
<pubDate>Fri, 04 Dec 2026 09:30:00 +0000</pubDate></item></channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Valley Post</title><id>urn:valley</id><updated>2026-12-04T09:30:00Z</updated>
<entry><title>Bridge closes</title><id>urn:valley:bridge</id><link href="https://valley.example.org/bridge"/>
<updated>2026-12-04T09:30:00Z</updated><summary>The bridge closed for repairs.</summary></entry></feed>"""
JSON_FEED = json.dumps({
    "version": "https://jsonfeed.org/version/1.1", "title": "Hill News",
    "items": [{"id": "1", "url": "https://hill.example.org/road", "title": "Road resurfaced",
               "content_text": "The hill road was resurfaced overnight."}],
}).encode()
HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Market moves indoors</title>"
    "<meta property='og:title' content='Market moves indoors'></head><body><article>"
    "<h1>Market moves indoors</h1>" + "".join(f"<p>{WORDS}Paragraph {n}.</p>" for n in range(6))
    + "</article></body></html>"
).encode()
TEXT = (
    "Ferry timetable changes\n\nThe winter timetable starts on Monday.\n\n"
    + "\n\n".join(f"{WORDS}Paragraph {n}." for n in range(4)) + "\n"
)
# windows-1252 bytes that say they are UTF-8: a wrong declaration in the XML prolog, the meta and the header.
WRONG_RSS = RSS.replace(b"Pier reopens", "Caf\u00e9 \u2018reopens\u2019".encode("cp1252"))
WRONG_HTML = HTML.replace(b"Market", "Caf\u00e9".encode("cp1252"))
WRONG_TEXT = ("Caf\u00e9 \u2018Lighthouse\u2019 opens\n\n" + TEXT.split("\n\n", 1)[1]).encode("cp1252")


def read(content, content_type):
    document = read_and_key(FetchResult(url="https://example.org/doc", status_code=200, content=content,
                                        content_type=content_type))
    return {"kind": document.kind, "headlines": [item.headline for item in document.items],
            "paragraphs": [len(item.paragraphs) for item in document.items],
            "keys": [key.url for key in document.keys]}


read_out = {
    "rss": read(RSS, "application/rss+xml"),
    "atom": read(ATOM, "application/atom+xml"),
    "json": read(JSON_FEED, "application/feed+json"),
    "html": read(HTML, "text/html"),
    "text": read(TEXT.encode(), "text/plain"),
    "wrong_rss": read(WRONG_RSS, "application/rss+xml; charset=utf-8"),
    "wrong_html": read(WRONG_HTML, "text/html; charset=utf-8"),
    "wrong_text": read(WRONG_TEXT, "text/plain; charset=utf-8"),
}
direct = {
    "feed": [item.headline for item in parse_feed(RSS, url="https://harbour.example.org/feed").items],
    "text_dump": parse_text_dump(TEXT).headline,
    "decode": decode_bytes(WRONG_RSS, "application/rss+xml; charset=utf-8").text.count("\ufffd"),
}
print(json.dumps({"imported": imported, "read": read_out, "direct": direct,
                  "loaded": sorted(name for name in sys.modules if name == "django" or name.startswith("django.")),
                  "tidings": sorted(name for name in sys.modules if name.split(".")[0] == "tidings")}))
'''


def run_without_django() -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = "src"
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_parse_imports_and_reads_every_kind_of_document_without_django():
    out = run_without_django()
    assert out["loaded"] == []
    # nothing of the edge (fetch, offload, engine, store, models, settings) was imported, even Django-free parts
    assert {name for name in out["tidings"] if not name.startswith("tidings.ingest.parse")} <= BELOW_PARSE
    # every module of the package was walked, the dispatcher and each reader among them
    for module in ("decode", "detect", "document", "feeds", "jsonfeed", "text_dump", "fragment", "extract"):
        assert f"tidings.ingest.parse.{module}" in out["imported"]
    read = out["read"]
    assert read["rss"] == {
        "kind": "rss",
        "headlines": ["Pier reopens"],
        "paragraphs": [1],
        "keys": ["https://harbour.example.org/pier"],
    }
    assert (read["atom"]["kind"], read["atom"]["headlines"]) == ("atom", ["Bridge closes"])
    assert (read["json"]["kind"], read["json"]["headlines"]) == ("jsonfeed", ["Road resurfaced"])
    assert (read["html"]["kind"], read["html"]["headlines"]) == ("html", ["Market moves indoors"])
    assert read["html"]["paragraphs"][0] >= 6
    assert (read["text"]["kind"], read["text"]["headlines"]) == ("text", ["Ferry timetable changes"])
    assert read["wrong_rss"]["headlines"] == ["Caf\u00e9 \u2018reopens\u2019"]
    assert read["wrong_html"]["headlines"] == ["Caf\u00e9 moves indoors"]
    assert read["wrong_text"]["headlines"] == ["Caf\u00e9 \u2018Lighthouse\u2019 opens"]
    assert out["direct"] == {"feed": ["Pier reopens"], "text_dump": "Ferry timetable changes", "decode": 0}
