"""link_near_duplicates: stored near-duplicates point at the earliest article of their group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.articles.factories import ArticleFactory
from tests.sources.factories import SourceFactory
from tests.stories.test_neardup import BODY, HEADLINE
from tidings.articles.models import Article
from tidings.stories import neardup_service
from tidings.stories.neardup_service import also_published_by, link_near_duplicates, window_size

pytestmark = pytest.mark.django_db

REWRITE = BODY.replace("opposed the plan", "criticised the plan") + (
    "\n\nThis article was updated at 09:30 with additional details."
)
OTHER = (
    "Striking rail workers in Dunmore returned to their posts on Friday after the transport union accepted "
    "a pay offer of 6 percent spread over two years.\n\nThe strike had halted trains between the capital and "
    "the coast for nine days, stranding thousands of commuters and holiday makers at the height of summer."
)


@pytest.fixture(autouse=True)
def fresh_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty in-process window (ids of rolled-back rows are not reused on PostgreSQL)."""
    monkeypatch.setattr(neardup_service, "_window", neardup_service._Window())


def _article(body: str, headline: str = HEADLINE, hours_ago: float = 1.0) -> Article:
    return ArticleFactory(
        source=SourceFactory(),
        headline=headline,
        body_text=body,
        published_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_new_rewrite_is_linked_to_stored_original() -> None:
    original = _article(BODY, hours_ago=5)
    rewrite = _article(REWRITE, f"Update: {HEADLINE}")
    assert link_near_duplicates([rewrite.pk]) == 1
    rewrite.refresh_from_db()
    assert rewrite.duplicate_of_id == original.pk


def test_different_story_is_not_linked() -> None:
    _article(BODY, hours_ago=5)
    other = _article(OTHER, "Dunmore rail strike ends")
    assert link_near_duplicates([other.pk]) == 0
    other.refresh_from_db()
    assert other.duplicate_of_id is None


def test_earlier_new_article_becomes_canonical_of_stored_group() -> None:
    later = _article(BODY, hours_ago=2)
    copy = _article(REWRITE, f"{HEADLINE}, latest", hours_ago=1)
    link_near_duplicates([copy.pk])
    earliest = _article(BODY.replace("opposed", "fought"), "Dredging plan approved in Lindqvist", hours_ago=30)
    link_near_duplicates([earliest.pk])
    assert {a.pk: a.duplicate_of_id for a in Article.objects.all()} == {
        earliest.pk: None,
        later.pk: earliest.pk,
        copy.pk: earliest.pk,
    }


def test_linked_copy_is_hidden_from_visible_articles() -> None:
    original = _article(BODY, hours_ago=5)
    rewrite = _article(REWRITE, f"Update: {HEADLINE}")
    link_near_duplicates([rewrite.pk])
    assert list(Article.objects.visible()) == [original]


def test_articles_outside_the_window_are_not_compared() -> None:
    old = _article(BODY, hours_ago=24 * 30)
    Article.objects.filter(pk=old.pk).update(fetched_at=timezone.now() - timedelta(days=30))
    rewrite = _article(REWRITE, f"Update: {HEADLINE}")
    assert link_near_duplicates([rewrite.pk]) == 0


def test_linking_twice_changes_nothing() -> None:
    _article(BODY, hours_ago=5)
    rewrite = _article(REWRITE, f"Update: {HEADLINE}")
    link_near_duplicates([rewrite.pk])
    assert link_near_duplicates([rewrite.pk]) == 0


def test_changed_stored_text_is_fingerprinted_again() -> None:
    original = _article(BODY, hours_ago=5)
    link_near_duplicates([_article(OTHER, "Dunmore rail strike ends").pk])  # fingerprints the original
    Article.objects.filter(pk=original.pk).update(body_text=OTHER, content_hash="changed")
    rewrite = _article(REWRITE, f"Update: {HEADLINE}")
    assert link_near_duplicates([rewrite.pk]) == 0


def test_original_stored_before_many_others_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neardup_service, "FINGERPRINT_CACHE_BYTES", 6_000)  # the original's is not kept
    original = _article(BODY, hours_ago=5)
    link_near_duplicates([original.pk])
    for n in range(8):
        filler = " ".join(f"filler{n} word{i}" for i in range(30))
        link_near_duplicates([_article(filler, f"Filler {n}").pk])
    rewrite = _article(REWRITE, f"Update: {HEADLINE}")
    link_near_duplicates([rewrite.pk])
    rewrite.refresh_from_db()
    assert rewrite.duplicate_of_id == original.pk


def test_window_size_counts_indexed_articles() -> None:
    _article(BODY, hours_ago=5)
    link_near_duplicates([_article(OTHER, "Dunmore rail strike ends").pk])
    articles, size = window_size()
    assert articles == 2 and size > 0


def test_unknown_ids_link_nothing() -> None:
    assert link_near_duplicates([999_999]) == 0


def test_also_published_by_lists_the_other_members_canonical_first() -> None:
    original = _article(BODY, hours_ago=5)
    first = _article(REWRITE, f"Update: {HEADLINE}", hours_ago=2)
    second = _article(BODY + "\n\nThis article was updated at 10:15 with additional details.", f"{HEADLINE} (report)")
    link_near_duplicates([first.pk, second.pk])
    second.refresh_from_db()
    assert [a.pk for a in also_published_by(second)] == [original.pk, first.pk]
