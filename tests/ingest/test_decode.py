"""Bytes → text: declared charsets that lie, both ways, in feeds (both parsers), pages and the decoder itself."""

# ruff: noqa: RUF001

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.articles.models import Article
from tidings.ingest.parse.decode import decode_bytes, to_utf8, try_decode
from tidings.ingest.parse.document import read_document
from tidings.ingest.parse.feeds import parse_feed, parse_xml_with
from tidings.ingest.refresh import refresh_source
from tidings.ingest.types import FetchResult
from tidings.sources.models import Source

DATA = Path(__file__).parent / "data"
HEADLINE = "Café “Extra” – crème brûlée for Zoë’s naïve señor"
SUMMARY = "Déjà vu at the café: the maître d’hôtel said “voilà” — and that was that."
# Bytes windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) never turn into U+FFFD either.
MOJIBAKE = ("Ã©", "â€", "Ã¨", "Ã¯", "\ufffd")


def rss(encoding_label: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding_label}"?>\n'
        '<rss version="2.0"><channel><title>Le Café</title><link>https://cafe.example/</link>'
        "<description>Nouvelles</description>"
        f"<item><title>{HEADLINE}</title><link>https://cafe.example/a/1</link>"
        f'<guid isPermaLink="false">cafe-1</guid><description>{SUMMARY}</description></item>'
        f"<item><title>Second – “item”</title><link>https://cafe.example/a/2</link>"
        f'<guid isPermaLink="false">cafe-2</guid><description>Ça va. Très bien.</description></item>'
        "</channel></rss>\n"
    )


def atom(encoding_label: str) -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding_label}"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Le Café</title><id>urn:cafe</id>'
        "<updated>2026-03-01T10:00:00Z</updated>"
        f'<entry><title>{HEADLINE}</title><link href="https://cafe.example/a/1"/><id>urn:cafe:1</id>'
        f"<updated>2026-03-01T10:00:00Z</updated><summary>{SUMMARY}</summary></entry>"
        "</feed>\n"
    )


def page(charset_label: str) -> str:
    template = (DATA / "article.html").read_text(encoding="utf-8")
    return (
        template.replace('<meta charset="utf-8">', f'<meta charset="{charset_label}">')
        .replace("Harbour ferry returns after winter repairs", HEADLINE)
        .replace("The harbour ferry Bluebell", "The café’s ferry “Bluebell”")
    )


def clean(text: str) -> bool:
    return not any(bad in text for bad in MOJIBAKE)


def content_type(media: str, charset: str) -> str:
    return f"{media}; charset={charset}" if charset else media


# (declared in the document, the bytes' real encoding, charset in the HTTP Content-Type)
LIES = [
    pytest.param("windows-1252", "utf-8", "", id="utf8-bytes-declared-1252"),
    pytest.param("iso-8859-1", "utf-8", "", id="utf8-bytes-declared-latin1"),
    pytest.param("utf-8", "cp1252", "", id="1252-bytes-declared-utf8"),
    pytest.param("utf-8", "cp1252", "utf-8", id="1252-bytes-header-and-decl-utf8"),
    pytest.param("windows-1252", "utf-8", "windows-1252", id="utf8-bytes-header-and-decl-1252"),
    pytest.param("utf-8", "utf-8", "iso-8859-1", id="utf8-bytes-header-latin1"),
    pytest.param("windows-1252", "cp1252", "utf-8", id="1252-bytes-header-utf8"),
    pytest.param("windows-1252", "cp1252", "", id="honest-1252"),
    pytest.param("utf-8", "utf-8", "", id="honest-utf8"),
]


@pytest.mark.parametrize(("declared", "actual", "charset"), LIES)
@pytest.mark.parametrize("parser", ["fast", "tolerant"])
def test_rss_headlines_are_clean_whatever_the_declaration_says(declared, actual, charset, parser):
    body = rss(declared).encode(actual)
    header = content_type("application/rss+xml", charset)
    for feed in (parse_xml_with(to_utf8(body, header), parser), parse_feed(body, content_type=header)):
        assert [item.headline for item in feed.items] == [HEADLINE, "Second – “item”"]
        assert feed.items[0].paragraphs == (SUMMARY,)
        assert feed.title == "Le Café"


