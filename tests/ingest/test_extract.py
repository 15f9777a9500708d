"""Article pages and HTML fragments into clean text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest.parse.extract import extract_article, find_feed_links
from tidings.ingest.parse.fragment import html_to_paragraphs
from tidings.lib.errors import ParseError

DATA = Path(__file__).parent / "data"
URL = "https://quayside.example/news/harbour-ferry-returns?utm_source=x"


@pytest.fixture(scope="module")
def article():
    return extract_article((DATA / "article.html").read_bytes(), url=URL)


def test_headline_author_date_and_outlet(article):
    assert article.headline == "Harbour ferry returns after winter repairs"
    assert article.author == "Morwenna Tregarthen"
    assert article.published_at == datetime(2026, 3, 14, 8, 30, tzinfo=UTC)
    assert article.outlet == "The Quayside Courier"


def test_canonical_url_is_used(article):
    assert article.url == "https://quayside.example/news/harbour-ferry-returns"


def test_paragraphs_leave_out_navigation_and_footer(article):
    assert len(article.paragraphs) == 5
    assert article.paragraphs[0].startswith("The harbour ferry Bluebell carried its first passengers")
    assert not any("Copyright" in p or "Privacy" in p for p in article.paragraphs)


def test_meta_description_is_the_standfirst(article):
    assert article.standfirst.startswith("The little blue ferry is back on the water")


def test_figure_caption_and_credit_are_separated(article):
    assert article.image_url == "https://quayside.example/img/ferry-large.jpg"
    assert article.image_caption == "The ferry Bluebell leaves the slipway on its first crossing of the spring."
    assert article.image_credit == "Ennis Polglaze"


def test_credit_written_in_the_caption_is_split_off():
    html = (
        (DATA / "article.html")
        .read_text()
        .replace('<span class="credit">Photo: Ennis Polglaze</span>', "Photograph: Ennis Polglaze")
    )
    assert extract_article(html, url=URL).image_credit == "Ennis Polglaze"


def test_description_repeating_the_first_paragraph_is_not_a_standfirst():
    first = "The harbour ferry Bluebell carried its first passengers of the year on Saturday morning"
    html = (
        (DATA / "article.html")
        .read_text()
        .replace(
            "The little blue ferry is back on the water after three months in dry dock, and the crossing now takes six "
            "minutes.",
            first + "…",
        )
    )
    assert extract_article(html, url=URL).standfirst == ""


def test_marked_dek_becomes_the_standfirst_and_leaves_the_body():
    dek = "Three months in dry dock, and the crossing is a minute quicker"
    html = (
        (DATA / "article.html")
        .read_text()
        .replace('<p class="byline">', f'<p class="standfirst">{dek}</p><p class="byline">')
    )
    result = extract_article(html, url=URL)
    assert result.standfirst == dek
    assert dek not in result.paragraphs


def test_page_without_an_article_is_refused_in_plain_words():
    with pytest.raises(ParseError, match="neither a feed nor an article"):
        extract_article((DATA / "not_a_feed.html").read_bytes(), url="https://club.example/")


@pytest.mark.parametrize("html", [b"", b"   ", b"<html></html>", b"\x00\x01\x02"])
def test_empty_or_broken_pages_are_refused(html):
    with pytest.raises(ParseError):
        extract_article(html)


def test_fragment_blocks_and_double_breaks_become_paragraphs():
    html = "<p>One <b>bold</b> line</p><div>Two</div>three<br>still three<br><br>four"
    assert html_to_paragraphs(html) == ("One bold line", "Two", "three still three", "four")


def test_fragment_scripts_are_dropped():
    assert html_to_paragraphs("<p>Kept</p><script>var x = 1;</script><style>p{}</style>") == ("Kept",)


def test_plain_text_splits_on_blank_lines():
    assert html_to_paragraphs("First  part\nsame paragraph\n\nSecond") == ("First part same paragraph", "Second")


@given(st.text(max_size=300))
def test_any_text_gives_stripped_non_empty_paragraphs(text):
    paragraphs = html_to_paragraphs(text)
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


def test_feed_links_advertised_by_a_page_are_found():
    html = (DATA / "home_with_feed.html").read_bytes()
    assert find_feed_links(html, url="https://quayside.example/") == (
        "https://quayside.example/feeds/latest.xml",
        "https://quayside.example/feeds/atom.xml",
    )


def test_page_without_feed_links_has_none():
    assert find_feed_links((DATA / "article.html").read_bytes()) == ()


# --- page shapes beyond the semantic <article> --------------------------------------------------

STORY = (
    "The lifeboat crew at Porthgwidden launched twice on Sunday to reach a yacht that had lost its rudder in a gale.",
    "Coxswain Tamsin Rowe said the second launch was needed because the tow line parted near the harbour mouth.",
    "The yacht's two sailors were brought ashore at dusk, cold but unhurt, and the boat was moored in the inner basin.",
    "The station has now answered forty-one calls this year, eleven more than in the whole of last year.",
    "Volunteers will hold an open day at the boathouse next month to recruit new shore crew and fundraisers.",
)
MORE = (
    "The charity that runs the station said the new boat, due next spring, will launch at any state of tide.",
    "Fundraisers have collected most of the cost through a summer of swims, bake sales and a sponsored row.",
    "The harbour master thanked the crew and asked skippers to check their steering before the winter storms.",
)
HEADLINE = "Lifeboat launches twice to reach yacht in gale"
NAV = "".join(f'<li><a href="/s/{n}">Section {n}</a></li>' for n in range(12))


def page(body: str, head: str = "") -> str:
    title = f"<title>{HEADLINE} | Harbour Lamp</title>"
    return f"<!doctype html><html lang='en'><head>{title}{head}</head><body>{body}</body></html>"


def test_layout_table_page_keeps_the_story_and_leaves_the_chrome():
    story = "<br><br>".join(STORY)
    html = page(
        f'<table width="100%"><tr><td colspan="2">Harbour Lamp</td></tr><tr><td><ul>{NAV}</ul></td><td>'
        f"<font size=5><b>{HEADLINE}</b></font><br><font size=3><i>Two launches in one afternoon for the volunteer "
        "crew.</i></font><br><div class='story'>" + story + "</div><p class='donate'>Readers like you keep us "
        "going. Become a supporter today.</p></td></tr><tr><td colspan='2'>All rights reserved.</td></tr></table>"
    )
    result = extract_article(html, url="https://lamp.example/a")
    assert result.paragraphs == STORY


def test_italic_line_under_the_headline_is_the_standfirst():
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<div><b>{HEADLINE}</b><br><i>Two launches in one afternoon for the volunteer crew.</i>{story}</div>")
    assert extract_article(html).standfirst == "Two launches in one afternoon for the volunteer crew."


def test_caption_and_credit_beside_an_image_without_a_figure():
    story = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(
        f'<div class="content"><h1>{HEADLINE}</h1><div class="img-wrap"><img src="/i.jpg">'
        '<div class="caption">The yacht under tow off the point.</div>'
        '<div class="photo-credit">Photo: Kerensa Nance</div></div><div class="txt">' + story + "</div></div>"
    )
    result = extract_article(html)
    assert (result.image_caption, result.image_credit) == ("The yacht under tow off the point.", "Kerensa Nance")


def test_line_breaks_inside_a_block_separate_paragraphs():
    html = page(f"<article><h1>{HEADLINE}</h1><div>" + "<br><br>".join(STORY) + "</div></article>")
    assert extract_article(html).paragraphs == STORY


def test_calls_to_action_between_paragraphs_are_dropped():
    blocks = [f"<p>{p}</p>" for p in STORY]
    blocks.insert(2, "<p>READ MORE: Harbour dredging to start in spring</p>")
    blocks.insert(4, "<p>Sign up to our morning newsletter</p>")
    html = page(f"<article><h1>{HEADLINE}</h1>{''.join(blocks)}</article>")
    assert extract_article(html).paragraphs == STORY


def test_short_all_link_lines_are_dropped():
    blocks = [f"<p>{p}</p>" for p in STORY]
    blocks.append('<p><a href="/other">Ferry timetable changes again for the summer</a></p>')
    html = page(f"<article><h1>{HEADLINE}</h1>{''.join(blocks)}</article>")
    assert extract_article(html).paragraphs == STORY


def test_paragraph_with_a_link_in_its_text_is_kept():
    blocks = [f"<p>{p}</p>" for p in STORY]
    blocks[1] = f'<p>{STORY[1][:20]}<a href="/rowe">{STORY[1][20:40]}</a>{STORY[1][40:]}</p>'
    html = page(f"<article><h1>{HEADLINE}</h1>{''.join(blocks)}</article>")
    assert extract_article(html).paragraphs == STORY


def test_data_table_rows_become_lines():
    rows = "".join(f"<tr><td>{n}</td><td>Crew member {n}</td><td>{n * 3} launches</td></tr>" for n in range(1, 4))
    blocks = "".join(f"<p>{p}</p>" for p in STORY)
    html = page(f"<article><h1>{HEADLINE}</h1>{blocks}<table>{rows}</table></article>")
    assert "2 Crew member 2 6 launches" in extract_article(html).paragraphs


def test_short_article_in_a_language_without_spaces_is_accepted():
    text = "港の救命艇は日曜日に二回出動し、舵を失ったヨットの乗組員二人を無事に救助した。" * 4
    html = page(
        f"<article><h1>救命艇が二回出動</h1><p>{text}</p><p>{text}</p></article>",
        '<meta property="og:type" content="article">',
    )
    assert extract_article(html).paragraphs


def test_body_split_into_same_class_blocks_by_an_advert_is_read_whole():
    first = "".join(f"<p>{p}</p>" for p in STORY)
    rest = "".join(f"<p>{p}</p>" for p in MORE)
    html = page(
        f"<main><article><h1>{HEADLINE}</h1><div class='chunks'>"
        f"<div class='grid'><div class='article-body'>{first}</div><div class='rail'>Advert</div></div>"
        "<div class='ad-row'>Advertisement</div>"
        f"<div class='grid'><div class='article-body'>{rest}</div><div class='rail'>Advert</div></div>"
        "</div></article></main>"
    )
    assert extract_article(html).paragraphs == STORY + MORE


def test_same_class_blocks_far_apart_are_not_joined():
    story = "".join(f"<p>{p}</p>" for p in STORY)
    teaser = "Harbour dredging is to start in the spring, the port authority confirmed on a long call with the press."
    sidebar = "".join(
        f"<li><div class='x'><div class='y'><div class='post-content'><p>{teaser} {n}</p></div></div></div></li>"
        for n in range(2)
    )
    html = page(
        f"<main><div class='wrap'><div class='post-content'><h1>{HEADLINE}</h1>{story}</div></div></main>"
        f"<div class='side'><ul>{sidebar}</ul></div>"
    )
    assert not any(p.startswith("Harbour dredging") for p in extract_article(html).paragraphs)


html_pieces = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<br>",
        "<!-- note -->",
        "<table><tr><td>",
        "</td></tr></table>",
        "<figure><img src=x>",
        "<figcaption>",
        "</figure>",
        '<div class="caption">',
        '<div class="dek">',
        "</div>",
        "<h1>",
        "</h1>",
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": 5}</script>',
        "<a href='/x'>",
        "</a>",
        "word ",
        "The ferry left the slipway at dawn with eleven passengers aboard. ",
        "\u00a9 ",
    ]
)


@given(st.lists(html_pieces, max_size=80))
def test_any_markup_gives_an_article_or_a_parse_error(pieces):
    try:
        result = extract_article("<html><body>" + "".join(pieces) + "</body></html>")
    except ParseError:
        return
    assert result.headline and result.paragraphs
