"""A publisher's own category labels, compared with IPTC category names (pure).

The store (ingest) links an article to each category whose name, or the part of its name before a comma,
has the same key as one of the article's labels.
"""

from __future__ import annotations


def label_key(label: str) -> str:
    """A label or category name as compared: case-folded, "&" read as "and", runs of spaces collapsed."""
    return " ".join(label.casefold().replace("&", "and").split())
