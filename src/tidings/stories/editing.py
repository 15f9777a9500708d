"""An editor's changes to stories: move an article to another story, merge stories, split a story in two.

Each call runs in one transaction and leaves every story it touched with a correct article count, first and
last publication time and headline (stories.representative's choice: the earliest article's while a story has
fewer than three, then the most central one's; assign.py's new stories go through refresh_story too). A story
left without articles keeps its row with a count of zero; lists skip it.

Moved links are deleted and created again rather than updated: the new ids tell every worker's clustering
index (assign.py refills when the newest ArticleStory id is not the one it saw) that stories changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import router, transaction
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone

from tidings.articles.models import Article
from tidings.enrichment.vectors import load_embeddings
from tidings.lib.errors import InvalidInput
from tidings.stories.article_signals import article_signals
from tidings.stories.coverage import lock_stories, source_count_of
from tidings.stories.models import ArticleStory, Story
from tidings.stories.representative import MIN_FOR_CENTRE, representative

logger = logging.getLogger(__name__)

# A merge chain longer than this is a loop (or damage); resolving stops there.
MAX_MERGE_HOPS = 50


def kept_story(story: Story) -> Story:
    """The story this one was merged into, following the chain to its end (itself when not merged)."""
    seen = {story.pk}
    while story.merged_into_id is not None and len(seen) <= MAX_MERGE_HOPS:
        story = Story.objects.get(pk=story.merged_into_id)
        if story.pk in seen:
            break
        seen.add(story.pk)
    return story


def refresh_story(story_id: int) -> None:
    """Recount the story's articles, outlets (stories.coverage) and first/last times; its headline is
    stories.representative's choice. Inside a transaction: the story's row is locked before counting (a caller
    refreshing several stories locks them all first, in id order: lock_stories)."""
    with transaction.atomic(savepoint=False):  # the lock lasts until the caller's transaction ends
        lock_stories([story_id])
        articles = Article.objects.filter(story_link__story_id=story_id)
        span = articles.aggregate(first=Min("published_at"), last=Max("published_at"), count=Count("pk"))
        ordered = list(articles.order_by("published_at", "pk").values_list("pk", "headline"))
        ids = [pk for pk, _headline in ordered]
        chosen = representative(ids, load_embeddings(ids) if len(ids) >= MIN_FOR_CENTRE else {})
        first = next((headline for pk, headline in ordered if pk == chosen), None)
        changes: dict[str, object] = {
            "first_published_at": span["first"],
            "last_published_at": span["last"],
            "article_count": span["count"],
            "source_count": source_count_of(story_id),
            "updated_at": timezone.now(),
        }
        if first is not None:
            changes["headline"] = first[:1000]
        Story.objects.filter(pk=story_id).update(**changes)


def _relink(links: Iterable[ArticleStory], story_id: int) -> list[int]:
    """Put these links' articles into the story, as new rows (see the module note); the stories they left."""
    rows = list(links)
    left = sorted({link.story_id for link in rows})
    ArticleStory.objects.filter(pk__in=[link.pk for link in rows]).delete()
    now = timezone.now()
    ArticleStory.objects.bulk_create(
        [
            ArticleStory(article_id=link.article_id, story_id=story_id, score=link.score, assigned_at=now)
            for link in rows
        ]
    )
    return left


def move_article(article_id: int, story_id: int) -> Story:
    """Move the article into the story (or the story that one was merged into); returns the story it is in.

    An article that is in no story yet joins it. Raises InvalidInput for an unknown article or story.
    """
    with transaction.atomic():
        if not Article.objects.filter(pk=article_id).exists():
            raise InvalidInput(f"no article {article_id}")
        target = Story.objects.filter(pk=story_id).first()
        if target is None:
            raise InvalidInput(f"no story {story_id}")
        target = kept_story(target)
        link = ArticleStory.objects.select_for_update().filter(article_id=article_id).first()
        if link is not None and link.story_id == target.pk:
            return target
        lock_stories([target.pk] + ([] if link is None else [link.story_id]))
        if link is None:
            ArticleStory.objects.create(article_id=article_id, story=target, score=0.0)
            left: list[int] = []
        else:
            left = _relink([link], target.pk)
        for pk in [*left, target.pk]:
            refresh_story(pk)
        logger.info("story_article_moved article_id=%d to=%d from=%s", article_id, target.pk, left or "-")
        target.refresh_from_db()
        return target


