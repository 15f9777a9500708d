"""Ground truth: what a perfect client would know about every feed and article of the farm.

`iter_json` streams the document (it reaches tens of megabytes for 1,000 feeds); `build` returns it
as a dict for tests. URLs are absolute for the given base URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from . import faults
from .faults import alias_path
from .formats import CONTENT_TYPES
from .text import CATEGORY_BY_SECTION
from .web import Web


def _utm(host: str) -> str:
    return f"?utm_source=rss&utm_medium=feed&utm_campaign={host}-latest"


def feed_records(web: Web, base: str) -> list[dict[str, object]]:
    out = []
    for feed in web.feeds:
        host = web.hosts[feed.host].slug
        kind = faults.BY_NAME[feed.fault] if feed.fault else None
        moved_to = None
        if feed.fault in ("redirect_301", "redirect_308"):
            moved_to = base + alias_path(web.feed_path(feed), "v2")
        out.append(
            {
                "id": feed.index,
                "url": base + web.feed_path(feed),
                "host": host,
                "section": feed.section,
                "title": f"{web.hosts[feed.host].name}: {feed.title_section}",
                "format": feed.format,
                "content_type": CONTENT_TYPES[feed.format].split(";")[0],
                "full_content": feed.full,
                "fault": feed.fault,
                "expect": kind.expect if kind else "items",
                "moved_to": moved_to,
                "delivers_items": kind is None or kind.expect.startswith("items"),
                "items": web.feed_items(feed),
                "version": feed.version,
                "item_links": [
                    base + web.article_path(web.articles[a]) + (_utm(host) if feed.section == "latest" else "")
                    for a in web.feed_items(feed)
                ],
            }
        )
    return out


def article_record(web: Web, article_id: int, base: str, feeds: list[int]) -> dict[str, object]:
    a = web.articles[article_id]
    t = web.text(article_id)
    host = web.host_slug(a)
    qcode, name = CATEGORY_BY_SECTION[web.stories[a.story][1]]
    links = sorted(
        {base + web.article_path(a) + (_utm(host) if web.feeds[f].section == "latest" else "") for f in feeds}
    )
    return {
        "id": a.id,
        "url": base + web.article_path(a),
        "canonical_url": base + web.canonical_path(a),
        "host": host,
        "kind": a.kind,
        "layout": web.hosts[a.host].layout,
        "feeds": feeds,
        "links": links,
        "guid": f"urn:farm:{host}:{a.id}",
        "published": a.published.isoformat() if a.published else None,
        "headline": t.headline,
        "standfirst": t.standfirst,
        "paragraphs": list(t.paragraphs),
        "caption": t.caption,
        "credit": t.credit,
        "image": base + f"/h/{host}/img/{a.id}.jpg" if t.caption else "",
        "story_id": web.stories[a.story][0],
        "duplicate_group": a.dup_group,
        "near_duplicate_group": web.near_group(a),
        "category": {"qcode": qcode, "name": name},
        "entities": [{"text": text, "type": kind} for text, kind in t.entities],
        "attributions": [
            {"speaker": x.speaker, "cue": x.cue, "content": x.content, "paragraph": x.paragraph} for x in t.attributions
        ],
    }


def _feeds_of(web: Web) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for feed in web.feeds:
        for article_id in web.feed_items(feed):
            found.setdefault(article_id, []).append(feed.index)
    return found


def header(web: Web, base: str) -> dict[str, object]:
    config = web.config
    by_fault: dict[str, list[str]] = {}
    for feed in web.feeds:
        if feed.fault:
            by_fault.setdefault(feed.fault, []).append(base + web.feed_path(feed))
    return {
        "seed": config.seed,
        "base_url": base,
        "epoch": config.epoch.isoformat(),
        "items_per_feed": config.items,
        "hosts": [
            {"slug": h.slug, "name": h.name, "layout": h.layout, "home": f"{base}/h/{h.slug}/"} for h in web.hosts
        ],
        "faults": by_fault,
        "fault_kinds": {k.name: {"expect": k.expect, "summary": k.summary} for k in faults.KINDS},
    }


def iter_json(web: Web, base: str, articles: bool = True) -> Iterator[str]:
    head = header(web, base)
    head["feeds"] = feed_records(web, base)
    yield json.dumps(head, ensure_ascii=False)[:-1]
    if not articles:
        yield "}"
        return
    yield ', "articles": ['
    in_feeds = _feeds_of(web)
    for article_id in range(len(web.articles)):
        record = article_record(web, article_id, base, in_feeds.get(article_id, []))
        yield ("," if article_id else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


def build(web: Web, base: str, articles: bool = True) -> dict[str, object]:
    return json.loads("".join(iter_json(web, base, articles)))
