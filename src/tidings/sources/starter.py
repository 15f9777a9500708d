"""Starter sources: well-known public news feeds offered on a fresh install (data only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StarterFeed:
    name: str
    url: str
    site_url: str
    language: str = "en"


STARTER_FEEDS: tuple[StarterFeed, ...] = (
    StarterFeed("BBC News: World", "https://feeds.bbci.co.uk/news/world/rss.xml", "https://www.bbc.co.uk/news/world"),
    StarterFeed(
        "BBC News: Business", "https://feeds.bbci.co.uk/news/business/rss.xml", "https://www.bbc.co.uk/news/business"
    ),
    StarterFeed(
        "BBC News: Science & Environment",
        "https://feeds.bbci.co.uk/news/science_and_environment/rss.xml",
        "https://www.bbc.co.uk/news/science_and_environment",
    ),
    StarterFeed("BBC Sport", "https://feeds.bbci.co.uk/sport/rss.xml", "https://www.bbc.co.uk/sport"),
    StarterFeed("The Guardian: World", "https://www.theguardian.com/world/rss", "https://www.theguardian.com/world"),
    StarterFeed(
        "The Guardian: Politics", "https://www.theguardian.com/politics/rss", "https://www.theguardian.com/politics"
    ),
    StarterFeed(
        "The Guardian: Science", "https://www.theguardian.com/science/rss", "https://www.theguardian.com/science"
    ),
    StarterFeed("NPR News", "https://feeds.npr.org/1001/rss.xml", "https://www.npr.org/sections/news/"),
    StarterFeed("Al Jazeera English", "https://www.aljazeera.com/xml/rss/all.xml", "https://www.aljazeera.com/"),
    StarterFeed("DW: English", "https://rss.dw.com/rdf/rss-en-all", "https://www.dw.com/en/"),
    StarterFeed("France 24: English", "https://www.france24.com/en/rss", "https://www.france24.com/en/"),
    StarterFeed("CBC News: Top Stories", "https://www.cbc.ca/webfeed/rss/rss-topstories", "https://www.cbc.ca/news"),
)
