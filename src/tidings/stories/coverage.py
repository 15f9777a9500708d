"""A story's coverage, stored on it: Story.source_count, the distinct outlets of its visible articles (the home
page's top stories are the recent stories with the most outlets; reading them from the stored count and the
story_top_recent index costs the same at any corpus size, where counting at read time grouped every recent
article by story).

Who keeps it right, and how it stays exact with several writers:
- stories.editing.refresh_story (every writer that moves articles between stories: assignment, merges, splits,
  editors' moves) recounts it inside the writer's transaction, after lock_stories() took the rows' locks;
- a change of which articles are duplicates (stories.neardup_service; an Article saved with another
  duplicate_of, and the duplicates of a deleted article, through signals) recounts the stories concerned after
  the change commits (recount_after_commit), and an article deleted refreshes its story after the commit (the
  ArticleStory post_delete signal: stories.editing.link_deleted); the signals are connected in
  StoriesConfig.ready, and each story is recounted in a short transaction of its own holding that one row's lock.
Every count is taken after its story's row lock is held (PostgreSQL's READ COMMITTED takes a new snapshot per
statement), and every change of articles is followed by a recount that starts after it committed or inside its
own transaction: the last writer of a story's count has seen every committed change. Locks on several stories
are taken in id order (lock_stories), so two writers never wait on each other's rows.
`recount_all` fills the column for every story in one UPDATE (the migration, bench corpora loaded by SQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Count

from tidings.stories.models import ArticleStory, Story


def _articles() -> Any:
    """The Article model, through the link's foreign key (articles.models is not imported by stories' models)."""
    return ArticleStory._meta.get_field("article").related_model


def lock_stories(story_ids: Iterable[int]) -> None:
    """Inside a transaction: hold these stories' row locks (PostgreSQL), taken in id order; SQLite's
    transactions hold the database's one write lock already."""
    ids = sorted({int(pk) for pk in story_ids})
    if ids and connections[router.db_for_write(Story)].vendor == "postgresql":
        list(Story.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def source_count_of(story_id: int) -> int:
    """Distinct outlets among the story's visible articles (not near-duplicates), counted now."""
    found = (
        _articles()
        .objects.filter(story_link__story_id=story_id, duplicate_of__isnull=True)
        .aggregate(n=Count("source_id", distinct=True))
    )
    return int(found["n"] or 0)


def recount_stories(story_ids: Iterable[int]) -> None:
    """Recount these stories' source counts, each in a short transaction holding its row's lock."""
    for pk in sorted({int(pk) for pk in story_ids}):
        with transaction.atomic(using=router.db_for_write(Story)):
            lock_stories([pk])
            Story.objects.filter(pk=pk).update(source_count=source_count_of(pk))


def recount_after_commit(story_ids: Iterable[int]) -> None:
    """Recount these stories once the current transaction commits (at once outside one; never after a
    rollback)."""
    ids = sorted({int(pk) for pk in story_ids})
    if ids:
        transaction.on_commit(lambda: recount_stories(ids), using=router.db_for_write(Story))


def article_deleting(sender: type, instance: Any, **kwargs: object) -> None:
    """pre_delete of an Article: its near-duplicates become visible (the delete sets their duplicate_of to
    NULL without saving them), so their stories are recounted after the commit."""
    duplicates = sender.objects.filter(duplicate_of=instance.pk).values_list("pk", flat=True)  # type: ignore[attr-defined]
    recount_after_commit(stories_of_articles(duplicates))


def article_saving(sender: type, instance: Any, update_fields: Iterable[str] | None = None, **kwargs: object) -> None:
    """pre_save of an Article: note whether a save changes which article it duplicates (article_saved then
    recounts its story after the commit). New articles are in no story yet."""
    if instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and "duplicate_of" not in set(update_fields):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("duplicate_of_id", flat=True).first()  # type: ignore[attr-defined]
    if old != instance.duplicate_of_id:
        instance._coverage_recount = True


def article_saved(sender: type, instance: Any, **kwargs: object) -> None:
    if instance.__dict__.pop("_coverage_recount", False):
        recount_after_commit(stories_of_articles([instance.pk]))


def stories_of_articles(article_ids: Iterable[int]) -> set[int]:
    ids = sorted({int(pk) for pk in article_ids})
    found: set[int] = set()
    for i in range(0, len(ids), 500):
        found.update(ArticleStory.objects.filter(article_id__in=ids[i : i + 500]).values_list("story_id", flat=True))
    return found


def recount_all() -> None:
    """Every story's source count from its articles, in one UPDATE: a correlated count per story through the
    link table's story index. Written as plain SQL: the ORM's form adds a GROUP BY to the subquery, which
    PostgreSQL planned as a pass over every article per story (11 minutes and counting at 100k stories)."""
    story, link = Story._meta.db_table, ArticleStory._meta.db_table
    article = _articles()._meta.db_table
    alias = router.db_for_write(Story)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(RECOUNT_SQL.format(story=story, link=link, article=article))


# Only table names (constants) are formatted in.
RECOUNT_SQL = (
    "UPDATE {story} SET source_count = COALESCE((SELECT COUNT(DISTINCT a.source_id) FROM {link} l"
    " JOIN {article} a ON a.id = l.article_id WHERE l.story_id = {story}.id AND a.duplicate_of_id IS NULL), 0)"
)
