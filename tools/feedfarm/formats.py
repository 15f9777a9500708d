"""Feed documents: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.1, plus the content faults.

`render(web, feed, base_url)` returns (bytes, content type). Output depends only on the web's state and
the base URL, so the same seed gives the same bytes.
"""

from __future__ import annotations

import json
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from .web import ArticleSpec, Feed, Web

CONTENT_TYPES = {
    "rss2": "application/rss+xml; charset=utf-8",
    "rss1": "application/rdf+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
}
ODD_DATES = ("Tuesday, 3rd of March, around noon", "2026-13-45T25:61:00Z", "yesterday")
LAUGHS = (
    '<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10)
    )
    + "]>\n"
)


class Item:
    """One feed entry as the feed shows it (link may carry utm_* or be relative, per the feed)."""

    __slots__ = ("article", "content_html", "date", "guid", "image", "link", "summary", "title")

    def __init__(self, web: Web, feed: Feed, article: ArticleSpec, base: str, n: int) -> None:
        text = web.text(article.id)
        host = web.hosts[feed.host].slug
        path = web.article_path(article)
        self.article = article
        self.title = text.headline
        self.summary = text.standfirst or text.paragraphs[0]
        self.image = f"{base}/h/{host}/img/{article.id}.jpg" if text.caption else ""
        figure = (
            f'<figure><img src="{self.image}" alt=""><figcaption>{escape(text.caption)}</figcaption></figure>'
            if text.caption
            else ""
        )
        self.content_html = figure + "".join(f"<p>{escape(p)}</p>" for p in text.paragraphs)
        if feed.fault == "relative_links":
            self.link = f"../{path.split('/', 3)[3]}" if n % 2 else path
        else:
            self.link = base + path
        if feed.section == "latest":
            self.link += f"?utm_source=rss&utm_medium=feed&utm_campaign={host}-latest"
        self.guid = f"{base}/h/{host}/" if feed.fault == "duplicate_guids" else f"urn:farm:{host}:{article.id}"
        self.date: datetime | str | None = article.published or web.config.epoch
        if feed.fault == "bad_dates":
            self.date = (
                None,
                ODD_DATES[n // 3 % len(ODD_DATES)],
                web.config.epoch.replace(year=web.config.epoch.year + 5),
            )[n % 3]


def items(web: Web, feed: Feed, base: str) -> list[Item]:
    return [Item(web, feed, web.articles[a], base, n) for n, a in enumerate(web.feed_items(feed))]


def _date(value: datetime | str | None, style: str) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    return format_datetime(value, usegmt=True) if style == "822" else value.isoformat().replace("+00:00", "Z")


def _tag(name: str, value: str, raw: bool = False) -> str:
    return f"<{name}>{value if raw else escape(value)}</{name}>" if value else ""


def render(web: Web, feed: Feed, base: str) -> tuple[bytes, str]:
    host = web.hosts[feed.host]
    title = f"{host.name}: {feed.title_section}"
    home = f"{base}/h/{host.slug}/"
    self_url = base + web.feed_path(feed)
    entries = items(web, feed, base)
    if feed.format == "jsonfeed":
        return _jsonfeed(feed, title, home, self_url, entries), CONTENT_TYPES["jsonfeed"]
    body = {"rss2": _rss2, "rss1": _rss1, "atom": _atom}[feed.format](feed, title, home, self_url, entries)
    if feed.fault == "billion_laughs":
        body = body.replace("?>\n", "?>\n" + LAUGHS, 1).replace("<title>", "<title>&lol9; ", 1)
    if feed.fault == "malformed_xml":
        body = _malform(body)
    if feed.fault == "wrong_encoding":
        return body.encode("cp1252", errors="xmlcharrefreplace"), CONTENT_TYPES[feed.format]
    return body.encode(), CONTENT_TYPES[feed.format]


def _malform(body: str) -> str:
    """Break well-formedness the way real feeds do, keeping every item readable by a tolerant parser."""
    body = body.replace("</title>", " Q&A</title>", 1)
    body = body.replace("</description>", "<br>&nbsp;</description>")
    for closing in ("</channel>", "</rss>", "</rdf:RDF>", "</feed>"):
        body = body.replace(closing, "")
    return body


def _rss2(feed: Feed, title: str, home: str, self_url: str, entries: list[Item]) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel>{_tag('title', title)}{_tag('link', home)}"
        f'<atom:link rel="self" href={quoteattr(self_url)}/>'
        f"<description>News from {escape(title)}</description><language>en</language>\n"
    ]
    for it in entries:
        out.append(
            f"<item>{_tag('title', it.title)}{_tag('link', it.link)}"
            f'<guid isPermaLink="false">{escape(it.guid)}</guid>'
            f"{_tag('pubDate', _date(it.date, '822'))}{_tag('category', it.article.section)}"
            f"<description>{escape(it.summary)}</description>"
        )
        if feed.full:
            out.append(f"<content:encoded><![CDATA[{it.content_html}]]></content:encoded>")
        if it.image:
            out.append(f'<enclosure url={quoteattr(it.image)} type="image/jpeg" length="0"/>')
        out.append("</item>\n")
    out.append("</channel></rss>\n")
    return "".join(out)


