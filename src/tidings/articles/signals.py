"""Signals about articles, sent by the app that did the work and received by apps that build on it.

`articles_enriched` (sender: the enrichment runner; `article_ids`: the articles a run touched): lets later
work (stories) start after enrichment without enrichment importing it.
"""

from __future__ import annotations

from django.dispatch import Signal

articles_enriched = Signal()
