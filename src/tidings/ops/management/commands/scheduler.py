"""`tidings scheduler`: queue the periodic work (refresh of due sources, retention purge), once per period across
every scheduler and `tidings serve` that share the database. Run one per node, or a few: they agree through
the database (ops.periodic). Ctrl-C or SIGTERM stops it."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.ops import periodic

logger = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600.0


class Command(BaseCommand):
    help = "Queue periodic work (refresh of due sources, retention purge) once per period across all nodes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refresh-every",
            type=float,
            default=60.0,
            help="seconds between refreshes of due sources; 0 turns it off (default %(default)s)",
        )
        parser.add_argument("--once", action="store_true", help="claim and queue what is due now, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        refresh_every: float = options["refresh_every"]
        if refresh_every < 0:
            raise CommandError("--refresh-every must be 0 (off) or a number of seconds")
        jobs = periodic.default_jobs(refresh_every, PURGE_EVERY_SECONDS)
        if options["once"]:
            periodic.run_due(jobs)
            return
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        logger.info("scheduler_started jobs=%s holder=%s", ",".join(j.name for j in jobs), periodic.holder_name())
        try:
            while not stop.is_set():
                stop.wait(periodic.run_due(jobs))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("scheduler_stopped")
