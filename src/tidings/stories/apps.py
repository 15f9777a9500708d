from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "tidings.stories"
    label = "stories"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

        from tidings.articles.signals import articles_enriched
        from tidings.stories import coverage, editing
        from tidings.stories.models import ArticleStory

        post_delete.connect(editing.link_deleted, sender=ArticleStory, dispatch_uid="stories.link_deleted")
        pre_delete.connect(
            coverage.article_deleting, sender="articles.Article", dispatch_uid="stories.article_deleting"
        )
        pre_save.connect(coverage.article_saving, sender="articles.Article", dispatch_uid="stories.article_saving")
        post_save.connect(coverage.article_saved, sender="articles.Article", dispatch_uid="stories.article_saved")

        articles_enriched.connect(enqueue_story_assignment, dispatch_uid="stories.assign_after_enrichment")
        articles_enriched.connect(relink_speakers_after_enrichment, dispatch_uid="stories.relink_speakers")


def relink_speakers_after_enrichment(sender: object, article_ids: list[int], **kwargs: Any) -> None:
    """After any enrichment run: the entities stage may have replaced the weak links to the articles' speakers
    (a re-run of that stage alone does not run the claims stage again); rebuild them from the stored claims. A
    failure is logged, never raised into the enrichment run."""
    import logging

    from tidings.stories.speakers import relink_speakers

    try:
        relink_speakers(article_ids)
    except Exception:
        logging.getLogger(__name__).exception("speakers_relink_failed articles=%d", len(article_ids))


def enqueue_story_assignment(sender: object, article_ids: list[int], **kwargs: Any) -> None:
    """After enrichment commits: assign its articles to stories in a task."""
    from django.db import transaction

    from tidings.stories.tasks import assign_stories_task

    transaction.on_commit(lambda: assign_stories_task.enqueue(list(article_ids)))
