"""The benches' corpus generator (bench/_corpus.py) writes rows with raw inserts, so a new NOT NULL column breaks
it without any other test noticing (Claim.via_text did): build a small corpus on the current schema."""

from __future__ import annotations

import pytest
from bench._corpus import CorpusSpec, build_corpus

from tidings.articles.models import Article
from tidings.stories import coverage
from tidings.stories.models import Claim, Story

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_small_corpus_builds_on_the_current_schema():
    stats = build_corpus(CorpusSpec(articles=300, sources=10, people=50, chunk=100))
    assert stats.articles == 300
    assert Article.objects.count() == 300
    assert Claim.objects.exists()
    # Stories' outlet counts are filled (the home page's top stories read them), and are what a recount finds.
    filled = dict(Story.objects.values_list("pk", "source_count"))
    assert any(n >= 2 for n in filled.values())
    coverage.recount_all()
    assert dict(Story.objects.values_list("pk", "source_count")) == filled
