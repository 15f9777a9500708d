"""`python -m tools.feedfarm --feeds 1000 --port 8765 [--faulty 0.05] [--latency-ms 100] ...`"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import resource
import signal
import sys
import time
from pathlib import Path

from . import faults, truth
from .server import FarmServer
from .web import FarmConfig


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m tools.feedfarm", description="Serve the simulated news web.")
    p.add_argument("--feeds", type=int, default=1000, help="number of feeds (hosts = feeds / 5)")
    p.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 = any free port)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--items", type=int, default=30, help="items per feed")
    p.add_argument("--faulty", type=float, default=0.0, help="fraction of feeds with a fault (0..1)")
    p.add_argument("--faults", default="", help="comma-separated fault kinds to use (default: all)")
    p.add_argument("--latency-ms", type=int, default=0, help="delay before every response")
    p.add_argument("--change-every", type=float, default=0.0, help="seconds between change rounds (0 = never)")
    p.add_argument("--max-age", type=int, default=300, help="Cache-Control max-age of feeds")
    p.add_argument("--trickle-interval", type=float, default=1.0, help="seconds between slow-body chunks")
    p.add_argument("--dump-truth", type=Path, help="write the truth JSON to this file")
    p.add_argument("--dump-only", action="store_true", help="write --dump-truth and exit without serving")
    p.add_argument("--no-warm", action="store_true", help="do not pre-render feeds before serving")
    return p.parse_args(argv)


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(args: argparse.Namespace) -> int:
    kinds = tuple(k for k in args.faults.split(",") if k)
    unknown = [k for k in kinds if k not in faults.BY_NAME]
    if unknown:
        print(
            f"feedfarm: unknown fault kind(s) {', '.join(unknown)}; known: {', '.join(faults.BY_NAME)}", file=sys.stderr
        )
        return 2
    if not 0 <= args.faulty <= 1 or args.feeds < 1:
        print("feedfarm: --faulty must be within 0..1 and --feeds at least 1", file=sys.stderr)
        return 2
    config = FarmConfig(
        seed=args.seed,
        feeds=args.feeds,
        items=args.items,
        faulty=args.faulty,
        faults=kinds,
        latency_ms=args.latency_ms,
        change_every=args.change_every,
        max_age=args.max_age,
        trickle_interval=args.trickle_interval,
    )
    started = time.monotonic()
    farm = FarmServer(config)
    try:
        base = await farm.start(args.port, warm=not args.no_warm and not args.dump_only)
    except OSError as exc:
        print(f"feedfarm: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    if args.dump_truth:
        with args.dump_truth.open("w", encoding="utf-8") as out:
            for chunk in truth.iter_json(farm.web, base):
                out.write(chunk)
        print(f"feedfarm: truth written to {args.dump_truth}", file=sys.stderr)
        if args.dump_only:
            await farm.stop()
            return 0
    print(
        f"feedfarm: {len(farm.web.feeds)} feeds on {len(farm.web.hosts)} hosts, "
        f"{len(farm.web.articles)} articles, ready in {time.monotonic() - started:.1f}s, rss {_rss_mb():.0f} MB; "
        f"serving {base} (OPML {base}/opml, truth {base}/truth, stats {base}/stats)",
        file=sys.stderr,
        flush=True,
    )
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await farm.stop()
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(asyncio.run(main(parse_args())))
