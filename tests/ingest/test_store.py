"""store_articles: learned boilerplate is dropped at store time, near-copies are linked after commit."""

import pytest

from tidings.articles.models import Article
from tidings.ingest.store import store_articles
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db(transaction=True)

PROMO = "Support independent reporting: become a member of the Harbour Club today."


PLACES = ["Eastgate", "Millbrook", "Fernhill", "Ashcombe", "Dunmore", "Kestrel Point", "Larkspur", "Oakmere"]


def _article(n: int, *, extra: tuple[str, ...] = ()) -> ExtractedArticle:
    # Lines differ in words, not only in numbers: the learner treats numbers as equal.
    place = PLACES[n]
    return ExtractedArticle(
        headline=f"Council approves the {place} plan for the harbour district",
        paragraphs=(
            f"The council voted on Tuesday to approve the plan for the {place} pier.",
            f"Officials said work in {place} would begin in spring.",
            *extra,
        ),
        url=f"https://harbour.example.org/news/plan-{n}",
    )


def test_a_line_the_source_repeats_is_dropped_from_later_articles():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    for n in range(1, 5):
        store_articles(source, [_article(n, extra=(PROMO,))], enrich=False)
    last = Article.objects.get(url="https://harbour.example.org/news/plan-4")
    assert PROMO not in last.body_text
    assert "Dunmore pier" in last.body_text


def test_a_line_seen_once_is_kept():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    store_articles(source, [_article(1, extra=(PROMO,))], enrich=False)
    assert PROMO in Article.objects.get().body_text


def test_a_near_copy_from_another_outlet_is_linked_to_the_first(django_capture_on_commit_callbacks):
    first = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    second = Source.objects.create(name="Coast Wire", url="https://coast.example.net/feed")
    original = _article(7)
    copy = ExtractedArticle(
        headline=original.headline,
        paragraphs=(*original.paragraphs[:1], original.paragraphs[1] + " Reporting by Coast Wire."),
        url="https://coast.example.net/wire/harbour-plan-7",
    )
    store_articles(first, [original], enrich=False)
    store_articles(second, [copy], enrich=False)
    stored_copy = Article.objects.get(source=second)
    assert stored_copy.duplicate_of == Article.objects.get(source=first)
    assert list(Article.objects.visible()) == [Article.objects.get(source=first)]


def test_different_articles_with_the_same_short_summary_are_both_stored():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    summary = ("Supporters called it overdue; opponents said it went too far.",)
    items = [
        ExtractedArticle(headline="Council vote", paragraphs=summary, url="https://harbour.example.org/a"),
        ExtractedArticle(headline="Council vote", paragraphs=summary, url="https://harbour.example.org/b"),
    ]
    result = store_articles(source, items, enrich=False)
    assert len(result.created) == 2


def test_a_long_copy_under_another_address_is_stored_once():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    body = tuple(f"Paragraph {PLACES[n]} tells the long story of the harbour council and its plan." for n in range(6))
    items = [
        ExtractedArticle(headline="Council vote", paragraphs=body, url="https://harbour.example.org/a"),
        ExtractedArticle(headline="Council vote", paragraphs=body, url="https://syndicate.example.net/copy/a"),
    ]
    result = store_articles(source, items, enrich=False)
    assert (len(result.created), result.duplicates) == (1, 1)
