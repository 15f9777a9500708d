"""{% feed_links "category" category.slug %} in a page's head, and {% private_feed_panel %} on My interests."""

from __future__ import annotations

from django import template
from django.urls import reverse

from tidings.feeds.build import FORMATS
from tidings.feeds.service import current_token
from tidings.personalization.services import profile_for_request

register = template.Library()

FORMAT_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def _links(title: str, urls: dict[str, str]) -> list[dict[str, str]]:
    return [
        {
            "href": urls[fmt],
            "type": FORMAT_TYPES[fmt],
            "title": f"{title} ({FORMAT_NAMES[fmt]})",
            "name": FORMAT_NAMES[fmt],
        }
        for fmt in FORMATS
    ]


@register.inclusion_tag("feeds/alternate_links.html")
def feed_links(kind: str, key: object, title: str) -> dict[str, object]:
    urls = {fmt: reverse("feeds:public", args=[kind, str(key), fmt]) for fmt in FORMATS}
    return {"links": _links(title, urls)}


@register.inclusion_tag("feeds/alternate_links.html", takes_context=True)
def private_feed_links(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    token = current_token(profile_for_request(request, create=False)) if request is not None else None
    if token is None:
        return {"links": []}
    urls = {fmt: reverse("feeds:private", args=[token, fmt]) for fmt in FORMATS}
    return {"links": _links("My News", urls)}


@register.inclusion_tag("feeds/private_feed_panel.html", takes_context=True)
def private_feed_panel(context: template.Context) -> dict[str, object]:
    request = context.get("request")
    token = current_token(profile_for_request(request, create=False)) if request is not None else None
    links = []
    if token is not None and request is not None:
        links = [
            {"name": FORMAT_NAMES[fmt], "href": request.build_absolute_uri(reverse("feeds:private", args=[token, fmt]))}
            for fmt in FORMATS
        ]
    return {"links": links, "request": request, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("feeds/feed_anchor.html")
def feed_anchor(kind: str, key: object, title: str) -> dict[str, object]:
    """A visible "Feed: RSS · Atom · JSON Feed" line for a page that has a public feed."""
    return feed_links(kind, key, title)
