"""Pure OPML reading and writing: folders, per-entry errors, whole-file errors, round trips."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.lib.errors import ParseError
from tidings.sources.opml import (
    MAX_OPML_BYTES,
    MAX_OPML_FEEDS,
    OpmlFeed,
    check_feed_url,
    feed_key,
    parse_opml,
    render_opml,
)

DATA = Path(__file__).parent / "data"
CREATED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def opml(body: str, title: str = "Test list") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>{title}</title></head>'
        f"<body>{body}</body></opml>"
    ).encode()


@pytest.fixture(scope="module")
def subscriptions():
    return parse_opml(read("subscriptions.opml"))


def errors_by_title(document):
    return {error.title: error for error in document.errors}


def test_document_title_is_read(subscriptions):
    assert subscriptions.title == "Morning reading & more"


def test_nested_outlines_become_folder_paths(subscriptions):
    folders = {feed.title: feed.folder for feed in subscriptions.feeds}
    assert folders == {
        "Harbour Town Courier": "News/World",
        "Valley Ledger": "News/World",
        "Northern Bulletin": "News",
        "Lab Notes": "Science & Tech",
        "Top-level Gazette": "",
    }


def test_folders_are_listed_in_document_order_including_empty_ones(subscriptions):
    assert subscriptions.folders == ("News", "News/World", "Science & Tech", "Empty folder")


def test_feed_keeps_its_web_page_address(subscriptions):
    [courier] = [feed for feed in subscriptions.feeds if feed.title == "Harbour Town Courier"]
    assert courier == OpmlFeed(
        "https://courier.example.org/feed.xml", "Harbour Town Courier", "https://courier.example.org/", "News/World"
    )


def test_escaped_ampersand_in_feed_address_is_decoded(subscriptions):
    urls = [feed.xml_url for feed in subscriptions.feeds]
    assert "http://127.0.0.1:8765/ledger/rss?edition=1&lang=en" in urls


def test_javascript_web_page_address_is_dropped_but_the_feed_kept(subscriptions):
    [lab] = [feed for feed in subscriptions.feeds if feed.title == "Lab Notes"]
    assert (lab.xml_url, lab.html_url) == ("https://labnotes.example.org/index.json", "")


def test_entry_without_feed_address_is_reported_with_its_line(subscriptions):
    error = errors_by_title(subscriptions)["No feed here"]
    assert error.line == 16
    assert error.reason == "has no feed address (xmlUrl), only a web page: https://nofeed.example.org/"


def test_javascript_feed_address_is_refused(subscriptions):
    error = errors_by_title(subscriptions)["Script feed"]
    assert error.url == "javascript:alert(document.cookie)"
    assert "not http or https" in error.reason


def test_repeated_feed_is_reported_pointing_at_the_first(subscriptions):
    error = errors_by_title(subscriptions)["Courier again"]
    assert error.reason == "repeats a feed listed earlier in this file (first on line 9)"


def test_text_that_is_not_an_address_is_refused(subscriptions):
    error = errors_by_title(subscriptions)["Not an address"]
    assert error.reason == "has a feed address that is not a web address: not a web address"


def test_bad_entries_do_not_stop_the_entries_after_them(subscriptions):
    assert subscriptions.feeds[-1].title == "Top-level Gazette"
    assert len(subscriptions.feeds) == 5
    assert len(subscriptions.errors) == 4


def test_error_description_names_line_and_entry(subscriptions):
    error = errors_by_title(subscriptions)["Not an address"]
    assert error.describe() == (
        "line 19: “Not an address” has a feed address that is not a web address: not a web address"
    )


def test_well_formed_file_has_no_warning(subscriptions):
    assert subscriptions.warning == ""


def test_cut_off_document_raises_parse_error():
    with pytest.raises(ParseError, match=r"not a readable OPML file \(not well-formed .* line 6\)"):
        parse_opml(read("malformed.opml"))


def test_entity_declarations_are_refused_without_expansion():
    started = time.perf_counter()
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_opml(read("billion_laughs.opml"))
    assert time.perf_counter() - started < 1.0


def test_entity_declarations_are_refused_in_a_file_that_is_not_well_formed():
    data = read("billion_laughs.opml").replace(b"</body>", b"</bodyy>")
    with pytest.raises(ParseError, match="declares XML entities"):
        parse_opml(data)


def test_a_feed_is_not_an_opml_file():
    with pytest.raises(ParseError, match=r"this is not an OPML file \(it is a <rss> document\)"):
        parse_opml(read("not_opml.xml"))


@pytest.mark.parametrize("data", [b"", b"   \n", b"plain words, not XML", b'{"feeds": []}', b"\x89PNG\r\n\x1a\n\0\0"])
def test_files_that_are_not_xml_raise_parse_error(data):
    with pytest.raises(ParseError):
        parse_opml(data)


def test_file_over_the_size_limit_is_refused_before_parsing():
    data = opml("") + b" " * MAX_OPML_BYTES
    with pytest.raises(ParseError, match=r"the limit for an OPML file is 10 MB"):
        parse_opml(data)


def test_more_feeds_than_one_import_takes_is_refused():
    body = "".join(f'<outline type="rss" text="F{n}" xmlUrl="https://f{n}.example.org/feed"/>' for n in range(6000))
    with pytest.raises(ParseError, match=f"lists 6,000 feeds; one import takes at most {MAX_OPML_FEEDS:,}"):
        parse_opml(opml(body))


def test_bare_ampersand_is_read_as_an_escaped_one_with_a_warning():
    document = parse_opml(read("sloppy.opml"))
    assert [feed.xml_url for feed in document.feeds] == [
        "https://echo.example.org/rss?section=local&format=xml",
        "https://hilltop.example.org/feed",
    ]
    assert "bare & read as &amp;" in document.warning


def test_repaired_file_still_reports_entries_with_their_line():
    [error] = parse_opml(read("sloppy.opml")).errors
    assert (error.title, error.line) == ("Orphan page", 9)


def test_unclosed_outlines_are_read_by_the_tolerant_parser():
    document = parse_opml(read("unclosed.opml"))
    assert [(feed.title, feed.folder) for feed in document.feeds] == [
        ("Lakeside Post", "Regional"),
        ("Dockyard Daily", "Regional"),
    ]
    assert "read by a tolerant parser" in document.warning


def test_tolerant_parser_still_refuses_bad_addresses():
    [error] = parse_opml(read("unclosed.opml")).errors
    assert (error.title, error.url) == ("Bad scheme", "ftp://files.example.org/feed.xml")


def test_category_attribute_gives_the_folder_of_a_top_level_feed():
    body = '<outline type="rss" text="Tagged" xmlUrl="https://tagged.example.org/rss" category="/Sport/Rowing,/Local"/>'
    document = parse_opml(opml(body))
    assert (document.feeds[0].folder, document.folders) == ("Sport/Rowing", ("Sport/Rowing",))


def test_attribute_names_are_read_in_any_case():
    document = parse_opml(opml('<outline TYPE="rss" TEXT="Shouting" XMLURL="https://loud.example.org/feed"/>'))
    assert document.feeds == (OpmlFeed("https://loud.example.org/feed", "Shouting"),)


def test_title_attribute_is_used_when_text_is_missing():
    document = parse_opml(opml('<outline type="rss" title="Only a title" xmlUrl="https://t.example.org/feed"/>'))
    assert document.feeds[0].title == "Only a title"


def test_slash_in_a_folder_name_does_not_create_a_level():
    body = '<outline text="Either/Or"><outline type="rss" text="F" xmlUrl="https://f.example.org/rss"/></outline>'
    assert parse_opml(opml(body)).feeds[0].folder == "Either-Or"


def test_link_to_another_subscription_list_is_reported():
    body = '<outline type="include" text="More lists" url="https://lists.example.org/more.opml"/>'
    [error] = parse_opml(opml(body)).errors
    assert error.reason == "links to another subscription list, which is not imported"


def test_feed_type_without_feed_address_is_reported():
    [error] = parse_opml(opml('<outline type="rss" text="Blank"/>')).errors
    assert error.reason == "has no feed address (xmlUrl)"


def test_feeds_differing_in_a_query_parameter_are_two_feeds():
    body = (
        '<outline type="rss" text="Sport" xmlUrl="https://x.example.org/rss?section=sport"/>'
        '<outline type="rss" text="News" xmlUrl="https://x.example.org/rss?section=news"/>'
    )
    document = parse_opml(opml(body))
    assert (len(document.feeds), document.errors) == (2, ())


@pytest.mark.parametrize(
    "spelling",
    [
        "https://X.example.org:443/rss?b=2&a=1",
        "https://x.example.org/rss/?a=1&b=2&utm_source=newsletter",
        "https://x.example.org/rss?a=1&b=2#latest",
    ],
)
def test_another_spelling_of_a_feed_address_is_a_repeat(spelling):
    body = (
        '<outline type="rss" text="First" xmlUrl="https://x.example.org/rss?a=1&amp;b=2"/>'
        f'<outline type="rss" text="Again" xmlUrl="{spelling.replace("&", "&amp;")}"/>'
    )
    [error] = parse_opml(opml(body)).errors
    assert error.title == "Again"


@pytest.mark.parametrize("encoding", ["windows-1252", "utf-16", "iso-8859-15"])
def test_declared_encodings_are_decoded(encoding):
    text = '<?xml version="1.0" encoding="{}"?><opml version="2.0"><body>'
    text += '<outline type="rss" text="Résumé \u2013 Café" xmlUrl="https://r.example.org/rss"/></body></opml>'
    data = text.format(encoding).encode(encoding, errors="replace")
    assert parse_opml(data).feeds[0].title.startswith("Résumé")


@pytest.mark.parametrize("encoding", ["shift_jis", "gb18030", "euc-kr"])
def test_multi_byte_encodings_expat_lacks_are_decoded_strictly(encoding):
    text = '<?xml version="1.0" encoding="{}"?><opml version="2.0"><head><title>\u65b0\u805e</title></head>'
    text += '<body><outline type="rss" text="\u65e5\u520a" xmlUrl="https://r.example.org/rss"/></body></opml>'
    document = parse_opml(text.format(encoding).encode(encoding))
    assert (document.title, document.feeds[0].title, document.warning) == ("\u65b0\u805e", "\u65e5\u520a", "")


def test_unknown_declared_encoding_is_read_tolerantly():
    data = opml('<outline type="rss" text="F" xmlUrl="https://f.example.org/rss"/>').replace(b"UTF-8", b"bogus-enc")
    document = parse_opml(data)
    assert [feed.xml_url for feed in document.feeds] == ["https://f.example.org/rss"]
    assert "unknown encoding: bogus-enc" in document.warning


def test_byte_order_mark_is_skipped():
    assert parse_opml(b"\xef\xbb\xbf" + opml("", title="Café")).title == "Café"


def test_too_many_bad_entries_count_against_the_limit():
    body = "".join(f'<outline type="rss" text="F{n}" xmlUrl="javascript:{n}"/>' for n in range(MAX_OPML_FEEDS + 1))
    with pytest.raises(ParseError, match="one import takes at most"):
        parse_opml(opml(body))


def test_document_without_outlines_is_empty_not_an_error():
    document = parse_opml(opml(""))
    assert (document.feeds, document.errors) == ((), ())


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "has no feed address (xmlUrl)"),
        ("news.example.org/feed", "not a web address"),
        ("https://exa mple.org/feed", "not a web address"),
        ("mailto:editor@example.org", "not http or https"),
        ("file:///etc/passwd", "not http or https"),
        ("http:///feed", "without a host name"),
        ("https://example.org:port/feed", "not a web address"),
        ("https://example.org/" + "a" * 2100, "longer than 2,048 characters"),
    ],
)
def test_check_feed_url_gives_a_reason(raw, reason):
    url, why = check_feed_url(raw)
    assert url == ""
    assert reason in why


def test_check_feed_url_accepts_http_and_https_and_strips_spaces():
    assert check_feed_url("  HTTPS://News.example.org/rss ") == ("HTTPS://News.example.org/rss", "")


def test_render_nests_folders_and_keeps_top_level_feeds_at_the_top():
    data = render_opml(
        [
            OpmlFeed("https://a.example.org/rss", "A", folder="News/World"),
            OpmlFeed("https://b.example.org/rss", "B", folder="News"),
            OpmlFeed("https://c.example.org/rss", "C"),
        ],
        title="Mine",
        created=CREATED,
    )
    assert b'<outline text="News" title="News">\n      <outline text="World" title="World">' in data
    assert parse_opml(data).folders == ("News", "News/World")


def test_render_writes_opml_2_head():
    data = render_opml([], title="Mine", created=CREATED)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<opml version=\"2.0\">")
    assert b"<dateCreated>Wed, 25 Nov 2026 08:00:00 +0000</dateCreated>" in data


def test_render_escapes_markup_in_titles_and_addresses():
    feed = OpmlFeed('https://x.example.org/rss?a=1&b="2"', 'Tom & Jerry <b>"quoted"</b>', folder="R&D")
    data = render_opml([feed], title="<script>alert(1)</script>", created=CREATED)
    assert b"<script>" not in data and b"<b>" not in data
    document = parse_opml(data)
    assert (document.title, document.feeds) == ("<script>alert(1)</script>", (feed,))


def test_render_drops_characters_xml_cannot_carry():
    data = render_opml([OpmlFeed("https://x.example.org/rss", "Bell\x07 and NUL\x00")], title="t", created=CREATED)
    assert parse_opml(data).feeds[0].title == "Bell and NUL"


def test_untitled_feed_is_written_with_its_address_as_text():
    data = render_opml([OpmlFeed("https://x.example.org/rss")], title="t", created=CREATED)
    assert parse_opml(data).feeds[0].title == "https://x.example.org/rss"


names = st.text(st.characters(exclude_characters="/", exclude_categories=["Cs"]), min_size=1, max_size=20)


@given(st.lists(st.tuples(names, st.lists(names, max_size=3)), max_size=8))
def test_rendered_file_reads_back_as_the_same_feeds(entries):
    feeds = [
        OpmlFeed(f"https://feed{n}.example.org/rss", title, folder="/".join(folder))
        for n, (title, folder) in enumerate(entries)
    ]
    document = parse_opml(render_opml(feeds, title="Round trip", created=CREATED))
    # Rendering groups feeds by folder, so compare by address.
    assert {feed.xml_url: (feed.title, feed.folder) for feed in document.feeds} == {
        feed.xml_url: (_cleaned(feed.title) or feed.xml_url, _cleaned_folder(feed.folder)) for feed in feeds
    }


@given(st.binary(max_size=400))
def test_no_bytes_crash_the_reader(data):
    try:
        parse_opml(data)
    except ParseError as err:
        assert err.message


@given(st.text(max_size=300))
def test_no_outline_text_crashes_the_reader(text):
    attr = text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    try:
        parse_opml(opml(f'<outline type="rss" text="{attr}" xmlUrl="{attr}"/>'))
    except ParseError as err:
        assert err.message


def _cleaned(text: str) -> str:
    """What survives in XML (characters XML 1.0 can carry), with runs of white space as one space."""
    visible = "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"))
    return " ".join(visible.split())


def _cleaned_folder(folder: str) -> str:
    return "/".join(part for part in (_cleaned(p) for p in folder.split("/")) if part)


@given(st.text(max_size=200))
def test_feed_key_takes_any_text(text):
    assert isinstance(feed_key(text), str)
