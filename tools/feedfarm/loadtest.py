"""A small bounded load client for the farm (loopback only): how many requests per second it serves.

    python -m tools.feedfarm.loadtest --base http://127.0.0.1:8765 --requests 20000 --concurrency 64

Fetches the farm's healthy feed URLs round-robin (from /truth?part=feeds), half of them conditionally
(If-None-Match), with gzip; stops at --requests or --seconds, whichever comes first. `--client raw` uses
plain asyncio sockets (keep-alive HTTP/1.1) to show the server's ceiling when httpx itself is the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from urllib.parse import urlsplit

import httpx


def _loopback(base: str) -> bool:
    return urlsplit(base).hostname in ("127.0.0.1", "localhost", "::1")


async def _feed_paths(base: str) -> list[str]:
    """The healthy feeds' paths (faulty ones would measure the faults, not the farm)."""
    async with httpx.AsyncClient(timeout=30) as client:
        feeds = (await client.get(base + "/truth", params={"part": "feeds"})).json()["feeds"]
    return [urlsplit(f["url"]).path for f in feeds if f["fault"] is None]


async def run_httpx(base: str, paths: list[str], total: int, concurrency: int, seconds: float) -> tuple[int, int]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    done = errors = 0
    deadline = time.monotonic() + seconds
    etags: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=5) as client:

        async def worker(n: int) -> None:
            nonlocal done, errors
            i = n
            while done + errors < total and time.monotonic() < deadline:
                path = paths[i % len(paths)]
                i += concurrency
                headers = {"If-None-Match": etags[path]} if path in etags and i % 2 else {}
                try:
                    r = await client.get(path, headers=headers)
                    if "etag" in r.headers:
                        etags[path] = r.headers["etag"]
                    done += 1
                except httpx.HTTPError:
                    errors += 1

        async with asyncio.timeout(seconds + 15):
            await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return done, errors


async def run_raw(base: str, paths: list[str], total: int, concurrency: int, seconds: float) -> tuple[int, int]:
    parts = urlsplit(base)
    done = errors = 0
    deadline = time.monotonic() + seconds

    async def worker(n: int) -> None:
        nonlocal done, errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        i = n
        try:
            while done + errors < total and time.monotonic() < deadline:
                path = paths[i % len(paths)]
                i += concurrency
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept-Encoding: gzip\r\n\r\n".encode())
                async with asyncio.timeout(10):
                    head = await reader.readuntil(b"\r\n\r\n")
                    match = re.search(rb"content-length: (\d+)", head, re.I)
                    if match is None:
                        errors += 1
                        return
                    await reader.readexactly(int(match.group(1)))
                done += 1
        except (TimeoutError, OSError, asyncio.IncompleteReadError):
            errors += 1
        finally:
            writer.close()

    async with asyncio.timeout(seconds + 15):
        await asyncio.gather(*(worker(n) for n in range(concurrency)), return_exceptions=True)
    return done, errors


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.feedfarm.loadtest")
    p.add_argument("--base", default="http://127.0.0.1:8765")
    p.add_argument("--requests", type=int, default=20000)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--client", choices=("httpx", "raw"), default="httpx")
    args = p.parse_args(argv)
    if not _loopback(args.base):
        print("loadtest: only loopback farms may be loaded", file=sys.stderr)
        return 2
    paths = asyncio.run(_feed_paths(args.base))
    runner = run_httpx if args.client == "httpx" else run_raw
    start = time.monotonic()
    done, errors = asyncio.run(runner(args.base, paths, args.requests, args.concurrency, args.seconds))
    elapsed = time.monotonic() - start
    print(f"RESULT client={args.client} requests={done} errors={errors} seconds={elapsed:.2f} rps={done / elapsed:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
