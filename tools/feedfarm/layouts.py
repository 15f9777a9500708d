"""Article pages in five site layouts, with boilerplate that repeats on every page of a host.

The clean article (headline, standfirst, figure caption and credit, body paragraphs) sits among a
navigation bar, cookie notice, donation banner, newsletter box, related links, comments and a footer;
some layouts put boilerplate inside the body container, as real sites do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from html import escape

from . import lexicon as lx
from .blueprints import BLUEPRINTS
from .faults import alias_path
from .formats import CONTENT_TYPES
from .text import ArticleText
from .web import ArticleSpec, Feed, Host, Web

_COOKIES = (
    "We use cookies to improve your experience and to show you relevant advertising. Accept all or manage choices.",
    "This site stores cookies on your device. By continuing to browse you agree to our cookie policy.",
)
_DONATE = (
    "Independent journalism costs money. Support our newsroom from as little as 2 euros a month.",
    "Readers like you keep our reporting free for everyone. Become a supporter today.",
)
_NEWSLETTER = (
    "Get the morning briefing: the five stories you need, in your inbox before 7am. Sign up now.",
    "Sign up to our weekly newsletter for analysis you will not find anywhere else.",
)
_COMMENTS = (
    "Great reporting, thank you.",
    "I am not convinced by the figures here.",
    "Finally some good news.",
    "Who is paying for all of this?",
    "Shared with my neighbours.",
)
_CREDIT_LABEL = ("Photograph: ", "Photo: ", "Image: ", "© ", "Picture: ")


@dataclass(frozen=True, slots=True)
class Chrome:
    """A host's repeated boilerplate."""

    nav: str
    cookie: str
    donate: str
    newsletter: str
    related: str
    comments: str
    footer: str


def chrome(web: Web, host: Host) -> Chrome:
    rng = random.Random(f"{web.config.seed}:chrome:{host.index}")
    base = f"/h/{host.slug}"
    nav = "".join(f'<li><a href="{base}/{s}/">{s.capitalize()}</a></li>' for s in host.sections)
    related = []
    for _ in range(4):
        bp = BLUEPRINTS[rng.choice(list(BLUEPRINTS))]
        head = rng.choice(bp["events"])[0].format(topic=rng.choice(bp["topics"]), org="", num=3, city="")  # type: ignore[index]
        related.append(
            f'<li><a href="{base}/articles/related-{rng.randrange(10**6)}.html">'
            f"{escape(rng.choice(lx.CITIES))} {escape(head)}</a></li>"
        )
    comments = "".join(
        f'<div class="comment"><b>{escape(rng.choice(lx.FIRST_NAMES))}{rng.randrange(99)}</b><p>{escape(c)}</p></div>'
        for c in rng.sample(_COMMENTS, 3)
    )
    return Chrome(
        nav=f'<ul class="menu">{nav}<li><a href="{base}/about">About us</a></li></ul>',
        cookie=escape(rng.choice(_COOKIES)),
        donate=escape(rng.choice(_DONATE)),
        newsletter=escape(rng.choice(_NEWSLETTER)),
        related=f"<ul>{''.join(related)}</ul>",
        comments=comments,
        footer=f'© 2026 {escape(host.name)}. All rights reserved. <a href="{base}/privacy">Privacy</a> · '
        f'<a href="{base}/terms">Terms</a> · <a href="{base}/contact">Contact</a>',
    )


def _head(title: str, canonical: str, image: str, published: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{canonical}"><meta property="og:title" content="{title}">'
        f'<meta property="og:image" content="{image}"><meta property="article:published_time" '
        f'content="{published}"><link rel="stylesheet" href="/static/site.css"></head>'
    )


def page(web: Web, article: ArticleSpec, base: str) -> bytes:
    host = web.hosts[article.host]
    t = web.text(article.id)
    c = chrome(web, host)
    title = escape(t.headline)
    published = (article.published or web.config.epoch).isoformat()
    image = f"{base}/h/{host.slug}/img/{article.id}.jpg"
    head = _head(title, base + web.canonical_path(article), image, published)
    label = _CREDIT_LABEL[host.layout]
    renderer = (_semantic, _div_soup, _magazine, _table, _live)[host.layout]
    return (head + renderer(t, c, host, title, image, label, published) + "</html>\n").encode()


def _figure(t: ArticleText, image: str, label: str, cls: str = "credit") -> str:
    if not t.caption:
        return ""
    return (
        f'<figure><img src="{image}" alt="{escape(t.caption)}" width="800" height="450">'
        f'<figcaption>{escape(t.caption)} <span class="{cls}">{label}{escape(t.credit)}</span></figcaption>'
        "</figure>"
    )


def _paras(t: ArticleText) -> list[str]:
    return [f"<p>{escape(p)}</p>" for p in t.paragraphs]


def _semantic(t: ArticleText, c: Chrome, host: Host, title: str, image: str, label: str, published: str) -> str:
    return (
        f'<body><div class="cookie-banner">{c.cookie}<button>Accept</button></div>'
        f'<header><a class="logo" href="/h/{host.slug}/">{escape(host.name)}</a><nav>{c.nav}</nav></header>'
        f'<main><article><h1>{title}</h1><p class="standfirst">{escape(t.standfirst)}</p>'
        f'<p class="byline">By Staff Reporter · <time datetime="{published}">{published[:10]}</time></p>'
        f'{_figure(t, image, label)}<div class="article-body">{"".join(_paras(t))}</div></article>'
        f'<aside class="donate">{c.donate}</aside><aside class="related"><h2>Related articles</h2>'
        f'{c.related}</aside><section class="comments"><h2>Comments</h2>{c.comments}</section></main>'
        f"<footer>{c.footer}</footer></body>"
    )


