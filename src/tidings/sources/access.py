"""Edge of sources.permissions: who is asking (from a Django user), their allowance, what they may see of a source."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db.models import QuerySet

from tidings.lib.errors import TidingsError
from tidings.sources.models import Source
from tidings.sources.permissions import (
    ANONYMOUS,
    EDITOR_PERMISSION,
    AddAllowance,
    Reader,
    add_allowance,
    can_change_source,
    can_see_feed_url,
    redact_addresses,
    shown_site_url,
)

EDITORS_GROUP = "Editors"


class NotAllowed(TidingsError):
    """The reader may not do this (change someone else's source, add beyond their quota)."""

    permanent = True


@dataclass(frozen=True, slots=True)
class SourceView:
    """What one reader may see of a source: `url` None when its feed address is hidden from them, `site_url`
    "" when the site address would give the feed address away."""

    source: Source
    url: str | None
    site_url: str
    last_error: str
    paused_reason: str
    can_change: bool


def reader_for(user: Any) -> Reader:
    """The Reader for a request's user (anonymous or signed in); staff and `sources.change_source` are editors."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return Reader(user_id=user.pk, is_editor=bool(user.is_staff or user.has_perm(EDITOR_PERMISSION)))


def allowance_for(reader: Reader) -> AddAllowance:
    """How many more sources this reader may add (one COUNT query for a plain reader)."""
    if reader.is_editor or reader.is_anonymous:
        return add_allowance(reader, added=0, limit=settings.MAX_SOURCES_PER_READER)
    added = Source.objects.filter(added_by_id=reader.user_id).count()
    return add_allowance(reader, added=added, limit=settings.MAX_SOURCES_PER_READER)


def check_can_add(reader: Reader) -> AddAllowance:
    """The reader's allowance; raises NotAllowed with the reason when they may add no more sources."""
    allowance = allowance_for(reader)
    if not allowance.allowed:
        raise NotAllowed(f"You cannot add a source: {allowance.refusal}.")
    return allowance


def check_can_change(reader: Reader, source: Source) -> None:
    """Raises NotAllowed unless the reader may change this source's settings."""
    if not can_change_source(reader, source):
        raise NotAllowed(
            f"You cannot change “{source.name}”: only the reader who added it, staff and editors change a source."
        )


def view_of(source: Source, reader: Reader) -> SourceView:
    """The source as this reader may see it: the feed address and raw errors only for its owner, staff, editors."""
    if can_see_feed_url(reader, source):
        return SourceView(
            source,
            source.url,
            source.site_url,
            source.last_error,
            source.paused_reason,
            can_change_source(reader, source),
        )
    return SourceView(
        source,
        None,
        shown_site_url(source.site_url, feed_url=source.url),
        redact_addresses(source.last_error, feed_url=source.url),
        redact_addresses(source.paused_reason, feed_url=source.url),
        False,
    )


def visible_to(reader: Reader) -> QuerySet[Source]:
    """Sources whose feed address this reader may see (for an OPML export): all for editors, else those they added."""
    sources = Source.objects.exclude(url="")
    if reader.is_editor:
        return sources
    if reader.is_anonymous:
        return sources.none()
    return sources.filter(added_by_id=reader.user_id)


def editors_group() -> Group:
    """The "Editors" group, given the permission that makes its members editors the first time it is needed."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    app_label, codename = EDITOR_PERMISSION.split(".")
    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group