def _rss1(feed: Feed, title: str, home: str, self_url: str, entries: list[Item]) -> str:
    seq = "".join(f"<rdf:li rdf:resource={quoteattr(it.link)}/>" for it in entries)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel rdf:about={quoteattr(self_url)}>{_tag('title', title)}{_tag('link', home)}"
        f"<description>News from {escape(title)}</description><items><rdf:Seq>{seq}</rdf:Seq></items>"
        "</channel>\n"
    ]
    for it in entries:
        out.append(
            f"<item rdf:about={quoteattr(it.link)}>{_tag('title', it.title)}{_tag('link', it.link)}"
            f"<description>{escape(it.summary)}</description>{_tag('dc:date', _date(it.date, 'iso'))}"
            f"{_tag('dc:identifier', it.guid)}{_tag('dc:subject', it.article.section)}"
        )
        if feed.full:
            out.append(f"<content:encoded><![CDATA[{it.content_html}]]></content:encoded>")
        out.append("</item>\n")
    out.append("</rdf:RDF>\n")
    return "".join(out)


def _atom(feed: Feed, title: str, home: str, self_url: str, entries: list[Item]) -> str:
    base_attr = f" xml:base={quoteattr(self_url)}" if feed.fault == "relative_links" else ""
    dates = [it.date for it in entries if isinstance(it.date, datetime)]
    updated = _date(max(dates), "iso") if dates else "2026-01-01T00:00:00Z"
    out = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"{base_attr}>'
        f"{_tag('title', title)}<id>{escape(self_url)}</id><updated>{updated}</updated>"
        f'<link rel="alternate" href={quoteattr(home)}/><link rel="self" href={quoteattr(self_url)}/>\n'
    ]
    for it in entries:
        date = _date(it.date, "iso")
        out.append(
            f'<entry>{_tag("title", it.title)}<link rel="alternate" href={quoteattr(it.link)}/>'
            f"<id>{escape(it.guid)}</id>{_tag('published', date)}{_tag('updated', date)}"
            f"<author><name>{escape(title.split(':')[0])} staff</name></author>"
            f'<category term="{it.article.section}"/>'
            f'<summary type="text">{escape(it.summary)}</summary>'
        )
        if feed.full:
            out.append(f'<content type="html">{escape(it.content_html)}</content>')
        out.append("</entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def _jsonfeed(feed: Feed, title: str, home: str, self_url: str, entries: list[Item]) -> bytes:
    wrong = feed.fault == "jsonfeed_wrong_types"
    out: list[object] = []
    for n, it in enumerate(entries):
        entry: dict[str, object] = {
            "id": it.guid,
            "url": it.link,
            "title": it.title,
            "summary": it.summary,
            "tags": [it.article.section],
        }
        date = _date(it.date, "iso")
        if date:
            entry["date_published"] = date
        if feed.full:
            entry["content_html"] = it.content_html
        else:
            entry["content_text"] = it.summary
        if it.image:
            entry["image"] = it.image
        if wrong:
            entry["id"] = it.article.id if n % 2 == 0 else it.guid  # number where a string is required
            entry["tags"] = it.article.section  # string where an array is required
            entry["authors"] = {"name": "Staff"}  # object where an array is required
            if n % 3 == 0:
                entry["date_published"] = 1763617200  # epoch number where RFC 3339 is required
        out.append(entry)
    if wrong:
        out[1:1] = ["not an item", None, 42]
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home,
        "feed_url": self_url,
        "items": out,
    }
    if wrong:
        doc["authors"] = "Staff"
    return json.dumps(doc, ensure_ascii=False, indent=None).encode()
