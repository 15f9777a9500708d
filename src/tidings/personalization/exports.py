"""A reader's followed sources as OPML, for another feed reader (the same render as the sources export).

Only feed addresses the reader may see are written (sources.access.visible_to: an editor sees all, a reader the
sources they added): a feed address may carry someone's private token. The others are counted, so the page can
say how many were left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from tidings.personalization.models import Follow, FollowAction, Profile
from tidings.sources.access import Reader, visible_to
from tidings.sources.opml import OpmlFeed, render_opml


@dataclass(frozen=True, slots=True)
class FollowsExport:
    body: bytes
    written: int
    left_out: int  # followed sources whose feed address this reader may not see


def followed_sources_opml(profile: Profile, reader: Reader, now: datetime | None = None) -> FollowsExport:
    followed = Follow.objects.filter(profile=profile, action=FollowAction.FOLLOW, source__isnull=False)
    followed_ids = set(followed.values_list("source_id", flat=True))
    sources = list(visible_to(reader).filter(pk__in=followed_ids).order_by("folder", "name", "pk"))
    feeds = [OpmlFeed(s.url, s.name, s.site_url, s.folder) for s in sources]
    body = render_opml(feeds, title="Tidings: sources I follow", created=now or timezone.now())
    return FollowsExport(body=body, written=len(sources), left_out=len(followed_ids) - len(sources))
