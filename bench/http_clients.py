"""HTTP client throughput on the feed farm: httpx default transport vs httpx over aiohttp vs raw aiohttp.

Claim checked (issue 5 §2/§6 groundwork): the ingest engine's revalidation pass is bounded by its HTTP client,
not by the farm. httpx's own transport (httpcore) tops out at a few hundred requests per second here; the
`httpx-aiohttp` transport keeps the httpx API on top of aiohttp's HTTP/1.1 implementation. Same requests,
same concurrency (32 in flight, one asyncio.Semaphore; the pool is sized to match), same loop, same process:

- `304`: conditional GETs (If-None-Match with the ETag from a first pass) for every feed, all answered 304;
- `200`: full GETs with Accept-Encoding gzip, body read raw (not decompressed: the engine decompresses itself).

Rows: (a) httpx.AsyncClient, default transport; (b) httpx.AsyncClient(transport=AiohttpTransport(...));
(c) raw aiohttp.ClientSession; (e, with --clients) an httpx.Request handed straight to the aiohttp transport, no
AsyncClient (what the client layer costs); (d) tidings' AsyncFetcher (whatever transport it uses now, SSRF guard,
per-host limit 2 keyed by the farm's virtual host, caps and decoder included).

The farm runs in its own process (`python -m tools.feedfarm`). Each measurement is one pass over the feeds;
every client gets a warm-up pass first and the best of `--repeat` passes is reported.

`--engine` adds the in-process engine: `refresh_sources()` over one Source per farm feed in a fresh SQLite
database (child process, real settings from the environment: TIDINGS_FETCH_HOST_KEY_PATH_SEGMENTS=2 because
the farm's virtual hosts are path prefixes, full text off as with reader), timing a first pass and a
revalidation pass (all 304) of `refresh_sources()` itself (migrations and Source rows not timed).

Usage: bench/http_clients.py [--quick] [--feeds N] [--repeat R] [--concurrency C] [--engine] [--no-clients]
Last line: RESULT httpx_req_per_s=… aiohttp_transport_req_per_s=… ratio=…  (the 304 pass)
           [engine_first_s=… engine_revalidate_s=…]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import aiohttp  # noqa: E402
import httpx  # noqa: E402
import httpx_aiohttp  # noqa: E402
from bench.ingest import Farm  # noqa: E402

PYTHON = sys.executable
HEADERS = {"User-Agent": "tidings-bench", "Accept": "*/*", "Accept-Encoding": "gzip, deflate"}
Fetch = Callable[[str, dict[str, str]], Awaitable[tuple[int, str]]]  # (status, etag)


async def run_pass(fetch: Fetch, urls: list[str], etags: dict[str, str] | None, concurrency: int) -> tuple[float, dict]:
    """One pass over `urls` with at most `concurrency` in flight; returns seconds and a status count."""
    gate = asyncio.Semaphore(concurrency)
    statuses: dict[int, int] = {}

    async def one(url: str) -> None:
        headers = dict(HEADERS)
        if etags is not None and etags.get(url):
            headers["If-None-Match"] = etags[url]
        async with gate:
            status, etag = await fetch(url, headers)
        statuses[status] = statuses.get(status, 0) + 1
        if etags is not None and etags.get(url) is None:
            etags[url] = etag

    started = time.perf_counter()
    await asyncio.gather(*(one(u) for u in urls))
    return time.perf_counter() - started, statuses


def httpx_fetch(client: httpx.AsyncClient) -> Fetch:
    async def fetch(url: str, headers: dict[str, str]) -> tuple[int, str]:
        async with client.stream("GET", url, headers=headers) as response:
            async for _chunk in response.aiter_raw():
                pass
            return response.status_code, response.headers.get("etag", "")

    return fetch


def transport_fetch(transport: httpx.AsyncBaseTransport) -> Fetch:
    """httpx.Request straight into the transport: what httpx.AsyncClient itself costs on top."""
    timeout = httpx.Timeout(20.0, connect=10.0).as_dict()

    async def fetch(url: str, headers: dict[str, str]) -> tuple[int, str]:
        request = httpx.Request("GET", url, headers=headers, extensions={"timeout": timeout})
        response = await transport.handle_async_request(request)
        try:
            async for _chunk in response.aiter_raw():
                pass
        finally:
            await response.aclose()
        return response.status_code, response.headers.get("etag", "")

    return fetch


def aiohttp_fetch(session: aiohttp.ClientSession) -> Fetch:
    async def fetch(url: str, headers: dict[str, str]) -> tuple[int, str]:
        async with session.get(url, headers=headers, allow_redirects=False) as response:
            async for _chunk in response.content.iter_chunked(64 * 1024):
                pass
            return response.status, response.headers.get("etag", "")

    return fetch


def fetcher_fetch(fetcher: object) -> Fetch:
    async def fetch(url: str, headers: dict[str, str]) -> tuple[int, str]:
        response = await fetcher.get(url, etag=headers.get("If-None-Match", ""))  # type: ignore[attr-defined]
        return response.status_code, response.headers.get("etag", "")

    return fetch


async def measure(client_name: str, urls: list[str], concurrency: int, repeat: int) -> dict[str, object]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    timeout = httpx.Timeout(20.0, connect=10.0)
    if client_name == "a_httpx_default":
        ctx = httpx.AsyncClient(follow_redirects=False, trust_env=False, limits=limits, timeout=timeout)
        make = httpx_fetch
    elif client_name == "b_httpx_aiohttp_transport":
        transport = httpx_aiohttp.AiohttpTransport(limits=limits, trust_env=False)
        ctx = httpx.AsyncClient(
            transport=transport, follow_redirects=False, trust_env=False, limits=limits, timeout=timeout
        )
        make = httpx_fetch
    elif client_name == "e_httpx_request_on_aiohttp_transport":
        ctx = httpx_aiohttp.AiohttpTransport(limits=limits, trust_env=False)
        make = transport_fetch
    elif client_name == "c_raw_aiohttp":
        connector = aiohttp.TCPConnector(limit=concurrency)
        ctx = aiohttp.ClientSession(connector=connector, auto_decompress=False, timeout=aiohttp.ClientTimeout(20))
        make = aiohttp_fetch
    else:
        from tidings.lib.http_async import AsyncFetcher, FetchLimits

        ctx = AsyncFetcher(
            FetchLimits(concurrency=concurrency, per_host=2, allow_networks=("127.0.0.0/8",), host_key_path_segments=2)
        )
        make = fetcher_fetch
    async with ctx as client:
        fetch = make(client)
        etags: dict[str, str] = {}
        await run_pass(fetch, urls, etags, concurrency)  # warm-up: connections, ETags
        best_200 = min([await run_pass(fetch, urls, None, concurrency) for _ in range(repeat)], key=lambda r: r[0])
        best_304 = min([await run_pass(fetch, urls, etags, concurrency) for _ in range(repeat)], key=lambda r: r[0])
    return {
        "client": client_name,
        "requests": len(urls),
        "s_200": best_200[0],
        "req_s_200": len(urls) / best_200[0],
        "statuses_200": best_200[1],
        "s_304": best_304[0],
        "req_s_304": len(urls) / best_304[0],
        "statuses_304": best_304[1],
    }


def engine_child(farm_base: str, feeds: int) -> None:
    """In a child process with TIDINGS_* set by `engine()`: time refresh_sources() twice; print JSON."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    django.setup()
    from django.core.management import call_command

    from tidings.ingest.refresh import refresh_sources
    from tidings.sources.models import Source

    call_command("migrate", "--no-input", verbosity=0)
    with urlopen(farm_base + "/opml", timeout=120) as response:
        urls = re.findall(r'xmlUrl="([^"]+)"', response.read().decode())[:feeds]
    ids = [Source.objects.create(url=url, name=f"farm feed {n}").pk for n, url in enumerate(urls)]
    result: dict[str, object] = {"sources": len(ids)}
    for name in ("first", "revalidate"):
        started = time.perf_counter()
        outcomes = refresh_sources(ids)
        result[f"{name}_s"] = time.perf_counter() - started
        statuses: dict[str, int] = {}
        for outcome in outcomes:
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        result[f"{name}_outcomes"] = statuses
    print(json.dumps(result))


