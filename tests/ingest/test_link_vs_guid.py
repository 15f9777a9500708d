"""An RSS item's <link> is its article address; its GUID stands in only when there is no link. Every parse path
(the fast parser, the tolerant fallback, the choice between them) and every encoding state is checked."""

from __future__ import annotations

import fastfeedparser
import pytest

from tidings.articles.models import Article
from tidings.ingest.parse.decode import to_utf8
from tidings.ingest.parse.fast_path import tidy_fast_entries
from tidings.ingest.parse.feeds import parse_feed, parse_xml_with
from tidings.ingest.refresh import refresh_source
from tidings.lib.canonical import canonicalize_url
from tidings.sources.models import Source

LINK = "https://news.example/articles/{n}?ref=rss&amp;page=1"
LINK_READ = "https://news.example/articles/{n}?ref=rss&page=1"
GUID = "https://news.example/guid/{n}"
NAMESPACES = (
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"'
)
# How the item writes its link and GUID; {link} and {guid} are filled per item.
ITEM_SHAPES = {
    "not-permalink-guid-after-link": '<link>{link}</link><guid isPermaLink="false">{guid}</guid>',
    "not-permalink-guid-before-link": '<guid isPermaLink="false">{guid}</guid><link>{link}</link>',
    "default-permalink-guid-before-link": "<guid>{guid}</guid><link>{link}</link>",
    "default-permalink-guid-after-link": "<link>{link}</link><guid>{guid}</guid>",
    "explicit-permalink-guid": '<link>{link}</link><guid isPermaLink="true">{guid}</guid>',
    "link-in-cdata": '<link><![CDATA[{link_read}]]></link><guid isPermaLink="false">{guid}</guid>',
    "link-between-spaces": '<link>\n    {link}\n  </link><guid isPermaLink="false">{guid}</guid>',
    "atom-link-in-rss-item": '<atom:link rel="alternate" href="{link}"/><guid isPermaLink="false">{guid}</guid>',
    "atom-link-with-permalink-guid": '<guid>{guid}</guid><atom:link href="{link}"/>',
    "feedburner-original-link": (
        '<link>{link}</link><feedburner:origLink>{link}</feedburner:origLink><guid isPermaLink="false">{guid}</guid>'
    ),
    "comments-url-first": '<comments>{guid}#comments</comments><link>{link}</link><guid isPermaLink="false">{guid}</guid>',
    "enclosure-first": (
        '<enclosure url="https://cdn.example/a.mp3" type="audio/mpeg" length="1"/><link>{link}</link><guid>{guid}</guid>'
    ),
}
STATES = ["utf-8", "windows-1252-declared-utf-8", "malformed", "malformed-windows-1252"]


def document(shape: str, state: str, items: int = 3) -> bytes:
    entries = "".join(
        f"<item><title>Story {n}: café “news”</title>"
        + ITEM_SHAPES[shape].format(link=LINK.format(n=n), link_read=LINK_READ.format(n=n), guid=GUID.format(n=n))
        + f"<description>Text of story {n}, déjà vu.</description></item>"
        for n in range(1, items + 1)
    )
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {NAMESPACES}><channel><title>News</title>'
        f"<link>https://news.example/</link><description>All the news</description>{entries}</channel></rss>"
    )
    if state.startswith("malformed"):
        body = body.replace("</channel></rss>", "").replace("<title>News</title>", "<title>News & views</title>")
    encoding = "cp1252" if "windows-1252" in state else "utf-8"
    return body.encode(encoding, errors="xmlcharrefreplace")


def expected(items: int = 3) -> list[str]:
    return [LINK_READ.format(n=n) for n in range(1, items + 1)]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("shape", ITEM_SHAPES)
def test_the_chosen_parse_path_stores_the_link(shape, state):
    feed = parse_feed(document(shape, state), url="https://news.example/feed")
    assert [item.url for item in feed.items] == expected()
    assert [item.guid for item in feed.items] == [GUID.format(n=n) for n in range(1, 4)]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("shape", ITEM_SHAPES)
def test_the_tolerant_fallback_stores_the_link(shape, state):
    feed = parse_xml_with(document(shape, state), "tolerant", url="https://news.example/feed")
    assert [item.url for item in feed.items] == expected()


