"""Import plain-text article dumps from files: read safely, parse, store under one "text" source."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tidings.ingest.parse.decode import decode_text
from tidings.ingest.parse.text_dump import parse_text_dump
from tidings.ingest.store import store_articles
from tidings.lib.errors import InvalidInput
from tidings.sources.models import Source, SourceKind

logger = logging.getLogger(__name__)

_SOURCE_NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class FileImport:
    """What happened to one file: `error` (for a person) is set when nothing was stored."""

    path: str
    headline: str = ""
    article_id: int | None = None
    duplicate: bool = False
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def import_text_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    source_name: str,
    enrich: bool = True,
    on_result: Callable[[FileImport], None] | None = None,
) -> list[FileImport]:
    """Import each file as one article of the text source `source_name`; a bad file does not stop the rest."""
    name = clean_source_name(source_name)
    max_bytes = settings.IMPORT_TEXT_MAX_BYTES
    source: Source | None = None
    results: list[FileImport] = []
    for raw_path in paths:
        path = Path(raw_path)
        try:
            text = read_text_file(path, max_bytes=max_bytes)
            article = parse_text_dump(text)
            if not article.headline:
                raise InvalidInput("no text found")
            if not article.paragraphs and not article.standfirst:
                raise InvalidInput("no article body found after the headline")
            source = source or get_text_source(name)
            stored = store_articles(source, [article], enrich=enrich)
            if stored.skipped:
                raise InvalidInput("; ".join(stored.skipped))
            result = FileImport(
                path=str(path),
                headline=article.headline,
                article_id=stored.created[0] if stored.created else None,
                duplicate=not stored.created,
            )
        except InvalidInput as exc:
            logger.debug("text_import_failed path=%s reason=%s", path, exc.message)
            result = FileImport(path=str(path), error=exc.message)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def clean_source_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("the source name is empty")
    if len(cleaned) > _SOURCE_NAME_MAX:
        raise InvalidInput(f"the source name is {len(cleaned)} characters long; the limit is {_SOURCE_NAME_MAX}")
    return cleaned


def get_text_source(name: str) -> Source:
    """The text source with this name, created on first use."""
    source = Source.objects.filter(kind=SourceKind.TEXT, name=name).order_by("pk").first()
    if source is None:
        source = Source.objects.create(kind=SourceKind.TEXT, name=name)
        logger.info("text_source_created source=%s name=%s", source.pk, name)
    return source


def read_text_file(path: Path, *, max_bytes: int) -> str:
    """Read a regular file of at most `max_bytes` and decode it; InvalidInput says why it cannot be used."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InvalidInput("no such file") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read it: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InvalidInput("is a directory, not a text file")
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput("is not a regular file")
    if info.st_size > max_bytes:
        raise InvalidInput(f"is {info.st_size:,} bytes; the limit is {max_bytes:,} bytes ({_size(max_bytes)})")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot read it: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InvalidInput(f"is larger than the limit of {_size(max_bytes)}")
    return decode_text(data)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count} bytes"


def summarize(results: Sequence[FileImport]) -> tuple[int, int, int]:
    """Counts of (created, duplicates, failed)."""
    created = sum(1 for r in results if r.article_id is not None)
    duplicates = sum(1 for r in results if r.duplicate)
    return created, duplicates, sum(1 for r in results if not r.ok)
