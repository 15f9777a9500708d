"""Edge service: import an OPML subscription list (one bad entry never stops the rest) and export one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tidings.lib.errors import InvalidInput
from tidings.sources.access import allowance_for, visible_to
from tidings.sources.models import Source
from tidings.sources.opml import OpmlEntryError, OpmlFeed, feed_key, parse_opml, render_opml
from tidings.sources.permissions import Reader, can_change_source, can_see_feed_url
from tidings.sources.services import add_source

logger = logging.getLogger(__name__)

FOLDER_MAX_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Where an import stands after one more feed: `total` counts the file's importable feeds,
    `not_imported` the refused entries so far (including those the file's reading refused)."""

    done: int
    total: int
    added: int
    already_present: int
    not_imported: int


# Called after each feed.
ProgressCallback = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class ImportedSource:
    """A source the import added or found already present."""

    source_id: int
    name: str
    url: str
    folder: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; `errors` are the refused entries with reasons, `warning` is about the whole file."""

    title: str
    added: tuple[ImportedSource, ...]
    already_present: tuple[ImportedSource, ...]
    errors: tuple[OpmlEntryError, ...]
    folders: tuple[str, ...]
    warning: str = ""

    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.already_present)} already present, {len(self.errors)} not imported"


def import_opml(
    data: bytes, *, on_progress: ProgressCallback | None = None, reader: Reader | None = None
) -> ImportReport:
    """Add every good feed of an OPML file as a source; raises ParseError only if the file is unreadable.

    `reader` None is the operator (the CLI): no limit, sources added by nobody. A reader's new sources are
    theirs and count against their quota; feeds beyond it are listed as not imported, with the reason.
    """
    document = parse_opml(data)
    added: list[ImportedSource] = []
    present: list[ImportedSource] = []
    errors = list(document.errors)
    total = len(document.feeds)
    known = _known_sources()
    left = allowance_for(reader).left if reader is not None else None
    refusal = ""
    for done, feed in enumerate(document.feeds, start=1):
        if reader is not None and left == 0 and not refusal:  # read once, when the quota runs out
            refusal = allowance_for(reader).refusal or "you may add no more sources"
        try:
            source, created = _import_feed(feed, known, reader=reader, refusal=refusal)
        except InvalidInput as err:
            errors.append(OpmlEntryError(feed.title, feed.xml_url, err.message))
        else:
            if created and left is not None:
                left -= 1
            # What a reader may not see of a source already present (its address may differ from the file's).
            shown_url = source.url if reader is None or can_see_feed_url(reader, source) else feed.xml_url
            (added if created else present).append(ImportedSource(source.pk, source.name, shown_url, source.folder))
        if on_progress is not None:
            on_progress(ImportProgress(done, total, len(added), len(present), len(errors)))
    report = ImportReport(
        document.title, tuple(added), tuple(present), tuple(errors), document.folders, document.warning
    )
    logger.info(
        "opml_imported added=%d already_present=%d errors=%d warning=%r",
        len(report.added),
        len(report.already_present),
        len(report.errors),
        report.warning,
    )
    return report


def export_opml(*, now: datetime | None = None, reader: Reader | None = None) -> bytes:
    """Every source with a web address as OPML 2.0, grouped by folder then name; for a `reader`, only those
    whose feed address they may see (staff and editors: all; a reader: those they added). None: the operator."""
    sources = (Source.objects.exclude(url="") if reader is None else visible_to(reader)).order_by(
        "folder", "name", "pk"
    )
    feeds = [OpmlFeed(source.url, source.name, source.site_url, source.folder) for source in sources]
    return render_opml(feeds, title="Tidings sources", created=now or timezone.now())


def _known_sources() -> dict[str, int]:
    """Source ids by canonical address, read once: checking each feed with find_source_by_url
    would read every source again for every feed."""
    return {feed_key(url): pk for pk, url in Source.objects.exclude(url="").values_list("pk", "url")}


def _import_feed(feed: OpmlFeed, known: dict[str, int], *, reader: Reader | None, refusal: str) -> tuple[Source, bool]:
    """(source, True) when added; (existing source, False) when its address is already a source.

    Raises InvalidInput for a bad address, or with `refusal` when it is set (the reader may add no more).
    """
    folder = feed.folder[:FOLDER_MAX_LENGTH]
    key = feed_key(feed.xml_url)
    existing = Source.objects.filter(pk=known[key]).first() if key in known else None
    if existing is not None:
        # A re-import fills in folders the first import had no place for, never moves a filed source;
        # only for whoever may change the source.
        if folder and not existing.folder and (reader is None or can_change_source(reader, existing)):
            existing.folder = folder
            existing.save(update_fields=["folder"])
        return existing, False
    if refusal:
        raise InvalidInput(f"not added: {refusal}")
    with transaction.atomic():
        source = add_source(feed.xml_url, name=feed.title, added_by_id=reader.user_id if reader else None)
        changed = []
        if feed.html_url and not source.site_url:
            source.site_url = feed.html_url
            changed.append("site_url")
        if folder:
            source.folder = folder
            changed.append("folder")
        if changed:
            source.save(update_fields=changed)
    known[key] = source.pk
    return source, True