@pytest.mark.parametrize(("declared", "actual", "charset"), LIES)
def test_atom_headlines_are_clean_whatever_the_declaration_says(declared, actual, charset):
    feed = parse_feed(atom(declared).encode(actual), content_type=content_type("application/atom+xml", charset))
    assert [(item.headline, item.paragraphs) for item in feed.items] == [(HEADLINE, (SUMMARY,))]


@pytest.mark.parametrize(("declared", "actual", "charset"), LIES)
def test_json_feed_in_the_wrong_encoding_is_read(declared, actual, charset):
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Le Café", "items": [{"id": "1", '
        f'"url": "https://cafe.example/a/1", "title": "{HEADLINE}", "content_text": "{SUMMARY}"}}]}}'
    )
    feed = parse_feed(body.encode(actual), content_type=content_type("application/feed+json", charset))
    assert [item.headline for item in feed.items] == [HEADLINE]


@pytest.mark.parametrize(("declared", "actual", "charset"), LIES)
def test_pages_are_extracted_clean_whatever_the_declaration_says(declared, actual, charset):
    fetched = FetchResult(
        url="https://quayside.example/news/x",
        status_code=200,
        content=page(declared).encode(actual),
        content_type=content_type("text/html", charset),
    )
    kind, _, (article,) = read_document(fetched)
    assert kind == "html"
    assert article.headline == HEADLINE
    assert "The café’s ferry “Bluebell”" in " ".join(article.paragraphs)
    assert all(clean(text) for text in (article.headline, *article.paragraphs))


def test_http_equiv_meta_is_read_and_rewritten():
    body = page("utf-8").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    )
    out = to_utf8(body.encode("utf-8"), "text/html")
    assert b"charset=utf-8" in out and b"windows-1252" not in out[:2000]
    assert HEADLINE.encode() in out


@pytest.mark.parametrize(
    ("data", "content_type", "text", "encoding"),
    [
        ("Café “Extra”".encode("cp1252"), "text/plain; charset=utf-8", "Café “Extra”", "cp1252"),
        ("Café “Extra”".encode(), "text/plain; charset=windows-1252", "Café “Extra”", "utf-8"),
        ("Café".encode(), "text/plain; charset=iso-8859-1", "Café", "utf-8"),
        (b"plain ascii", "text/plain; charset=utf-16", "plain ascii", "utf-8"),
        ("Caf\u00e9 \u0081".encode("latin-1"), "", "Caf\u00e9 \u0081", "cp1252"),  # 0x81: undefined in 1252
        ("Straße".encode("utf-16"), "", "Straße", "utf_16"),
        (
            "東京の天気は晴れです。".encode("shift_jis"),
            "text/plain; charset=Shift_JIS",
            "東京の天気は晴れです。",
            "cp932",
        ),
        ("北京今天天气很好。".encode("gb18030"), "text/plain; charset=gb2312", "北京今天天气很好。", "gb18030"),
        ("서울의 날씨는 맑습니다.".encode("euc_kr"), "text/plain; charset=euc-kr", "서울의 날씨는 맑습니다.", "cp949"),
        ("“Smart” – quotes ’n’ ©".encode() + b" \x93x\x94", "", "“Smart” – quotes ’n’ © “x”", "utf-8+cp1252"),
    ],
)
def test_decoder_chain(data, content_type, text, encoding):
    decoded = decode_bytes(data, content_type)
    assert (decoded.text, decoded.encoding) == (text, encoding)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "shift_jis", "gb18030", "euc_kr"])
def test_undeclared_text_is_detected_without_replacement_characters(encoding):
    samples = {
        "cp1252": "Le maître d’hôtel a dit « voilà » à la café-crème. Très bien, merci, à bientôt.",
        "utf-8": "Le maître d’hôtel a dit « voilà » à la café-crème. Très bien, merci, à bientôt.",
        "shift_jis": "東京都は今日、新しい防災計画を発表した。計画では、避難所を増やす。",
        "gb18030": "北京市政府今天宣布了新的交通计划。该计划将在明年实施。",
        "euc_kr": "서울시는 오늘 새로운 교통 계획을 발표했다. 이 계획은 내년부터 시행된다.",
    }
    decoded = try_decode(samples[encoding].encode(encoding), document=False)
    assert decoded is not None and decoded.text == samples[encoding]


