"""The scale-out shape's processes on one machine: their environment, commands, start and stop.

One place for what scripts/scale-stack (`make run-scale`), bench/worker_scale.py, bench/web_load.py's scale-out
shape and the scale-out tests (tests/ops) start: the web server (gunicorn or granian: settings.WSGI_SERVER), RQ
workers (and the scheduler) against PostgreSQL (TIDINGS_DATABASE_URL, e.g. from scripts/with-postgres) and Redis
(the queue on db 0, the cache on db 1), a throwaway redis-server when wanted. Imports no Django at the top (only
configured_wsgi_server reads the settings): the caller's process need not be a Django one.

`python -m tidings.ops.stack` runs the whole shape until Ctrl-C (scripts/scale-stack calls it).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

SRC = Path(__file__).resolve().parents[2]  # the folder that holds the tidings package
JOB_CLASS = "django_tasks_rq.Job"
DEFAULT_QUEUE = "default"
LOW_QUEUE = "low"
WORKER_QUEUES = (DEFAULT_QUEUE, LOW_QUEUE)  # in the order workers take from them
START_SECONDS = 120.0
STOP_SECONDS = 30.0
WSGI_SERVERS = ("gunicorn", "granian")  # settings.WSGI_SERVER (TIDINGS_WSGI_SERVER) names one


def cache_url(redis_url: str) -> str:
    """The cache's Redis URL beside the queue's: the same server, database 1."""
    return redis_url.rsplit("/", 1)[0] + "/1"


def app_env(
    base: Mapping[str, str],
    *,
    var_dir: Path,
    redis_url: str,
    database_url: str | None = None,
    metrics_dir: Path | None = None,
    settings_module: str = "tidings.settings",
    pythonpath: Sequence[Path] = (),
) -> dict[str, str]:
    """The environment every process of the shape shares: `base` with the RQ task backend on `redis_url`, the
    cache on its database 1 (unless `base` names another), and the database `database_url` (else base's)."""
    env = dict(base)
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module,
        PYTHONPATH=os.pathsep.join(str(p) for p in (SRC, *pythonpath)),
        TIDINGS_VAR_DIR=str(var_dir),
        TIDINGS_TASK_BACKEND="rq",
        TIDINGS_REDIS_URL=redis_url,
    )
    env.setdefault("TIDINGS_CACHE_URL", cache_url(redis_url))
    if database_url is not None:
        env["TIDINGS_DATABASE_URL"] = database_url
    if metrics_dir is not None:
        metrics_dir.mkdir(parents=True, exist_ok=True)
        env["TIDINGS_METRICS_DIR"] = str(metrics_dir)
    return env


def tidings_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tidings.cli", *args]


def gunicorn_command(bind: str, *, workers: int = 2, threads: int = 4) -> list[str]:
    """gunicorn serving Tidings as deployed (deploy/systemd/tidings-web.service), and as `tidings serve` runs it."""
    return [
        sys.executable, "-m", "gunicorn", "tidings.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--graceful-timeout", "10",
        "--timeout", "120",
        "--no-control-socket",
    ]  # fmt: skip


def granian_command(host: str, port: int, *, workers: int = 2, threads: int = 4) -> list[str]:
    """granian (a Rust HTTP server) on its WSGI interface: `workers` processes, each running the application on
    `threads` blocking threads, HTTP/1 only (nginx speaks it to the upstream). A worker that dies is replaced
    (--respawn-failed-workers, as gunicorn's arbiter does; granian's own default is to stop). granian has no
    counterpart of gunicorn's --timeout (the arbiter kills a worker whose main loop stops reporting for 120 s)."""
    return [
        sys.executable, "-m", "granian", "tidings.wsgi:application",
        "--interface", "wsgi",
        "--host", host,
        "--port", str(port),
        "--workers", str(workers),
        "--blocking-threads", str(threads),
        "--runtime-threads", "1",
        "--http", "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--respawn-interval", "0.5",
        "--workers-kill-timeout", "10",
    ]  # fmt: skip


def web_command(host: str, port: int, *, server: str, workers: int = 2, threads: int = 4) -> list[str]:
    """The web server `server` (one of WSGI_SERVERS, settings.WSGI_SERVER) on host:port."""
    if server == "gunicorn":
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        return gunicorn_command(bind, workers=workers, threads=threads)
    if server == "granian":
        return granian_command(host, port, workers=workers, threads=threads)
    raise ValueError(f"unknown WSGI server {server!r} (one of {', '.join(WSGI_SERVERS)})")


def worker_command(
    *queues: str, scheduler: bool = True, burst: bool = False, worker_class: str | None = None
) -> list[str]:
    """`tidings rqworker` as deployed (deploy/systemd/tidings-worker@.service): settings.RQ's worker class
    (ops.rq_backend.MaintainedWorker: models loaded once, a work horse forked per job) unless `worker_class`."""
    command = tidings_command("rqworker", "--job-class", JOB_CLASS)
    if worker_class:
        command += ["--worker-class", worker_class]
    if scheduler:
        command.append("--with-scheduler")
    if burst:
        command.append("--burst")
    return [*command, *(queues or WORKER_QUEUES)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes] | None = None, seconds: float = START_SECONDS) -> None:
    """Until something listens on 127.0.0.1:port; RuntimeError if `process` exits first or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process {process.pid} exited (code {process.returncode}) before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {seconds:.0f} s")


def stop_process(process: subprocess.Popen[bytes], *, group: bool = True) -> None:
    """SIGTERM (to its process group: a worker and its work horse), then SIGKILL after STOP_SECONDS."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM) if group else process.terminate()
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL) if group else process.kill()
        process.wait(timeout=10)


