"""The farm's HTTP server: routes, conditional GET, gzip, latency, changes, faults, and `running_farm`.

Binds 127.0.0.1 only. One asyncio loop; feed bodies are rendered on first request and cached per version.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import logging
import random
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from xml.sax.saxutils import quoteattr

from . import faults, formats, layouts, truth
from .build import build_web
from .protocol import MAX_HEAD, Exchange, Stats, serve_connection
from .web import FarmConfig, Feed, Web

logger = logging.getLogger(__name__)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
FEED_CACHE_SIZE = 4096


def _http_date(value: datetime) -> str:
    return format_datetime(value.astimezone(UTC), usegmt=True)


def wants_gzip(headers: dict[str, str]) -> bool:
    for token in headers.get("accept-encoding", "").split(","):
        name, _, params = token.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=")
            return not (params and q.replace(".", "").strip("0") == "")
    return False


def not_modified(headers: dict[str, str], etag: str, last_modified: datetime) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    ims = headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last_modified.replace(microsecond=0) <= since
    return False


class FarmServer:
    def __init__(self, config: FarmConfig) -> None:
        self.config = config
        self.web: Web = build_web(config)
        self.stats = Stats()
        self.base_url = ""
        self.rounds = 0
        self._feeds_by_path = {self.web.feed_path(f): f for f in self.web.feeds}
        self._hosts = {h.slug: h for h in self.web.hosts}
        self._cache: OrderedDict[int, tuple[int, bytes, str]] = OrderedDict()  # feed -> (version, gzip, type)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- lifecycle -----------------------------------------------------------------------------------------
    def warm(self) -> None:
        """Render every feed once (host by host, sections before "latest") so no request waits on text."""
        for feed in sorted(self.web.feeds, key=lambda f: (f.host, f.section == "latest")):
            if feed.fault not in faults.TRANSPORT:
                self._feed_body(feed)

    async def start(self, port: int = 0, warm: bool = True) -> str:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", port, limit=MAX_HEAD, backlog=2048)
        self.base_url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        if warm:
            self.warm()
        if self.config.change_every > 0:
            self._spawn(self._ticker())
        return self.base_url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        with suppress(asyncio.CancelledError):  # stop() cancels open connections (hanging ones included)
            await serve_connection(reader, writer, self.handle, self.stats, self.base_url)

    # -- changes -------------------------------------------------------------------------------------------
    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.config.change_every)
            self.change()

    def change(self, now: datetime | None = None) -> list[Feed]:
        """Add 1 to 3 items to ~10% of the feeds (a "latest" pick publishes in one of its host's sections)."""
        self.rounds += 1
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        rng = random.Random(f"{self.config.seed}:change:{self.rounds}")
        web = self.web
        picked = rng.sample(web.feeds, max(1, round(len(web.feeds) / 10)))
        changed: dict[int, Feed] = {}
        for feed in picked:
            if feed.section == "latest":
                sections = [f for f in web.feeds if f.host == feed.host and f.section != "latest"]
                if not sections:
                    continue
                feed = rng.choice(sections)
            web.add_items(feed, rng.randint(1, 3), now, rng)
            changed[feed.index] = feed
            changed.update({f.index: f for f in web.feeds if f.host == feed.host and f.section == "latest"})
        for feed in changed.values():
            feed.version += 1
            feed.last_modified = max(now, feed.last_modified + timedelta(seconds=1))
            self._cache.pop(feed.index, None)
        logger.info("feedfarm change round=%s feeds_changed=%s", self.rounds, len(changed))
        return list(changed.values())

    # -- routing -------------------------------------------------------------------------------------------
    async def handle(self, ex: Exchange) -> None:
        path = ex.path
        if ex.method not in ("GET", "HEAD") and (ex.method, path) != ("POST", "/stats/reset"):
            await ex.respond(405, [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")], b"GET or HEAD only\n")
            return
        if path.startswith(("/stats", "/truth")):
            ex.counted = False  # control endpoints stay out of the counters and are never delayed
            await self._control(ex)
            return
        parts = path.split("/")
        if len(parts) >= 4 and parts[1] == "h" and parts[2] in self._hosts:
            self.stats.enter_host(parts[2])  # in flight from the moment the request is read
            try:
                await self._delay()
                await self._host_route(ex, parts)
            finally:
                self.stats.leave_host(parts[2])
            return
        await self._delay()
        if path == "/opml":
            await ex.respond(200, [("Content-Type", "text/x-opml; charset=utf-8")], self.opml())
        elif path == "/":
            await ex.respond(
                200,
                [("Content-Type", "text/html; charset=utf-8")],
                b'<!doctype html><title>feed farm</title><a href="/opml">OPML</a> '
                b'<a href="/truth">truth</a> <a href="/stats">stats</a>\n',
            )
        else:
            await self._not_found(ex)

    async def _delay(self) -> None:
        if self.config.latency_ms:
            await asyncio.sleep(self.config.latency_ms / 1000)

    async def _not_found(self, ex: Exchange) -> None:
        await ex.respond(404, [("Content-Type", "text/plain; charset=utf-8")], b"not found\n")

    async def _control(self, ex: Exchange) -> None:
        if ex.path == "/stats":
            body = json.dumps(self.stats.snapshot()).encode()
        elif ex.path == "/stats/reset":
            self.stats.reset()
            body = b'{"reset": true}'
        elif ex.path == "/truth":
            articles = "part=feeds" not in ex.query
            chunks = truth.iter_json(self.web, self.base_url, articles)

            async def stream() -> Any:
                batch: list[str] = []
                for piece in chunks:
                    batch.append(piece)
                    if len(batch) >= 200:
                        yield "".join(batch).encode()
                        batch.clear()
                        await asyncio.sleep(0)
                yield "".join(batch).encode()

            await ex.stream(200, [("Content-Type", "application/json")], stream(), None)
            return
        else:
            await self._not_found(ex)
            return
        await ex.respond(200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body)

    async def _host_route(self, ex: Exchange, parts: list[str]) -> None:
        host = self._hosts[parts[2]]
        path = ex.path
        feed = self._feeds_by_path.get(path)
        if feed is not None:
            await self._feed(ex, feed)
        elif len(parts) == 6 and parts[4] in ("v2", "mirror", "loop"):
            origin = self._feeds_by_path.get("/".join((*parts[:4], parts[5])))
            if origin is None:
                await self._not_found(ex)
            elif parts[4] == "loop":
                await ex.respond(302, [("Location", self.base_url + "/".join((*parts[:4], parts[5])))], b"")
            else:
                await self._feed(ex, origin, clean=True)
        elif len(parts) == 5 and parts[3] in ("articles", "wire") and parts[4].endswith(".html"):
            await self._article(ex, parts)
        elif len(parts) == 5 and parts[3] == "img":
            await ex.respond(200, [("Content-Type", "image/gif"), ("Cache-Control", "max-age=86400")], GIF)
        elif (len(parts) == 4 and parts[3] == "") or (len(parts) == 5 and parts[4] == "" and parts[3] in host.sections):
            await self._cached(
                ex,
                layouts.homepage(self.web, host, self.base_url),
                "text/html; charset=utf-8",
                f'"home-{self.config.seed}-{host.index}"',
                self.config.epoch,
            )
        else:
            await self._not_found(ex)

    async def _article(self, ex: Exchange, parts: list[str]) -> None:
        stem = parts[4].removesuffix(".html")
        number = stem.rpartition("-")[2]
        article = self.web.articles[int(number)] if number.isdigit() and int(number) < len(self.web.articles) else None
        if article is None or self.web.article_path(article) != ex.path:
            await self._not_found(ex)
            return
        await self._cached(
            ex,
            None,
            "text/html; charset=utf-8",
            f'"a-{self.config.seed}-{article.id}"',
            article.published or self.config.epoch,
            lambda: layouts.page(self.web, article, self.base_url),
        )

    async def _feed(self, ex: Exchange, feed: Feed, clean: bool = False) -> None:
        fault = None if clean else feed.fault
        if fault:
            self.stats.fault_hits[fault] = self.stats.fault_hits.get(fault, 0) + 1
        if fault in faults.TRANSPORT:

            async def render() -> tuple[bytes, str]:
                return gzip.decompress(self._feed_body(feed)[1]), formats.CONTENT_TYPES[feed.format]

            await faults.serve(
                fault,
                ex,
                self.web.feed_path(feed),
                render,
                self.config.trickle_interval,
                self.config.huge_mb,
                self.config.bomb_mb,
            )
            return
        etag = f'"f-{self.config.seed}-{feed.index}-{feed.version}"'
        if fault == "html_page":
            body = layouts.homepage(self.web, self.web.hosts[feed.host], self.base_url, moved=feed)
            await self._cached(ex, body, "text/html; charset=utf-8", etag, feed.last_modified)
            return
        if not_modified(ex.headers, etag, feed.last_modified):
            await ex.respond(
                304, self._validators(etag, feed.last_modified, self.config.max_age, weak=wants_gzip(ex.headers)), b""
            )
            return
        _, gz, ctype = self._feed_body(feed)
        use_gz = wants_gzip(ex.headers)
        headers = [
            ("Content-Type", ctype),
            *self._validators(etag, feed.last_modified, self.config.max_age, weak=use_gz),
        ]
        if use_gz:
            headers.append(("Content-Encoding", "gzip"))
        await ex.respond(200, headers, gz if use_gz else gzip.decompress(gz))

    def _feed_body(self, feed: Feed) -> tuple[int, bytes, str]:
        """The feed's current version, gzipped (most clients take gzip; identity requests inflate it)."""
        entry = self._cache.get(feed.index)
        if entry is None or entry[0] != feed.version:
            raw, ctype = formats.render(self.web, feed, self.base_url)
            entry = (feed.version, gzip.compress(raw, compresslevel=6, mtime=0), ctype)
            self._cache[feed.index] = entry
            if len(self._cache) > FEED_CACHE_SIZE:
                self._cache.popitem(last=False)
        self._cache.move_to_end(feed.index)
        return entry

    @staticmethod
    def _validators(etag: str, last_modified: datetime, max_age: int, weak: bool = False) -> list[tuple[str, str]]:
        return [
            ("ETag", f"W/{etag}" if weak else etag),
            ("Last-Modified", _http_date(last_modified)),
            ("Cache-Control", f"public, max-age={max_age}"),
            ("Vary", "Accept-Encoding"),
        ]

    async def _cached(
        self, ex: Exchange, body: bytes | None, ctype: str, etag: str, last_modified: datetime, make: Any = None
    ) -> None:
        if not_modified(ex.headers, etag, last_modified):
            await ex.respond(304, self._validators(etag, last_modified, 3600, weak=wants_gzip(ex.headers)), b"")
            return
        data = body if body is not None else make()
        use_gz = wants_gzip(ex.headers)
        headers = [("Content-Type", ctype), *self._validators(etag, last_modified, 3600, weak=use_gz)]
        if use_gz:
            headers.append(("Content-Encoding", "gzip"))
            data = gzip.compress(data, compresslevel=5, mtime=0)
        await ex.respond(200, headers, data)

    def opml(self) -> bytes:
        out = [
            '<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head>'
            f"<title>Feed farm (seed {self.config.seed})</title></head><body>\n"
        ]
        for host in self.web.hosts:
            out.append(f"<outline text={quoteattr(host.name)} title={quoteattr(host.name)}>\n")
            for feed in (f for f in self.web.feeds if f.host == host.index):
                title = f"{host.name}: {feed.title_section}"
                kind = "atom" if feed.format == "atom" else "rss"
                out.append(
                    f'  <outline type="{kind}" text={quoteattr(title)} title={quoteattr(title)} '
                    f"xmlUrl={quoteattr(self.base_url + self.web.feed_path(feed))} "
                    f"htmlUrl={quoteattr(f'{self.base_url}/h/{host.slug}/')}/>\n"
                )
            out.append("</outline>\n")
        out.append("</body></opml>\n")
        return "".join(out).encode()


class RunningFarm:
    """A farm served from a background thread; what `running_farm()` yields."""

    def __init__(self, farm: FarmServer, loop: asyncio.AbstractEventLoop) -> None:
        self._farm, self._loop = farm, loop
        self.base_url = farm.base_url
        self.config = farm.config
        self.opml_url = self.base_url + "/opml"

    def _call(self, fn: Any, *args: Any) -> Any:
        async def run() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=120)

    @property
    def feed_urls(self) -> list[str]:
        return [self.base_url + self._farm.web.feed_path(f) for f in self._farm.web.feeds]

    @property
    def truth(self) -> dict[str, Any]:
        return self._call(truth.build, self._farm.web, self.base_url)

    def urls_with_fault(self, kind: str) -> list[str]:
        return [self.base_url + self._farm.web.feed_path(f) for f in self._farm.web.feeds if f.fault == kind]

    def stats(self) -> dict[str, Any]:
        return self._call(self._farm.stats.snapshot)

    def reset_stats(self) -> None:
        self._call(self._farm.stats.reset)

    def change_now(self) -> list[str]:
        """Run one change round now; returns the URLs of the feeds that changed."""
        changed = self._call(self._farm.change)
        return [self.base_url + self._farm.web.feed_path(f) for f in changed]


@contextmanager
def running_farm(
    feeds: int = 50, seed: int = 1, faulty: float = 0.0, latency_ms: int = 0, warm: bool = True, **options: Any
) -> Iterator[RunningFarm]:
    """Serve a farm on a free 127.0.0.1 port in a background thread for the duration of the block.

    Extra options are FarmConfig fields (items, faults, change_every, trickle_interval, huge_mb, ...).
    """
    config = FarmConfig(seed=seed, feeds=feeds, faulty=faulty, latency_ms=latency_ms, **options)
    farm = FarmServer(config)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="feedfarm", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(farm.start(0, warm), loop).result(timeout=60)
        yield RunningFarm(farm, loop)
    finally:
        with suppress(Exception):
            asyncio.run_coroutine_threadsafe(farm.stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