def test_a_clean_utf8_document_is_handed_on_as_it_is():
    body = rss("utf-8").encode()
    assert to_utf8(body, "application/rss+xml; charset=utf-8") is body


def test_a_recoded_document_declares_utf8():
    out = to_utf8(rss("windows-1252").encode("cp1252"), "application/rss+xml")
    assert out.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert HEADLINE.encode() in out


def test_utf16_with_a_bom_and_a_utf16_declaration_becomes_utf8():
    body = rss("utf-16").encode("utf-16")
    assert [item.headline for item in parse_feed(body).items] == [HEADLINE, "Second – “item”"]


@pytest.mark.parametrize(("declared", "actual", "charset"), LIES)
def test_a_fetched_json_feed_in_the_wrong_encoding_is_detected_and_read(declared, actual, charset):
    body = f'{{"version": "https://jsonfeed.org/version/1.1", "items": [{{"url": "https://cafe.example/1", "title": "{HEADLINE}"}}]}}'
    fetched = FetchResult(
        url="https://cafe.example/feed.json",
        status_code=200,
        content=body.encode(actual),
        content_type=content_type("application/json", charset),
    )
    kind, _, items = read_document(fetched)
    assert (kind, [item.headline for item in items]) == ("jsonfeed", [HEADLINE])


@pytest.mark.parametrize("encoding", ["shift_jis", "gb18030", "euc_kr", "cp1252"])
def test_a_fetched_text_file_in_a_legacy_encoding_is_read_as_text(encoding):
    samples = {
        "shift_jis": "東京で大雨\n\n東京都内では六日、記録的な大雨となった。交通機関に大きな乱れが出ている。\n",
        "gb18030": "北京降大雨\n\n北京市六日出现了创纪录的强降雨。交通受到严重影响，多条线路暂停运营。\n",
        "euc_kr": "서울에 폭우\n\n서울에는 6일 기록적인 폭우가 내렸다. 교통이 크게 혼잡했다.\n",
        "cp1252": "Pluie à Paris\n\nIl a plu toute la journée à Paris. Les transports ont été très perturbés.\n",
    }
    fetched = FetchResult(url="https://x.example/a.txt", status_code=200, content=samples[encoding].encode(encoding))
    kind, _, (article,) = read_document(fetched)
    assert (kind, article.headline) == ("text", samples[encoding].split("\n")[0])


@pytest.mark.parametrize(
    ("actual", "charset"), [("utf-8", ""), ("cp1252", ""), ("cp1252", "windows-1252"), ("utf-8", "windows-1252")]
)
def test_a_page_without_a_meta_charset_is_read_by_the_bytes_and_the_header(actual, charset):
    body = page("utf-8").replace('<meta charset="utf-8">', "").encode(actual)
    fetched = FetchResult(
        url="https://q.example/x", status_code=200, content=body, content_type=content_type("text/html", charset)
    )
    _, _, (article,) = read_document(fetched)
    assert article.headline == HEADLINE


# --- stored: feeds and full-text pages through the engine ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("declared", "actual", "charset"), LIES)
def test_refresh_stores_clean_text_from_a_lying_feed_and_its_lying_pages(server, settings, declared, actual, charset):
    settings.FETCH_FULL_TEXT = True
    page_url = server.add("/news/1", page(declared).encode(actual), content_type=content_type("text/html", charset))
    feed = (
        f'<?xml version="1.0" encoding="{declared}"?><rss version="2.0"><channel><title>Le Café</title>'
        f"<item><title>{HEADLINE}</title><link>{page_url}</link><description>Short.</description></item>"
        "</channel></rss>"
    )
    url = server.add("/feed", feed.encode(actual), content_type=content_type("application/rss+xml", charset))
    source = Source.objects.create(url=url, name="Le Café")
    refresh_source(source.pk)
    article = Article.objects.get(source=source)
    assert article.headline == HEADLINE
    assert "The café’s ferry “Bluebell”" in article.body_text  # from the page: the feed only had "Short."
    assert clean(article.body_text) and clean(article.headline)
