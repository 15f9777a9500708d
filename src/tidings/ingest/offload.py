"""Edge: work a refresh hands off its storing thread, so it uses the second core while that one stores.

A refresh of many sources is bound by CPU, and in one process the event loop, parsing and the database
share one GIL. Two ways out, both forking from the calling thread alone (before any other thread starts):

- `ForkedFetchSide` (what the engine uses for many sources): the whole fetching event loop runs in a forked
  process, which also parses; each source's result comes back pickled through a queue (ForkedProducer),
  and the storing side hands back one credit per stored source, so at most `max_pending` wait in memory.
  When the storing process dies, the child reads end-of-file on its credits and stops.
- `ThreadFetchSide`: the event loop in a thread of this process, with a `DocumentReader` that parses in a
  worker process (for many sources) or in the loop's thread pool (a few; and after the worker dies).

Values cross as class and field values (copyreg below) and errors as class, args and attributes, because
pickle cannot rebuild an error whose __init__ takes keyword-only arguments.
"""

from __future__ import annotations

import asyncio
import contextlib
import copyreg
import dataclasses
import logging
import multiprocessing
import operator
import os
import pickle
import queue
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import Any, Protocol, TypeVar

from tidings.ingest.parse.document import read_and_key
from tidings.ingest.types import ExtractedArticle, FetchResult, ItemKeys, ReadDocument

logger = logging.getLogger(__name__)
T = TypeVar("T")

MIN_SOURCES = 16  # a refresh of fewer sources reads them in threads
INLINE_MAX_BYTES = 1_000_000  # ForkedFetchSide reads smaller documents in its event loop's thread (< ~0.1 s each)


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple[object, ...]]]:
    """Pickle a frozen slots dataclass as its class and field values: unpickling calls the class, which is
    several times faster than the generic dataclass __setstate__ (it looks up the fields for every object),
    and the storing process unpickles every article of every feed. The field getter is made once per class."""
    names = [f.name for f in dataclasses.fields(cls)]
    values = operator.attrgetter(*names)
    return lambda value: (cls, values(value))


for _type in (ExtractedArticle, ItemKeys):
    copyreg.pickle(_type, _by_fields(_type))


def forking_helps() -> bool:
    """A forked process can run beside this one: a second core, and fork itself (Linux)."""
    return (os.cpu_count() or 1) >= 2 and sys.platform == "linux"


class DocumentReader:
    """Reads documents in a worker process when the refresh is large enough, else in the given threads."""

    def __init__(
        self,
        sources: int,
        *,
        min_sources: int = MIN_SOURCES,
        before_fork: Callable[[], None] | None = None,
        keys: bool | Callable[[], bool] = True,
        inline_bytes: int = 0,
        extract_workers: int = 0,
    ) -> None:
        """`before_fork` runs just before the worker is forked: to close what the worker must not inherit
        (an open SQLite connection may not be carried across a fork). `keys`: whether reading works out the
        articles' store keys too (document.read_and_key), or a function asked before each document; else
        the store works them out. Without a worker process, a document under `inline_bytes` is read in the
        calling (event loop) thread itself, not handed to a thread. `extract_workers`: processes forked
        now for `extract` (article pages), else it runs in the given threads."""
        self._keys = keys
        self._inline_bytes = inline_bytes
        self._pool: ProcessPoolExecutor | None = None
        self._extract_pool: ProcessPoolExecutor | None = None
        if not forking_helps():
            return
        if extract_workers > 0:
            self._extract_pool = _forked_pool(extract_workers, before_fork)
        if sources >= min_sources:
            self._pool = _forked_pool(1, before_fork)

    @property
    def in_process(self) -> bool:
        return self._pool is not None

    async def read(self, threads: Executor, fetched: FetchResult) -> ReadDocument:
        """The document read into articles, with their store keys or not (see __init__); raises ParseError
        as read_document does."""
        loop = asyncio.get_running_loop()
        keys = self._keys() if callable(self._keys) else self._keys
        read = read_and_key if keys else _read_without_keys
        pool = self._pool
        if pool is not None:
            try:
                return await loop.run_in_executor(pool, read, fetched)
            except BrokenProcessPool:
                logger.warning("parse_worker_died url=%s; reading in threads from now on", fetched.url)
                self._pool = None
        if len(fetched.content) < self._inline_bytes:
            return read(fetched)
        return await loop.run_in_executor(threads, read, fetched)

    async def extract(self, threads: Executor, function: Callable[..., T], *args: object) -> T:
        """`function(*args)` (a module-level function: it crosses to a worker by name) in the extraction
        workers, or in the given threads without them (or once they have died)."""
        loop = asyncio.get_running_loop()
        pool = self._extract_pool
        if pool is not None:
            try:
                return await loop.run_in_executor(pool, function, *args)
            except BrokenProcessPool:
                logger.warning("extract_workers_died; extracting in threads from now on")
                self._extract_pool = None
        return await loop.run_in_executor(threads, function, *args)

    def close(self) -> None:
        for pool in (self._pool, self._extract_pool):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._extract_pool = None


