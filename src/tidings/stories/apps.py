from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "tidings.stories"
    label = "stories"

    def ready(self) -> None:
        from tidings.articles.signals import articles_enriched

        articles_enriched.connect(enqueue_story_assignment, dispatch_uid="stories.assign_after_enrichment")


def enqueue_story_assignment(sender: object, article_ids: list[int], **kwargs: Any) -> None:
    """After enrichment commits: assign its articles to stories in a task."""
    from django.db import transaction

    from tidings.stories.tasks import assign_stories_task

    transaction.on_commit(lambda: assign_stories_task.enqueue(list(article_ids)))
