"""Tasks: ids in, one service call."""

from __future__ import annotations

from django_tasks import task


@task()
def link_near_duplicates_task(article_ids: list[int]) -> int:
    """Link newly stored articles to earlier near-copies from other outlets; returns how many were linked."""
    from tidings.stories.neardup_service import link_near_duplicates  # datasketch + scipy: only where it runs

    return link_near_duplicates(article_ids)


# Below the default priority, like enrichment: a backlog never delays a source refresh.
@task(priority=-10)
def assign_stories_task(article_ids: list[int]) -> int:
    """Put enriched articles into stories; returns how many were assigned."""
    from tidings.stories.assign import assign_stories

    return assign_stories(article_ids)
