"""A page with a readable main text is read, whatever its language or length; a page of links is refused."""

from __future__ import annotations

import pytest

from tidings.ingest.parse.extract import extract_article
from tidings.lib.errors import ParseError

# Invented short news items (under MIN_ARTICLE_WORDS, no og:type=article), one per language.
NOTICE = {
    "de": (
        "Die Stadtbücherei am Marktplatz bleibt wegen eines Wasserschadens bis Ende Mai geschlossen. "
        "Ausgeliehene Bücher können in dieser Zeit im Rathaus abgegeben werden, Mahngebühren fallen nicht an. "
        "Der Leseclub trifft sich vorübergehend im Gemeindesaal der Kirche."
    ),
    "fr": (
        "La médiathèque de la place du marché restera fermée jusqu'à fin mai à cause d'un dégât des eaux. "
        "Les livres empruntés peuvent être rendus à la mairie pendant ce temps, sans aucune pénalité. "
        "Le club de lecture se réunit provisoirement dans la salle paroissiale."
    ),
}


def notice_page(language: str, extra: str = "") -> str:
    return (
        f"<!doctype html><html lang='{language}'><head><title>Neuigkeiten</title></head><body>"
        "<nav><a href='/'>Start</a> <a href='/kontakt'>Kontakt</a></nav>"
        f"<div class='content'><h2>Bücherei</h2><p>{NOTICE[language]}</p>{extra}</div>"
        "<footer><a href='/impressum'>Impressum</a></footer></body></html>"
    )


@pytest.mark.parametrize("language", sorted(NOTICE))
def test_short_notice_with_a_clear_main_text_is_not_refused(language):
    article = extract_article(notice_page(language))
    assert NOTICE[language] in " ".join(article.paragraphs)
    assert "Impressum" not in " ".join(article.paragraphs)


def test_page_of_headline_links_is_refused():
    links = "".join(
        f"<li><a href='/news/{n}'>Harbour news item number {n} about the ferry and the moorings</a></li>"
        for n in range(30)
    )
    html = f"<html><head><title>News | Harbour Club</title></head><body><h1>News</h1><ul>{links}</ul></body></html>"
    with pytest.raises(ParseError, match="neither a feed nor an article"):
        extract_article(html)


def test_page_without_any_title_is_headed_by_its_opening_words():
    html = f"<html lang='de'><body><div><p>{NOTICE['de']}</p></div></body></html>"
    article = extract_article(html)
    assert (
        article.headline
        == "Die Stadtbücherei am Marktplatz bleibt wegen eines Wasserschadens bis Ende Mai geschlossen.…"
    )
    assert NOTICE["de"] in article.paragraphs


def test_text_is_read_in_composed_unicode():
    decomposed = NOTICE["fr"].replace("é", "e\u0301")
    html = notice_page("fr").replace(NOTICE["fr"], decomposed)
    assert NOTICE["fr"] in extract_article(html).paragraphs


def test_dek_classed_box_of_links_is_not_the_standfirst():
    tools = "<div class='intro'><a href='/share'>Share this page</a> <a href='/print'>Print this page</a> Tools</div>"
    article = extract_article(
        notice_page("de", tools).replace("<div class='content'>", "<div class='content'>" + tools)
    )
    assert "Share" not in article.standfirst


def test_dek_classed_sentence_is_the_standfirst():
    dek = "<p class='intro'>Wasserschaden in der Bücherei: Rückgabe im Rathaus bis Ende Mai</p>"
    article = extract_article(notice_page("de").replace("<h2>Bücherei</h2>", "<h2>Bücherei</h2>" + dek))
    assert article.standfirst == "Wasserschaden in der Bücherei: Rückgabe im Rathaus bis Ende Mai"


def test_a_page_precision_mode_finds_no_body_in_is_read_again_before_it_is_refused(monkeypatch):
    """A clear main text is not refused because the first, precise reading found no body at all:
    the readable-text check (trafilatura's default reading) still runs."""
    monkeypatch.setattr("tidings.ingest.parse.extract._choose_body", lambda tree, url: None)
    article = extract_article(notice_page("fr"))
    assert NOTICE["fr"] in " ".join(article.paragraphs)


def test_a_page_with_no_body_and_no_readable_text_is_still_refused(monkeypatch):
    monkeypatch.setattr("tidings.ingest.parse.extract._choose_body", lambda tree, url: None)
    page = "<html><head><title>Menu</title></head><body><nav><a href='/a'>Home</a></nav></body></html>"
    with pytest.raises(ParseError):
        extract_article(page)
