"""`tidings serve`: the web server (settings.WSGI_SERVER: gunicorn or granian) and one task worker as child processes,
plus periodic tasks.

Periodic: a refresh of due sources every --refresh-every seconds, and the purge of interactions past their
retention period (TIDINGS_INTERACTION_RETENTION_DAYS) every PURGE_EVERY_SECONDS, each queued once per period
however many `tidings serve` or `tidings scheduler` processes run (ops.periodic).
"""

from __future__ import annotations

import ctypes
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.ops import periodic, queue, stack

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 15.0
STARTUP_WAIT_SECONDS = 60.0
PURGE_EVERY_SECONDS = 3600.0
_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    label: str  # "web server", "task worker": used in messages for people
    process: subprocess.Popen[bytes]


class Command(BaseCommand):
    help = "Serve Tidings: the web server and a task worker, with a periodic refresh of due sources. Ctrl-C stops."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default %(default)s)")
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
        parser.add_argument("--workers", type=int, default=1, help="web server processes (default %(default)s)")
        parser.add_argument("--threads", type=int, default=4, help="threads per web process (default %(default)s)")
        parser.add_argument(
            "--refresh-every",
            type=float,
            default=60.0,
            help="seconds between queueing refreshes of due sources; 0 turns it off (default %(default)s)",
        )
        parser.add_argument("--no-collectstatic", action="store_true", help="skip `collectstatic` at start")

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        _check_options(port, options["workers"], options["threads"], options["refresh_every"])
        _check_port_free(host, port)
        if not options["no_collectstatic"]:
            try:
                call_command("collectstatic", interactive=False, verbosity=0)
            except (OSError, CommandError) as err:
                raise CommandError(f"collecting static files into {settings.STATIC_ROOT} failed: {err}") from None

        stop = threading.Event()
        stop_reason: list[str] = []

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop_reason.append(signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        children: list[Child] = []
        try:
            web = _web_command(host, port, options["workers"], options["threads"])
            children.append(Child("web server", _spawn(web)))
            worker_command = _worker_command()
            if worker_command:
                children.append(Child("task worker", _spawn(worker_command)))
            pids = ", ".join(f"{child.label} pid {child.process.pid}" for child in children)
            self.stdout.write(f"Started {pids}.")
            self.stdout.flush()
            failure = self._supervise(children, stop, host, port, options["refresh_every"])
        finally:
            _stop_children(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failure:
            raise CommandError(failure)
        self.stdout.write(f"Tidings stopped ({', '.join(stop_reason) or 'stop requested'}).")

    def _supervise(
        self, children: list[Child], stop: threading.Event, host: str, port: int, refresh_every: float
    ) -> str:
        """Watch the children until a stop is requested (returns "") or one of them dies (returns why)."""
        announced = False
        started = time.monotonic()
        jobs = periodic.default_jobs(refresh_every, PURGE_EVERY_SECONDS)
        next_periodic = time.monotonic()
        while not stop.is_set():
            for child in children:
                code = child.process.poll()
                if code is not None:
                    others = [c.label for c in children if c is not child]
                    tail = f"; stopping the {' and '.join(others)}" if others else ""
                    return f"The {child.label} stopped unexpectedly (exit code {code}){tail}. See the messages above."
            if not announced and _port_answers(host, port):
                announced = True
                self.stdout.write(f"Tidings is running at http://{_display_host(host)}:{port} — Ctrl-C to stop")
                self.stdout.flush()
            elif not announced and time.monotonic() - started > STARTUP_WAIT_SECONDS:
                return f"The web server did not start listening on {host}:{port} within {STARTUP_WAIT_SECONDS:.0f} s."
            if time.monotonic() >= next_periodic:
                next_periodic = time.monotonic() + periodic.run_due(jobs)
            stop.wait(0.5)
        return ""


def _check_options(port: int, workers: int, threads: int, refresh_every: float) -> None:
    if not 1 <= port <= 65535:
        raise CommandError(f"--port {port} is not a port number (1-65535)")
    if workers < 1 or threads < 1:
        raise CommandError("--workers and --threads must be at least 1")
    if refresh_every < 0:
        raise CommandError("--refresh-every must be 0 (off) or a number of seconds")


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            raise CommandError(
                f"cannot listen on {host}:{port} ({err.strerror}); is Tidings already running? "
                "Choose another port with --port (or PORT=... make run)."
            ) from None


def _port_answers(host: str, port: int) -> bool:
    target = "127.0.0.1" if host in {"0.0.0.0", ""} else ("::1" if host == "::" else host)  # noqa: S104
    try:
        with socket.create_connection((target, port), timeout=0.5):
            return True
    except OSError:
        return False


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _web_command(host: str, port: int, workers: int, threads: int) -> list[str]:
    return stack.web_command(host, port, server=settings.WSGI_SERVER, workers=workers, threads=threads)


def _worker_command() -> list[str]:
    """The task worker for the configured backend; none when tasks run immediately."""
    kind = queue.backend_kind()
    if kind == "db":
        return stack.tidings_command("db_worker")
    if kind == "rq":
        return stack.worker_command()
    return []


def _spawn(command: list[str]) -> subprocess.Popen[bytes]:
    # Own process group: Ctrl-C reaches only this supervisor, which then stops each child once, cleanly.
    preexec = _terminate_with_parent if sys.platform == "linux" else None
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, process_group=0, preexec_fn=preexec)  # noqa: S603


def _terminate_with_parent() -> None:
    """In the child, before exec: get SIGTERM if the supervisor dies without stopping us (Linux prctl)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_children(children: list[Child]) -> None:
    for child in children:
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            logger.warning("child_killed child=%s pid=%s", child.label, child.process.pid)
            child.process.kill()
            child.process.wait()
