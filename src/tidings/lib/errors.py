"""Error types with a message for a person; `permanent` says whether a retry can help."""

from __future__ import annotations


class TidingsError(Exception):
    """Base of every expected error; str(err) is shown to people as it is."""

    permanent: bool = False

    def __init__(self, message: str, *, permanent: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if permanent is not None:
            self.permanent = permanent


class InvalidInput(TidingsError):
    """Input that cannot be used (a bad URL, an empty file, a bad parameter)."""

    permanent = True


class FetchError(TidingsError):
    """A network fetch failed; `permanent` when retrying cannot help."""


class FetchRefused(FetchError):
    """The URL points somewhere we refuse to fetch (private address, bad scheme)."""

    permanent = True


class ResponseTooLarge(FetchError):
    """The server sent more than the configured limit."""


class ParseError(TidingsError):
    """A document could not be read as any supported format."""

    permanent = True


class ServiceUnavailable(TidingsError):
    """A service the site needs (the database, the task queue) cannot be reached now; retrying later helps."""


class QueueUnavailable(ServiceUnavailable):
    """The task queue cannot be reached, so work was not queued."""