def move_to_new_story(article_id: int) -> Story:
    """Take the article out of its story into a new story of its own; returns that story.

    An article already alone in its story stays there (that story is returned). Raises InvalidInput for an
    unknown article.
    """
    with transaction.atomic():
        article = Article.objects.filter(pk=article_id).only("headline").first()
        if article is None:
            raise InvalidInput(f"no article {article_id}")
        link = ArticleStory.objects.select_for_update().filter(article_id=article_id).first()
        if link is not None and not ArticleStory.objects.filter(story_id=link.story_id).exclude(pk=link.pk).exists():
            return Story.objects.get(pk=link.story_id)
        if link is not None:
            lock_stories([link.story_id])
        now = timezone.now()
        new = Story.objects.create(headline=article.headline[:1000], created_at=now, updated_at=now)
        if link is None:
            ArticleStory.objects.create(article_id=article_id, story=new, score=0.0)
            left: list[int] = []
        else:
            left = _relink([link], new.pk)
        for pk in [*left, new.pk]:
            refresh_story(pk)
        logger.info("story_article_moved_out article_id=%d new=%d from=%s", article_id, new.pk, left or "-")
        new.refresh_from_db()
        return new


def merge_stories(kept_id: int, other_ids: Iterable[int]) -> Story:
    """Merge the other stories into the kept one: their articles move, they point at it; returns it.

    Stories already merged elsewhere are followed to the story they live on in. Raises InvalidInput for an
    unknown story, and when nothing is left to merge.
    """
    with transaction.atomic():
        found = Story.objects.filter(pk=kept_id).first()
        if found is None:
            raise InvalidInput(f"no story {kept_id}")
        kept = kept_story(found)
        others: dict[int, Story] = {}
        for pk in set(other_ids):
            other = Story.objects.filter(pk=pk).first()
            if other is None:
                raise InvalidInput(f"no story {pk}")
            other = kept_story(other)
            if other.pk != kept.pk:
                others[other.pk] = other
        if not others:
            raise InvalidInput("choose at least two different stories to merge")
        lock_stories([kept.pk, *others])
        links = ArticleStory.objects.select_for_update().filter(story_id__in=list(others))
        _relink(links, kept.pk)
        now = timezone.now()
        Story.objects.filter(pk__in=list(others)).update(
            merged_into=kept, article_count=0, source_count=0, updated_at=now
        )
        Story.objects.filter(merged_into_id__in=list(others)).update(merged_into=kept)
        refresh_story(kept.pk)
        logger.info("stories_merged_by_editor kept=%d merged=%s", kept.pk, sorted(others))
        kept.refresh_from_db()
        return kept


def split_story(story_id: int) -> Story | None:
    """Split the story when its members hold two events (`clustering.split_story`): the smaller group moves to a
    new story, which is returned; None when the story holds one event. Articles without an embedding stay.

    Raises InvalidInput for an unknown story. The moved links are new rows, so workers' indexes refill.
    """
    from tidings.stories.clustering import Params
    from tidings.stories.clustering import split_story as split_groups

    with transaction.atomic():
        found = Story.objects.filter(pk=story_id).first()
        if found is None:
            raise InvalidInput(f"no story {story_id}")
        story = kept_story(found)
        lock_stories([story.pk])
        links = {link.article_id: link for link in ArticleStory.objects.select_for_update().filter(story=story)}
        signals = article_signals(sorted(links))
        groups = split_groups([signals[pk] for pk in sorted(signals)], Params())
        if len(groups) < 2:
            return None
        now = timezone.now()
        new = Story.objects.create(headline=story.headline, created_at=now, updated_at=now)
        _relink([links[pk] for pk in groups[1]], new.pk)
        refresh_story(story.pk)
        refresh_story(new.pk)
        logger.info("story_split story=%d new=%d moved=%s", story.pk, new.pk, groups[1])
        new.refresh_from_db()
        return new


def refresh_after_commit(story_ids: Iterable[int]) -> None:
    """refresh_story (counts, times, headline) for each of these stories once the current transaction commits,
    each in a short transaction of its own: what an article deleted leaves to do."""
    ids = sorted({int(pk) for pk in story_ids})

    def run() -> None:
        for pk in ids:
            with transaction.atomic(using=router.db_for_write(Story)):
                refresh_story(pk)

    if ids:
        transaction.on_commit(run, using=router.db_for_write(Story))


def link_deleted(sender: type, instance: ArticleStory, origin: object = None, **kwargs: object) -> None:
    """post_delete of an ArticleStory: when it went with its article (or the article's source, or anything else
    deleted), its story is refreshed after the commit. A link deleted for itself (stories.editing moves links
    as new rows) is left to the editor's own refresh."""
    if isinstance(origin, ArticleStory) or (isinstance(origin, QuerySet) and origin.model is ArticleStory):
        return
    refresh_after_commit([instance.story_id])
