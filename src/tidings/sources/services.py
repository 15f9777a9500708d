"""Edge service: add a source by its web address; the first refresh detects its kind."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction

from tidings.lib.canonical import canonicalize_url
from tidings.lib.errors import InvalidInput, QueueUnavailable
from tidings.sources.models import FullTextMode, Source, SourceKind
from tidings.sources.signals import want_refresh

logger = logging.getLogger(__name__)

_validate_url = URLValidator(schemes=["http", "https"])


def add_source(
    url: str, name: str = "", *, full_text: str = FullTextMode.AUTO, added_by_id: int | None = None
) -> Source:
    """Create a source for a feed or page address and queue its first refresh once the transaction commits.

    `added_by_id` is the reader who adds it (None: the operator); callers check sources.access first.
    """
    full_text = check_full_text_mode(full_text)
    raw_url, url = url, normalize_source_url(url)
    duplicate = find_source_by_url(url)
    if duplicate is not None:
        raise InvalidInput(f"{url} is already a source (“{duplicate.name}”)")
    name = " ".join(name.split())[:200]
    if "://" in name or name == raw_url.strip():
        # A web address is no name: OPML exporters (ours too) write the feed address as the title of an
        # untitled feed, and a feed address may carry a private token that the name and slug would show.
        name = ""
    name = name or default_source_name(url)
    try:
        with transaction.atomic():
            source = Source.objects.create(
                url=url, name=name, kind=SourceKind.UNKNOWN, full_text=full_text, added_by_id=added_by_id
            )
    except IntegrityError:
        raise InvalidInput(f"{url} is already a source") from None
    transaction.on_commit(lambda: _enqueue_refresh(source.pk))
    logger.info("source_added source=%s added_by=%s url=%s", source.pk, added_by_id, url)
    return source


def set_full_text_mode(source: Source, mode: str) -> Source:
    """Store whether this source's article pages are fetched for full text (auto, always or never)."""
    source.full_text = check_full_text_mode(mode)
    source.save(update_fields=["full_text"])
    logger.info("source_full_text_set source=%s mode=%s", source.pk, source.full_text)
    return source


def check_full_text_mode(mode: str) -> str:
    """The mode if it is one of auto, always or never; raises InvalidInput naming the choices."""
    if mode not in FullTextMode.values:
        choices = ", ".join(FullTextMode.values)
        raise InvalidInput(f"{str(mode)[:40]!r} is not a full-text setting; use one of {choices}")
    return mode


def normalize_source_url(raw: str) -> str:
    """A checked http(s) address; 'example.org/feed' gets https://. Raises InvalidInput."""
    url = (raw or "").strip()
    shown = url or "an empty address"
    if url and "://" not in url and " " not in url and "." in url.split("/", 1)[0]:
        url = f"https://{url}"
    if len(url) > 2048:
        raise InvalidInput(f"{shown[:80]}… is too long to be a web address (2,048 characters at most)")
    try:
        _validate_url(url)
    except ValidationError:
        raise InvalidInput(f"{shown} is not a web address (it should look like https://example.org/feed)") from None
    parts = urlsplit(url)
    return parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower(), fragment="").geturl()


def find_source_by_url(url: str) -> Source | None:
    """The source with this address, comparing canonical forms (host case, tracking parameters)."""
    exact = Source.objects.filter(url=url).first()
    if exact is not None:
        return exact
    wanted = canonicalize_url(url)
    if wanted != url and (found := Source.objects.filter(url=wanted).first()) is not None:
        return found
    host = (urlsplit(wanted).hostname or "").removeprefix("www.")
    candidates = Source.objects.exclude(url="").filter(url__icontains=host) if host else Source.objects.none()
    for source in candidates.only("pk", "url", "name"):
        if canonicalize_url(source.url) == wanted:
            return source
    return None


def default_source_name(url: str) -> str:
    """The name a source gets before its first fetch: its host name (the feed title replaces it)."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")[:200]


def _enqueue_refresh(source_id: int) -> None:
    try:
        want_refresh([source_id])  # ingest queues it (sources.signals)
    except QueueUnavailable as err:
        # The source is saved and due (no next fetch time): the scheduler's next refresh of due sources takes it.
        logger.warning("source_refresh_deferred source=%s error=%s", source_id, err)