@pytest.mark.parametrize("state", ["utf-8", "windows-1252-declared-utf-8"])
@pytest.mark.parametrize("shape", ITEM_SHAPES)
def test_the_fast_parser_stores_the_link_or_hands_the_feed_on(shape, state):
    """Where the fast parser reads a GUID as the link, the document goes to the tolerant parser."""
    content = document(shape, state)
    fast = parse_xml_with(content, "fast", url="https://news.example/feed")
    if [item.url for item in fast.items] != expected():
        clean = to_utf8(content)
        assert tidy_fast_entries(clean, list(fastfeedparser.parse(clean)["entries"])) != ""


def test_an_empty_link_lets_a_permalink_guid_stand_in_on_both_paths():
    items = "".join(f"<item><title>S{n}</title><link></link><guid>{GUID.format(n=n)}</guid></item>" for n in (1, 2))
    content = f'<rss version="2.0"><channel><title>N</title>{items}</channel></rss>'.encode()
    want = [GUID.format(n=n) for n in (1, 2)]
    for feed in (parse_feed(content), parse_xml_with(content, "fast"), parse_xml_with(content, "tolerant")):
        assert [item.url for item in feed.items] == want


def test_a_not_permalink_guid_never_becomes_the_link():
    items = "".join(
        f'<item><title>S{n}</title><guid isPermaLink="false">{GUID.format(n=n)}</guid></item>' for n in (1, 2)
    )
    content = f'<rss version="2.0"><channel><title>N</title>{items}</channel></rss>'.encode()
    for feed in (parse_feed(content), parse_xml_with(content, "tolerant")):
        assert [item.url for item in feed.items] == ["", ""]


# --- stored: the reader's "Read the original" goes to the link ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("shape", ["not-permalink-guid-after-link", "atom-link-in-rss-item"])
def test_refresh_stores_each_item_under_its_link_with_a_clean_headline(server, settings, shape, state):
    settings.FETCH_FULL_TEXT = False
    url = server.add("/feed", document(shape, state), content_type="application/rss+xml; charset=utf-8")
    source = Source.objects.create(url=url, name="News")
    refresh_source(source.pk)
    stored = list(Article.objects.filter(source=source).order_by("guid").values_list("url", "guid", "headline"))
    assert [row[0] for row in stored] == [canonicalize_url(link) for link in expected()]
    assert [row[1] for row in stored] == [GUID.format(n=n) for n in range(1, 4)]
    assert [row[2] for row in stored] == [f"Story {n}: café “news”" for n in range(1, 4)]


MALFORMATIONS = {
    "bare-ampersand-before": ("<title>News</title>", "<title>News & views</title>"),
    "undefined-entity": ("<description>All the news</description>", "<description>All&nbsp;the news</description>"),
    "less-than-in-text": ("<title>News</title>", "<title>News < views</title>"),
    "mismatched-tag-after-the-item": ("</item></channel>", "</item><ttl>60</tl></channel>"),
    "truncated": ("</item></channel></rss>", "</item><item><title>Cut"),
    "control-character": ("<title>News</title>", "<title>News\x08</title>"),
}


@pytest.mark.parametrize("malformation", MALFORMATIONS)
def test_a_malformed_feed_keeps_its_entity_references(malformation):
    """After its first error the fast parser's recovering XML parser dropped every entity reference:
    "Q&amp;A" came out "QA" and "?a=1&amp;b=2" as "?a=1b=2"."""
    before, after = MALFORMATIONS[malformation]
    content = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        "<link>https://news.example/</link><description>All the news</description>"
        "<item><title>Q&amp;A: rock &amp; roll</title><link>https://news.example/a?id=1&amp;p=2</link>"
        "<guid>https://news.example/g/1</guid><description>Tom &amp; Jerry &lt;3</description></item>"
        "</channel></rss>"
    ).replace(before, after, 1)
    item = parse_feed(content.encode()).items[0]
    assert (item.headline, item.url, item.paragraphs) == (
        "Q&A: rock & roll",
        "https://news.example/a?id=1&p=2",
        ("Tom & Jerry <3",),
    )


def test_items_the_tolerant_parser_loses_in_a_malformed_feed_are_kept_from_the_fast_reading():
    items = "".join(f"<item><title>Story {n}</title><link>https://news.example/{n}</link></item>" for n in (1, 2))
    content = f'<rss version="2.0"><channel><title>N</title><description>x</descr>{items}</channel></rss>'.encode()
    assert len(parse_xml_with(content, "tolerant").items) < 2
    assert [item.url for item in parse_feed(content).items] == ["https://news.example/1", "https://news.example/2"]