def _forked_pool(workers: int, before_fork: Callable[[], None] | None) -> ProcessPoolExecutor | None:
    """`workers` processes forked now, from the calling thread alone (before any other thread starts), or
    None when that fails (a sandbox without fork, a resource limit: the caller uses threads)."""
    if before_fork is not None:
        before_fork()
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        pool.submit(os.getpid).result(timeout=30)  # with fork, the first task starts every worker
    except Exception as exc:
        logger.warning("worker_processes_unavailable workers=%d error=%r", workers, exc)
        return None
    return pool


_read_without_keys = partial(read_and_key, keys=False)

DONE = object()  # what a fetch side and ForkedProducer.get give once every result is in


class ForkedProducer:
    """`produce(put, credits_fd)` in a child process forked from this one; its results are taken here.

    The child puts any picklable value (pickled there, so a value that cannot cross fails in the child as
    an error, not silently in a queue thread); an exception it raises is raised by `get` here. Credits:
    `give(n)` writes n bytes to a pipe the child reads from `credits_fd` (to hold back work until this
    side has caught up); when this process ends or dies, the child reads end-of-file and should stop.
    """

    def __init__(self, produce: Callable[[Callable[[object], None], int], None]) -> None:
        context = multiprocessing.get_context("fork")
        self._parent_pid = os.getpid()
        self._results = context.Queue()
        self._credits_read, self._credits_write = os.pipe()
        self._finished = False
        self.child_cpu_seconds: float | None = None  # the child's CPU time (user + system), once it is done
        # Not a daemon: a daemonic process may not start processes of its own (the fetching process forks
        # its extraction workers). `close` ends it; if this process dies, it reads end-of-file on its credits.
        self._process = context.Process(target=self._child, args=(produce,), name="tidings-fetch", daemon=False)
        self._process.start()
        os.close(self._credits_read)

    def _child(self, produce: Callable[[Callable[[object], None], int], None]) -> None:
        os.close(self._credits_write)
        try:
            produce(lambda value: self._put(("item", value)), self._credits_read)
            times = os.times()
            self._put(("done", times.user + times.system))
        except BaseException as exc:  # handed to the parent, which raises it
            self._put(("error", portable_exception(exc)))
        finally:
            if self._storing_side_gone():
                # Nobody will read what is still queued, and waiting to flush it would block forever once
                # the pipe is full (this process holds its read end too).
                self._results.cancel_join_thread()
            self._results.close()
            self._results.join_thread()

    def _storing_side_gone(self) -> bool:
        """In the child: the storing process has died or stopped listening (end-of-file on the credits).

        Not only os.getppid(): a dying process closes its files before its children are given a new parent,
        so end-of-file can come first."""
        if os.getppid() != self._parent_pid:
            return True
        try:
            os.set_blocking(self._credits_read, False)
            while os.read(self._credits_read, 4096):  # credits not taken yet
                pass
        except BlockingIOError:
            return False  # open, nothing more to read: the storing side is still there
        except OSError:
            return True
        return True  # end-of-file

    def _put(self, message: object) -> None:
        try:
            data = pickle.dumps(message)
        except Exception as exc:  # any failure to pickle becomes the parent's error
            data = pickle.dumps(("error", (RuntimeError, (f"a fetched result could not be handed over: {exc!r}",), {})))
        self._results.put(data)

    def get(self, *, block: bool = True, timeout: float | None = None) -> object:
        """The child's next value, or DONE; raises queue.Empty when not `block`ing (or after `timeout`
        seconds of blocking) and nothing is waiting."""
        while True:
            try:
                if not block:
                    data = self._results.get(False)
                else:
                    data = self._results.get(True, 1.0 if timeout is None else timeout)
            except queue.Empty:
                if not block or timeout is not None:
                    raise
                if not self._process.is_alive() and self._results.empty():
                    code = self._process.exitcode
                    raise RuntimeError(f"the fetching process stopped early (exit code {code})") from None
                continue
            kind, value = pickle.loads(data)  # noqa: S301  (our own child's data)
            if kind == "error":
                raise restore_exception(value)
            if kind == "done":
                self._finished = True
                self.child_cpu_seconds = value
                return DONE
            return value

    def give(self, credits: int) -> None:
        if credits > 0:
            with contextlib.suppress(OSError):  # the child has already ended
                os.write(self._credits_write, b"\x01" * credits)

    def close(self) -> None:
        """Wait for a finished child; stop one that is still running (this side gave up)."""
        with contextlib.suppress(OSError):
            os.close(self._credits_write)  # end-of-file for the child
        if not self._finished:
            self._process.terminate()
        self._process.join(timeout=10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._results.close()


def portable_exception(exc: BaseException) -> tuple[type[BaseException], tuple[object, ...], dict[str, object]]:
    """An exception as its class, args and attributes: pickling the exception itself fails on the other
    side when its __init__ takes keyword-only arguments (HttpStatusError's status_code)."""
    parts = (type(exc), exc.args, dict(getattr(exc, "__dict__", {})))
    try:
        pickle.dumps(parts)
    except Exception:  # an exception whose parts cannot cross is described instead
        return RuntimeError, (f"{type(exc).__name__}: {exc}",), {}
    return parts


def restore_exception(parts: tuple[type[BaseException], tuple[object, ...], dict[str, object]]) -> BaseException:
    cls, args, state = parts
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


# --- where the fetching event loop runs -----------------------------------------------------------------

# The engine's fetching coroutine: it takes a semaphore of credits (one per source, released once the
# source is stored), a function to hand each result to, and the reader to parse with.
FetchRun = Callable[[asyncio.Semaphore, Callable[[object], None], "DocumentReader"], Awaitable[None]]


class FetchSide(Protocol):
    # The next result, or DONE; raises queue.Empty (not blocking, or after `timeout` seconds of blocking).
    def take(self, *, block: bool, timeout: float | None = None) -> object: ...
    def stored(self, count: int) -> None: ...  # that many results are stored: fetch that many more
    def close(self) -> None: ...
    @property
    def cpu_seconds(self) -> float | None: ...  # a fetching process's CPU time once it is done (else None)


class ThreadFetchSide:
    """The event loop in a thread of this process (parsing in a worker process when there are many sources)."""

    def __init__(
        self, run: FetchRun, *, sources: int, max_pending: int, before_fork: Callable[[], None] | None = None
    ) -> None:
        self._results: queue.Queue[object] = queue.Queue()
        # Before the fetching thread starts: the reader may fork a parse worker.
        self._reader = DocumentReader(sources, before_fork=before_fork)
        ready = threading.Event()
        self._state: dict[str, Any] = {}

        def thread() -> None:
            async def main() -> None:
                self._state["loop"] = asyncio.get_running_loop()
                self._state["pending"] = asyncio.Semaphore(max_pending)
                ready.set()
                await run(self._state["pending"], self._results.put, self._reader)

            try:
                asyncio.run(main())
            except BaseException as exc:  # handed to the calling thread, which re-raises it
                self._results.put(exc)
            finally:
                ready.set()
                self._results.put(DONE)

        self._thread = threading.Thread(target=thread, name="tidings-fetch", daemon=True)
        self._thread.start()
        ready.wait()

    def take(self, *, block: bool, timeout: float | None = None) -> object:
        item = self._results.get(block, timeout)
        if isinstance(item, BaseException):
            raise item
        if item is DONE:
            self._thread.join()
        return item

    def stored(self, count: int) -> None:
        for _ in range(count):
            with contextlib.suppress(RuntimeError):  # the loop may already be closed after the last source
                self._state["loop"].call_soon_threadsafe(self._state["pending"].release)

    @property
    def cpu_seconds(self) -> float | None:
        return None  # the fetching runs in this process

    def close(self) -> None:
        self._reader.close()


class ForkedFetchSide:
    """The event loop in a forked process, which also parses (in the loop's thread, or a thread for a large
    document: a third process measured no faster on two cores); results come here pickled, `pack`ed there
    and `unpack`ed here; credits go back through ForkedProducer's pipe."""

    def __init__(
        self,
        run: FetchRun,
        *,
        max_pending: int,
        pack: Callable[[object], object],
        unpack: Callable[[object], object],
        keys_backlog: int | None = None,
        extract_workers: int = 0,
    ) -> None:
        """`keys_backlog`: from this many results waiting to be stored, this process works out the store
        keys (default: half of `max_pending`, which leaves the store room to gather its batches).
        `extract_workers`: processes the fetching process forks to extract article pages (full text)."""
        self._unpack = unpack
        backlog_limit = max_pending // 2 if keys_backlog is None else keys_backlog

        def produce(put: Callable[[object], None], credits_fd: int) -> None:
            # Results handed over, and results the storing side has stored (its credits): the difference is
            # its backlog. Both change in the event loop's thread only.
            counts = {"sent": 0, "stored": 0}

            def send(result: object) -> None:
                counts["sent"] += 1
                put(pack(result))

            async def main(reader: DocumentReader) -> None:
                loop = asyncio.get_running_loop()
                pending = asyncio.Semaphore(max_pending)
                work = asyncio.ensure_future(run(pending, send, reader))

                def on_credits() -> None:
                    data = os.read(credits_fd, 4096)
                    if not data:  # the storing process is gone: stop
                        loop.remove_reader(credits_fd)
                        work.cancel()
                        return
                    counts["stored"] += len(data)
                    for _ in range(len(data)):
                        pending.release()

                loop.add_reader(credits_fd, on_credits)
                try:
                    await work
                finally:
                    loop.remove_reader(credits_fd)

            # Parsing in this process: a usual document in the event loop's own thread, which has nothing
            # else to do meanwhile (handing it to a thread and back cost ~15% more CPU in this process, the
            # threads contending for the GIL), a large one in a thread (the loop keeps serving the other
            # fetches meanwhile). Who works out the articles' store keys (canonical URL,
            # content hash, boilerplate line keys; about a fifth of the reading) depends on which side is
            # behind: this process, while results wait to be stored (the store is the slower side), else the
            # storing process, which would otherwise wait for this one. The two processes stay about equally
            # busy on any machine (on 1,000 farm feeds, either fixed choice left one side idle ~1 s).
            reader = DocumentReader(
                0,
                keys=lambda: counts["sent"] - counts["stored"] >= backlog_limit,
                inline_bytes=INLINE_MAX_BYTES,
                extract_workers=extract_workers,
            )
            try:
                asyncio.run(main(reader))
            finally:
                reader.close()

        self._producer = ForkedProducer(produce)

    def take(self, *, block: bool, timeout: float | None = None) -> object:
        item = self._producer.get(block=block, timeout=timeout)
        return DONE if item is DONE else self._unpack(item)

    def stored(self, count: int) -> None:
        self._producer.give(count)

    @property
    def cpu_seconds(self) -> float | None:
        """The fetching process's CPU time, once it has finished."""
        return self._producer.child_cpu_seconds

    def close(self) -> None:
        self._producer.close()
