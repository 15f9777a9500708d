"""parse.document: what storing needs is worked out from the item alone, the same way the store did."""

from __future__ import annotations

from django.utils.html import escape

from tidings.ingest.boilerplate import (
    BoilerplateState,
    article_keys,
    keys_of,
    learn,
    paragraph_line_keys,
    strip,
    strip_repeated,
)
from tidings.ingest.dedup import content_hash
from tidings.ingest.parse.document import (
    MIN_WORDS_FOR_HASH_DEDUP,
    item_keys,
    paragraphs_to_html,
    read_and_key,
    read_document,
)
from tidings.ingest.types import ExtractedArticle, FetchResult
from tidings.lib.canonical import canonicalize_url

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>
<item><title>Pier reopens</title><link>https://harbour.example.org/pier?utm_source=rss#top</link>
<guid>pier-1</guid><description>&lt;p&gt;The pier reopened on Friday.&lt;/p&gt;&lt;p&gt;Crowds came.&lt;/p&gt;</description></item>
<item><title>Ferry late</title><link>https://harbour.example.org/ferry</link><guid>ferry-1</guid>
<description>The ferry was late again.</description></item>
</channel></rss>"""


def fetched(content: bytes) -> FetchResult:
    return FetchResult(url="https://harbour.example.org/feed", status_code=200, content=content)


def test_keys_are_the_canonical_url_and_content_hash_of_the_item():
    item = ExtractedArticle(headline="Pier reopens", paragraphs=("The pier reopened.",), url="https://A.example/x#f")
    keys = item_keys(item)
    assert keys.url == canonicalize_url(item.url)
    assert keys.content_hash == content_hash(item.headline, item.body_text)


def test_only_a_body_of_some_length_identifies_an_item_by_its_hash():
    short = ExtractedArticle(headline="H", paragraphs=("word " * (MIN_WORDS_FOR_HASH_DEDUP - 1),))
    long = ExtractedArticle(headline="H", paragraphs=("word " * MIN_WORDS_FOR_HASH_DEDUP,))
    assert not item_keys(short).hash_identifies
    assert item_keys(long).hash_identifies


def test_body_html_of_plain_paragraphs_is_escaped_as_django_escapes():
    paragraphs = ('Tom & Jerry said "<hi>" isn\'t news',)
    assert paragraphs_to_html(paragraphs) == f"<p>{escape(paragraphs[0])}</p>"


def test_body_html_of_an_item_with_markup_is_sanitized():
    item = ExtractedArticle(headline="H", paragraphs=("Hi",), body_html="<p onclick='x()'>Hi</p><script>x()</script>")
    assert item_keys(item).body_html == "<p>Hi</p>"


def test_read_and_key_gives_one_key_per_item_in_order():
    document = read_and_key(fetched(RSS))
    kind, _, items = read_document(fetched(RSS))
    assert (document.kind, document.items) == (kind, items)
    assert len(document.keys) == len(items) == 2
    assert [k.url for k in document.keys] == [canonicalize_url(i.url) for i in document.items]


def test_line_keys_strip_what_strip_strips():
    repeated_line = "Sign up to the Morning Tide newsletter."
    paragraphs = ("A story about the pier.", f"Crowds came.\n{repeated_line}", repeated_line)
    state_articles = [("One.", repeated_line), ("Two.", repeated_line), ("Three.", repeated_line)]
    state = BoilerplateState()
    for article in state_articles:
        state = learn(state, article)
    line_keys = paragraph_line_keys(paragraphs)
    assert keys_of(line_keys) == article_keys(paragraphs)
    assert (
        strip_repeated(state.repeated(), paragraphs, line_keys)
        == strip(state, paragraphs)
        == (
            "A story about the pier.",
            "Crowds came.",
        )
    )
