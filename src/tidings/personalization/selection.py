"""Turn a profile's follows into article filters (Q objects) for ArticleQuerySet.for_profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from tidings.personalization.models import Follow, FollowAction
from tidings.taxonomy.membership import listed_in_category

if TYPE_CHECKING:
    from tidings.personalization.models import Profile


def target_filter(follow: Follow) -> Q:
    """Articles matched by one follow: those listed in a category (taxonomy.membership), as on its page."""
    if follow.category_id is not None:
        return listed_in_category([follow.category_id])
    if follow.topic_id is not None:
        return Q(topic_links__topic_id=follow.topic_id)
    return Q(source_id=follow.source_id)


def followed_articles_filter(profile: Profile) -> tuple[Q | None, Q | None]:
    """(include, exclude): include is None when the profile follows nothing."""
    include: Q | None = None
    exclude: Q | None = None
    for follow in Follow.objects.filter(profile=profile):
        q = target_filter(follow)
        if follow.action == FollowAction.FOLLOW:
            include = q if include is None else include | q
        else:
            exclude = q if exclude is None else exclude | q
    return include, exclude
