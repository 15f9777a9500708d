"""The demo corpus generator (pure) and `tidings load_demo` (stores it once)."""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import re
import sys
import types
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from io import StringIO
from itertools import combinations
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import tidings.demo.corpus as demo_corpus_module
import tidings.demo.vocabulary as demo_vocabulary_module
from tidings.articles.models import Article
from tidings.demo.corpus import DemoItem, generate_demo_corpus
from tidings.lib.errors import InvalidInput
from tidings.sources.models import Source, SourceKind

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# The 17 active IPTC Media Topics top-level codes (facts, from the IPTC vocabulary).
IPTC_TOP_LEVEL = {
    f"medtop:{code}"
    for code in (
        "01000000", "02000000", "03000000", "04000000", "05000000", "06000000", "07000000", "08000000",
        "09000000", "10000000", "11000000", "12000000", "13000000", "14000000", "15000000", "16000000",
        "17000000",
    )
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@pytest.fixture(scope="module")
def corpus() -> tuple[DemoItem, ...]:
    return generate_demo_corpus(NOW)


def body_sentences(item: DemoItem) -> set[str]:
    return {s for paragraph in item.article.paragraphs for s in _SENTENCE_END.split(paragraph) if s}


def worst_sentence_overlap(items: tuple[DemoItem, ...]) -> float:
    """The largest share of one body's sentences that also appear in another body."""
    sentences = [body_sentences(item) for item in items]
    holders: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(sentences):
        for sentence in found:
            holders[sentence].append(index)
    shared: Counter[tuple[int, int]] = Counter()
    for indexes in holders.values():
        shared.update(combinations(indexes, 2))
    return max(
        (count / min(len(sentences[a]), len(sentences[b])) for (a, b), count in shared.items()),
        default=0.0,
    )


def test_same_seed_gives_the_same_corpus(corpus):
    assert generate_demo_corpus(NOW) == corpus


def test_another_seed_gives_another_corpus(corpus):
    other = generate_demo_corpus(NOW, seed=7)
    assert [i.article.headline for i in other] != [i.article.headline for i in corpus]


def test_default_corpus_has_600_articles(corpus):
    assert len(corpus) == 600


def test_corpus_covers_all_17_iptc_top_level_categories(corpus):
    assert {item.qcode for item in corpus} == IPTC_TOP_LEVEL


def test_corpus_comes_from_at_least_12_outlets(corpus):
    assert len({item.outlet.name for item in corpus}) >= 12


def test_at_least_20_stories_are_told_by_2_to_4_different_outlets(corpus):
    outlets_by_story: dict[str, list[str]] = defaultdict(list)
    for item in corpus:
        outlets_by_story[item.story_id].append(item.outlet.slug)
    multi = [outlets for outlets in outlets_by_story.values() if len(outlets) > 1]
    assert len(multi) >= 20
    assert all(2 <= len(outlets) <= 4 and len(set(outlets)) == len(outlets) for outlets in multi)


def test_versions_of_one_story_share_facts_but_not_wording(corpus):
    by_story: dict[str, list[DemoItem]] = defaultdict(list)
    for item in corpus:
        by_story[item.story_id].append(item)
    versions = next(items for items in by_story.values() if len(items) >= 3)
    assert len({v.article.headline for v in versions}) == len(versions)
    assert len({v.qcode for v in versions}) == 1
    assert worst_sentence_overlap(tuple(versions)) == 0.0


def test_no_two_bodies_share_more_than_30_percent_of_their_sentences(corpus):
    assert worst_sentence_overlap(corpus) <= 0.3


def test_every_article_has_headline_standfirst_and_4_to_8_paragraphs(corpus):
    for item in corpus:
        article = item.article
        assert article.headline.strip() and article.standfirst.strip(), article
        assert 4 <= len(article.paragraphs) <= 8, article.headline


def test_bodies_quote_someone_and_give_figures(corpus):
    attributed = re.compile(r"\b(said|told reporters|according to|confirmed|insisted)\b")
    for item in corpus:
        assert attributed.search(item.article.body_text), item.article.headline
        assert re.search(r"\d", item.article.body_text), item.article.headline


def test_articles_are_published_in_the_14_days_before_now(corpus):
    times = [item.article.published_at for item in corpus]
    assert all(t is not None and NOW - timedelta(days=14) <= t <= NOW for t in times)
    assert max(times) - min(times) > timedelta(days=10)


def test_urls_and_guids_are_unique_and_on_the_outlet_domain(corpus):
    assert len({item.article.url for item in corpus}) == len(corpus)
    assert len({item.article.guid for item in corpus}) == len(corpus)
    for item in corpus:
        assert re.fullmatch(rf"https://{item.outlet.slug}\.example/[a-z0-9-]+/[a-z0-9-]+", item.article.url)


def test_urls_do_not_depend_on_the_day_it_runs(corpus):
    later = generate_demo_corpus(NOW + timedelta(days=3))
    assert [i.article.url for i in later] == [i.article.url for i in corpus]


def test_some_articles_have_publisher_labels_and_all_have_authors(corpus):
    with_labels = sum(1 for item in corpus if item.article.publisher_categories)
    assert 0 < with_labels < len(corpus)
    assert all(item.article.author for item in corpus)


def test_no_article_has_a_picture_or_a_caption_that_would_describe_none(corpus):
    # The outlets' hosts do not exist: a picture would never load, and its caption would stand alone.
    assert not any(item.article.image_url or item.article.image_caption or item.article.image_credit for item in corpus)


def test_without_category_hints_keeps_the_text_and_drops_labels_and_url_sections(corpus):
    from dataclasses import replace
    from urllib.parse import urlsplit

    from tidings.demo.corpus import without_category_hints
    from tidings.enrichment.stages.categories.scoring import publisher_qcodes

    stripped = [without_category_hints(item.article) for item in corpus]
    assert any(publisher_qcodes((), item.article.url) for item in corpus), "the demo URLs name no section at all"
    assert [replace(a, url="", publisher_categories=()) for a in stripped] == [
        replace(item.article, url="", publisher_categories=()) for item in corpus
    ]
    assert all(a.publisher_categories == () for a in stripped)
    assert not [a.url for a in stripped if publisher_qcodes((), a.url)]
    assert [urlsplit(a.url).netloc for a in stripped] == [urlsplit(item.article.url).netloc for item in corpus]
    assert len({a.url for a in stripped}) == len(corpus)


def test_a_count_of_zero_is_refused():
    with pytest.raises(InvalidInput, match="between 1 and"):
        generate_demo_corpus(NOW, count=0)


def corpus_digest(items: tuple[DemoItem, ...]) -> str:
    """SHA-256 over every field of every item, in order."""
    digest = hashlib.sha256()
    for item in items:
        fields = json.dumps(dataclasses.asdict(item), sort_keys=True, default=str, ensure_ascii=False)
        digest.update(fields.encode() + b"\n")
    return digest.hexdigest()


@pytest.mark.parametrize(
    ("count", "seed", "expected"),
    [
        (600, 1851, "9e3c9fc5ed5e45494181187c3a333478a89558abcfc14624cf73a6d2727ec21d"),
        (300, 7, "c32670e5aa8b22de9a8ee792bd2b05e439e9fb7c29b5225788f6111cfbd76a92"),
    ],
)
def test_corpus_is_byte_for_byte_the_one_generated_before_the_vocabulary_became_a_data_file(count, seed, expected):
    # The same seed and `now` must keep giving the same articles, so a stored demo database stays valid after an
    # upgrade. Digests of the generator with its word lists still in Python (commit 3b6a0a5: d8da5b94…, 1eec757a…),
    # recomputed with the image fields emptied when the demo stopped shipping pictures: all else is unchanged.
    assert corpus_digest(generate_demo_corpus(NOW, count=count, seed=seed)) == expected


def test_small_corpus_has_exactly_the_requested_count():
    assert len(generate_demo_corpus(NOW, count=60)) == 60


@pytest.mark.parametrize("module", [demo_corpus_module, demo_vocabulary_module])
def test_generator_imports_nothing_from_django(module):
    tree = ast.parse(Path(module.__file__).read_text())
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert not [name for name in imported if name.startswith("django")]


# `tidings load_demo`


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_stores_the_articles_under_inactive_rss_sources():
    load_demo("--count", "60", "--no-enrich")
    assert Article.objects.count() == 60
    sources = Source.objects.filter(articles__isnull=False).distinct()
    assert sources.exists()
    assert all(s.kind == SourceKind.RSS and not s.is_active and s.url.endswith(".example/feed.xml") for s in sources)


@pytest.mark.django_db
def test_load_demo_twice_adds_nothing():
    load_demo("--count", "60", "--no-enrich")
    counts = (Article.objects.count(), Source.objects.count())
    out = load_demo("--count", "60", "--no-enrich")
    assert (Article.objects.count(), Source.objects.count()) == counts
    assert "0 new articles" in out


@pytest.mark.django_db
def test_load_demo_refuses_a_count_of_zero():
    with pytest.raises(CommandError, match="between 1 and"):
        load_demo("--count", "0", "--no-enrich")


@pytest.mark.django_db
def test_enrich_now_without_the_runner_fails_with_a_clear_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "tidings.enrichment.runner", None)  # import now raises ImportError
    with pytest.raises(CommandError, match=r"--enrich-now needs tidings\.enrichment\.runner\.enrich_articles"):
        load_demo("--count", "20", "--enrich-now")
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_enrich_now_passes_every_new_article_id_to_the_runner(monkeypatch):
    seen: list[int] = []
    runner = types.ModuleType("tidings.enrichment.runner")
    runner.enrich_articles = seen.extend  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tidings.enrichment.runner", runner)
    load_demo("--count", "40", "--enrich-now")
    assert sorted(seen) == sorted(Article.objects.values_list("pk", flat=True))
    assert len(seen) == 40