def _div_soup(t: ArticleText, c: Chrome, host: Host, title: str, image: str, label: str, published: str) -> str:
    body = _paras(t)
    body.insert(min(2, len(body)), '<div class="ad-slot">Advertisement</div>')
    body.insert(min(4, len(body)), f'<p class="read-more">Read more: {c.related.split("</li>")[0]}</li></p>')
    figure = (
        (
            f'<div class="img-wrap"><img src="{image}"><div class="caption">{escape(t.caption)}</div>'
            f'<div class="photo-credit">{label}{escape(t.credit)}</div></div>'
        )
        if t.caption
        else ""
    )
    return (
        f'<body><div id="wrapper"><div class="top-bar">{c.nav}</div><div id="cookie-note">{c.cookie}</div>'
        f'<div class="content"><div class="headline"><h1 class="title">{title}</h1></div>'
        f'<div class="lead">{escape(t.standfirst)}</div>{figure}<div class="txt">{"".join(body)}</div>'
        f'<div class="newsletter-box">{c.newsletter}<input type="email"><button>Subscribe</button></div>'
        f'<div class="more"><h3>Related articles</h3>{c.related}</div>'
        f'<div class="comments-area">{c.comments}</div></div>'
        f'<div class="bottom">{c.footer}</div><div class="support">{c.donate}</div></div></body>'
    )


def _magazine(t: ArticleText, c: Chrome, host: Host, title: str, image: str, label: str, published: str) -> str:
    body = _paras(t)
    body.insert(len(body) // 2, f'<aside class="newsletter-inline">{c.newsletter}</aside>')
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "' + published + '"}</script>'
    return (
        f'<body>{ld}<nav class="site-nav">{c.nav}</nav><div class="gdpr">{c.cookie}</div>'
        f'<div class="hero">{_figure(t, image, label, "figure-credit")}</div>'
        f'<div class="story"><h1 itemprop="headline">{title}</h1>'
        f'<h2 class="dek">{escape(t.standfirst)}</h2>'
        f'<section itemprop="articleBody">{"".join(body)}</section>'
        f'<div class="support-us">{c.donate}</div></div><section class="related-links"><h3>More stories</h3>'
        f'{c.related}</section><div id="comments">{c.comments}</div><footer class="site-footer">{c.footer}'
        "</footer></body>"
    )


def _table(t: ArticleText, c: Chrome, host: Host, title: str, image: str, label: str, published: str) -> str:
    story = "<br><br>".join(escape(p) for p in t.paragraphs)
    figure = (
        f'<img src="{image}"><br><i>{escape(t.caption)}</i> <small>({label}{escape(t.credit)})</small>'
        if t.caption
        else ""
    )
    return (
        f'<body><table width="100%"><tr><td colspan="2" class="masthead">{escape(host.name)}</td></tr>'
        f'<tr><td class="nav" valign="top">{c.nav}</td><td class="main">'
        f'<p class="cookies">{c.cookie}</p><font size="5"><b>{title}</b></font><br>'
        f'<font size="3"><i>{escape(t.standfirst)}</i></font><br>{figure}'
        f'<div class="story">{story}</div><hr><p class="donate">{c.donate}</p>'
        f'<p class="newsletter">{c.newsletter}</p><b>Related articles</b>{c.related}'
        f'<div class="comments">{c.comments}</div></td></tr>'
        f'<tr><td colspan="2" class="footer">{c.footer}</td></tr></table></body>'
    )


def _live(t: ArticleText, c: Chrome, host: Host, title: str, image: str, label: str, published: str) -> str:
    body = _paras(t)
    body.insert(min(3, len(body)), f'<div class="related-box"><h4>Related articles</h4>{c.related}</div>')
    body.append('<div class="share">Share this article: Email · Copy link</div>')
    return (
        f'<body class="amp"><div class="consent-popup">{c.cookie}</div><header class="top">'
        f'<span class="brand">{escape(host.name)}</span>{c.nav}</header><div class="donation-strip">'
        f'{c.donate}</div><div class="article"><h1 class="article-title">{title}</h1>'
        f'<div class="article-summary">{escape(t.standfirst)}</div>{_figure(t, image, label)}'
        f'<div class="story-body">{"".join(body)}</div></div><div class="newsletter-signup">'
        f'{c.newsletter}</div><div class="comment-thread">{c.comments}</div>'
        f"<footer>{c.footer}</footer></body>"
    )


def homepage(web: Web, host: Host, base: str, moved: Feed | None = None) -> bytes:
    """The host's front page: links to its feeds (rel=alternate; `moved` points at its v2 home)."""
    c = chrome(web, host)
    links = "".join(
        f'<link rel="alternate" type="{CONTENT_TYPES[f.format].split(";")[0]}" title="{escape(f.title_section)}" '
        f'href="{base}{alias_path(web.feed_path(f), "v2") if f is moved else web.feed_path(f)}">'
        for f in web.feeds
        if f.host == host.index
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(host.name)}</title>{links}'
        f"</head><body><header><h1>{escape(host.name)}</h1><nav>{c.nav}</nav></header>"
        f'<div class="cookie-banner">{c.cookie}</div><main><h2>Top stories</h2>{c.related}</main>'
        f"<footer>{c.footer}</footer></body></html>\n"
    ).encode()