class Processes:
    """Processes started in their own process groups, all stopped by stop() (or leaving the `with`)."""

    def __init__(self, env: Mapping[str, str], *, cwd: Path | None = None, log: IO[bytes] | None = None) -> None:
        self.env = dict(env)
        self.cwd = cwd
        self.log = log
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, command: Sequence[str], **options: object) -> subprocess.Popen[bytes]:
        output = self.log if self.log is not None else None
        kwargs: dict[str, object] = {"stdin": subprocess.DEVNULL, "stdout": output, "stderr": output}
        kwargs.update(options)
        process = subprocess.Popen(list(command), env=self.env, cwd=self.cwd, process_group=0, **kwargs)  # type: ignore[call-overload]  # noqa: S603
        self.started.append(process)
        return process  # type: ignore[no-any-return]

    def run(self, command: Sequence[str]) -> None:
        """A one-off command (migrate, load_taxonomy ...) to its end; CalledProcessError if it fails."""
        subprocess.run(list(command), env=self.env, cwd=self.cwd, stdout=self.log, stderr=self.log, check=True)  # noqa: S603

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)  # all at once, then wait for each
        for process in self.started:
            stop_process(process)

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class RedisServer:
    """A throwaway redis-server on a loopback port and its own folder, with the deployed persistence (append-only
    file, fsync each second: deploy/redis/tidings.conf); stop() and start() again keep port and folder, as a
    restart does. `binary()` is None where redis-server is not installed."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        binary = self.binary()
        if binary is None:
            raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
        self._binary = binary
        self.folder = folder
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def binary() -> str | None:
        return os.environ.get("REDIS_SERVER") or shutil.which("redis-server")

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        args = [self._binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
                "--save", "", "--appendonly", "yes", "--appendfsync", "everysec"]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL)  # noqa: S603
        wait_for_port(self.port, self.process, seconds=30)
        return self

    def stop(self) -> None:
        """SIGTERM, as `systemctl restart redis` sends: Redis writes its append-only file and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[RedisServer]:
    server = RedisServer(folder).start()
    try:
        yield server
    finally:
        server.stop()


def prepare_database(processes: Processes, *, starter_sources: bool = True, demo: bool = False) -> None:
    """What a new deployment runs before it serves: migrate, the taxonomy, the starter sources (optional), the demo
    articles (optional), the static files."""
    processes.run(tidings_command("migrate", "--no-input", "-v", "0"))
    processes.run(tidings_command("load_taxonomy"))
    if starter_sources:
        processes.run(tidings_command("add_starter_sources"))
    if demo:
        processes.run(tidings_command("load_demo"))
    processes.run(tidings_command("collectstatic", "--no-input", "-v", "0"))


def start_shape(processes: Processes, port: int, *, server: str, web_workers: int = 2, task_workers: int = 2) -> None:
    """The web server `server` (web_workers processes x 4 threads) on 127.0.0.1:port, task_workers RQ workers
    (each with RQ's scheduler for delayed jobs) and Tidings' periodic scheduler."""
    processes.start(web_command("127.0.0.1", port, server=server, workers=web_workers))
    for _ in range(task_workers):
        processes.start(worker_command())
    processes.start(tidings_command("scheduler"))


def configured_wsgi_server(env: Mapping[str, str]) -> str:
    """settings.WSGI_SERVER as the shape's processes (environment `env`) see it, read in this process: the
    settings module is imported with `env` (os.environ is updated), as when this process is about to start them."""
    os.environ.update(env)
    from django.conf import settings  # not at the top: the module's other callers need no Django

    return str(settings.WSGI_SERVER)


def _serve(args: argparse.Namespace) -> int:
    for name in ("TIDINGS_DATABASE_URL", "TIDINGS_REDIS_URL"):
        if not os.environ.get(name):
            wrapper = "scripts/with-postgres" if "DATABASE" in name else "scripts/with-redis"
            print(f"scale-stack: set {name} (run it inside {wrapper})", file=sys.stderr)
            return 2
    var = Path(tempfile.mkdtemp(prefix="tidings-scale."))
    env = app_env(os.environ, var_dir=var, redis_url=os.environ["TIDINGS_REDIS_URL"], metrics_dir=var / "metrics")
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    from django.core.exceptions import ImproperlyConfigured

    try:
        server = configured_wsgi_server(env)
    except ImproperlyConfigured as err:  # a TIDINGS_* value the settings refuse
        print(f"scale-stack: {err}", file=sys.stderr)
        shutil.rmtree(var, ignore_errors=True)
        return 2
    processes = Processes(env)
    try:
        prepare_database(processes, demo=args.demo)
        start_shape(processes, args.port, server=server, web_workers=args.web_workers, task_workers=args.task_workers)
        wait_for_port(args.port, processes.started[0])
        print(
            f"Tidings (scale-out: {server} with {args.web_workers} web processes, {args.task_workers} RQ workers, a "
            f"scheduler) is running at http://127.0.0.1:{args.port} — Ctrl-C to stop",
            flush=True,
        )
        while not stopping:
            ended = [p for p in processes.started if p.poll() is not None]
            if ended:
                print(
                    f"scale-stack: a process ended (exit code {ended[0].returncode}); stopping the others",
                    file=sys.stderr,
                )
                return ended[0].returncode or 1
            time.sleep(0.5)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        print("scale-stack: stopping", file=sys.stderr)
        processes.stop()
        shutil.rmtree(var, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tidings.ops.stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--task-workers", type=int, default=2)
    parser.add_argument("--demo", action="store_true", help="load the demo articles too")
    return _serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
