"""The topic chips cards show are ones a news editor would keep: every chip of a fixed sample of demo
articles and the seed page is judged in data/judged_topics.tsv, and at least 90% are keeps.

The rules were tuned on the demo corpus; bench/topics.py also reports the held-out seed page and BBC News.
"""

from __future__ import annotations

import pytest
from bench.topics import JUDGED, TARGET, collect_chips, keep_share, read_judged

from tests.articles.factories import ArticleFactory
from tests.taxonomy.factories import ArticleTopicFactory, TopicFactory
from tidings.articles.models import Article
from tidings.taxonomy.models import TopicKind
from tidings.web.listing import card_for

SAMPLE = 60


@pytest.mark.models
@pytest.mark.django_db
def test_chips_of_demo_articles_and_the_seed_are_judged_keeps(seed_path):
    chips = collect_chips(SAMPLE, seed_path)
    share, total, unjudged = keep_share(chips, read_judged())
    new = sorted({f"{c.name}\t{c.kind}" for c in unjudged})
    assert not new, f"judge these new chips in {JUDGED.name}: " + "; ".join(new)
    assert total >= 2 * SAMPLE
    assert share >= TARGET, f"editor keeps {share:.3f} of {total} chips"


def test_the_judged_file_judges_each_chip_once_with_a_reason():
    lines = JUDGED.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines[1:]]
    assert lines[0].split("\t") == ["chip", "kind", "keep", "reason"]
    assert all(len(row) == 4 and row[2] in {"yes", "no"} and row[3] for row in rows)
    assert len({(row[0], row[1]) for row in rows}) == len(rows)
    assert {row[1] for row in rows} <= set(TopicKind.values)


@pytest.mark.django_db
def test_cards_show_names_before_keyphrases_and_lone_first_names():
    article = ArticleFactory()
    for name, kind, score in (
        ("rise", TopicKind.KEYWORD, 1.0),
        ("Jimmy", TopicKind.PERSON, 0.9),
        ("ceasefire talks", TopicKind.KEYWORD, 0.9),
        ("Aleppo", TopicKind.PLACE, 0.5),
        ("Hayat Tahrir al-Sham", TopicKind.ORGANISATION, 0.3),
    ):
        ArticleTopicFactory(article=article, topic=TopicFactory(name=name, kind=kind), score=score)
    card = card_for(Article.objects.for_listing().get(pk=article.pk))
    assert [t.name for t in card.topics] == ["Aleppo", "Hayat Tahrir al-Sham", "ceasefire talks"]