def engine(farm: Farm, feeds: int, work: Path) -> dict[str, object]:
    import os

    env = {
        **os.environ,
        "TIDINGS_DATABASE_URL": f"sqlite:///{work / 'engine.sqlite3'}",
        "TIDINGS_VAR_DIR": str(work / "var"),
        "TIDINGS_FETCH_ALLOW_NETWORKS": "127.0.0.1/32",
        "TIDINGS_FETCH_HOST_KEY_PATH_SEGMENTS": "2",
        "TIDINGS_FETCH_FULL_TEXT": "0",
        "DJANGO_SETTINGS_MODULE": "tidings.settings",
    }
    cmd = [PYTHON, str(Path(__file__).resolve()), "--engine-child", farm.base, "--feeds", str(feeds)]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"the engine run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 feeds, best of 2 passes")
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, help="passes per measurement (default 3, or 2 with --quick)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--clients", default="a_httpx_default,b_httpx_aiohttp_transport,c_raw_aiohttp,d_tidings_fetcher"
    )
    parser.add_argument("--engine", action="store_true", help="also time refresh_sources() on the farm")
    parser.add_argument("--no-clients", action="store_true", help="skip the client table (with --engine)")
    parser.add_argument("--engine-child", metavar="FARM_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_child:
        engine_child(args.engine_child, args.feeds)
        return 0
    repeat = args.repeat or (2 if args.quick else 3)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-http-") as work:
        farm = Farm(args.feeds, Path(work) / "farm.log")
        try:
            urls = farm.feed_urls()[: args.feeds]
            for name in [] if args.no_clients else args.clients.split(","):
                rows.append(asyncio.run(measure(name, urls, args.concurrency, repeat)))
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
            engine_row = engine(farm, args.feeds, Path(work)) if args.engine else None
        finally:
            farm.stop()
    print(f"{len(urls)} feeds, concurrency {args.concurrency}, best of {repeat} passes after a warm-up")
    print(
        f"{'client':36} {'200 s':>7} {'200 req/s':>10} {'304 s':>7} {'304 req/s':>10}  statuses (200 pass / 304 pass)"
    )
    for row in rows:
        print(
            f"{row['client']:36} {row['s_200']:7.2f} {row['req_s_200']:10.0f} {row['s_304']:7.2f} "
            f"{row['req_s_304']:10.0f}  {row['statuses_200']} / {row['statuses_304']}"
        )
    by_name = {row["client"]: row for row in rows}
    a = by_name.get("a_httpx_default", {}).get("req_s_304", 0.0)
    b = by_name.get("b_httpx_aiohttp_transport", {}).get("req_s_304", 0.0)
    ratio = b / a if a else 0.0
    tail = ""
    if engine_row is not None:
        print(
            f"engine refresh_sources() on {engine_row['sources']} sources: first pass {engine_row['first_s']:.2f} s "
            f"{engine_row['first_outcomes']}, revalidation {engine_row['revalidate_s']:.2f} s "
            f"{engine_row['revalidate_outcomes']}"
        )
        tail = f" engine_first_s={engine_row['first_s']:.2f} engine_revalidate_s={engine_row['revalidate_s']:.2f}"
    print(f"RESULT httpx_req_per_s={a:.0f} aiohttp_transport_req_per_s={b:.0f} ratio={ratio:.2f}{tail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
