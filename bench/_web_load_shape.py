"""One deployment shape for bench/web_load.py: build its database, start its servers, load each route with wrk.

Runs in its own process; the scale-out shape inside scripts/with-postgres and scripts/with-redis (their URLs in
the environment). The database is built by a child process (`--setup`), the servers are the shape's own
commands with the bench's settings module (bench._web_settings: the project's settings plus `/bench-ok`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from tidings.ops import stack  # bench/web_load.py put src on the path

ROOT = Path(__file__).resolve().parent.parent

CONNECTIONS = 64
WRK_THREADS = 2
WRK_TIMEOUT_S = 10  # a request slower than this counts as a socket timeout (an error)
STORIES = 30
FOLLOWS = 50

Route = tuple[str, str, list[str] | None, str | None]  # name, path, paths to rotate through, cookie
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def build_database(size: int, out: Path) -> None:
    """(--setup, in its own process) Migrate, build the corpus and profiles, and write what the routes ask."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench._web_settings")
    import django

    django.setup()
    from bench._bulk_insert import analyze
    from bench._corpus import CorpusSpec, build_corpus
    from bench._django import busiest_top_category_id
    from bench._profiles import build_profiles
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from tidings.personalization.models import Follow
    from tidings.stories.models import Story
    from tidings.taxonomy.models import Category

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    stats = build_corpus(CorpusSpec(articles=size))
    groups = build_profiles(400, follow_counts=(10, FOLLOWS, 100, 200))
    if connection.vendor == "postgresql":
        analyze()  # as autovacuum would; SQLite is left as the application leaves it
    profile = groups[FOLLOWS][0]
    from importlib import import_module

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["profile_id"] = profile
    session.create()
    top = busiest_top_category_id()
    stories = Story.objects.filter(article_count__gte=2).order_by("-last_published_at")
    targets = {
        "vendor": connection.vendor,
        "articles": stats.articles,
        "build_s": round(stats.seconds, 1),
        "category": Category.objects.get(pk=top).slug,
        "stories": list(stories.values_list("pk", flat=True)[:STORIES]),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "follows": Follow.objects.filter(profile_id=profile, action="follow").count(),
        "wsgi_server": settings.WSGI_SERVER,  # the configured one (TIDINGS_WSGI_SERVER), as `tidings serve` reads it
    }
    out.write_text(json.dumps(targets))


def routes(targets: dict[str, Any]) -> list[Route]:
    """(name, path, paths to rotate through or None, cookie or None)."""
    story_paths = [f"/stories/{pk}/" for pk in targets["stories"]]
    return [
        ("bare view (ceiling)", "/bench-ok", None, None),
        ("home", "/", None, None),
        ("category page", f"/category/{targets['category']}/", None, None),
        ("story page", story_paths[0], story_paths, None),
        (f"My News ({targets['follows']} follows)", "/my/", None, targets["cookie"]),
        ("api articles", "/api/articles", None, None),
    ]


def server_commands(shape: str, ports: dict[str, int]) -> list[tuple[list[str], dict[str, str]]]:
    """The shape's processes (command, environment over the shape's), one web server per entry of `ports`
    (server: port). Embedded: `tidings serve` as a person runs it (1 process x 4 threads and a database task
    worker; its periodic refresh off; collectstatic was run by the setup) with TIDINGS_WSGI_SERVER=server.
    Scale-out: tidings.ops.stack's web server at 2 processes x 4 threads as scripts/scale-stack starts it, and the
    shape's 2 RQ workers (no scheduler: nothing is due in the bench)."""
    if shape == "embedded":
        serve = [sys.executable, "-m", "tidings.cli", "serve", "--refresh-every", "0", "--no-collectstatic"]
        return [([*serve, "--port", str(port)], {"TIDINGS_WSGI_SERVER": server}) for server, port in ports.items()]
    webs = [stack.web_command("127.0.0.1", port, server=server, workers=2, threads=4) for server, port in ports.items()]
    worker = stack.worker_command(scheduler=False)
    return [(command, {}) for command in [*webs, worker, worker]]


def shape_env(shape: str, var: Path) -> dict[str, str]:
    settings_module = "bench._web_settings"
    if shape == "embedded":
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = settings_module
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
        env["TIDINGS_VAR_DIR"] = str(var)
        for name in ("TIDINGS_DATABASE_URL", "TIDINGS_REDIS_URL", "TIDINGS_CACHE_URL", "TIDINGS_TASK_BACKEND"):
            env.pop(name, None)
        return env
    redis = os.environ["TIDINGS_REDIS_URL"]  # set by scripts/with-redis
    return stack.app_env(os.environ, var_dir=var, redis_url=redis, settings_module=settings_module, pythonpath=[ROOT])


def parse_wrk(text: str) -> dict[str, Any]:
    """requests/s, p50/p99 (ms), requests, non-2xx/3xx and socket errors from `wrk --latency` output."""

    def ms(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()  # type: ignore[union-attr]
        return float(number) * _UNIT_MS[unit]

    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.M))
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    done = re.search(r"^\s+(\d+) requests in", text, re.M)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if not rps or not done or "50" not in latency:
        raise ValueError(f"unexpected wrk output:\n{text}")
    requests = int(done.group(1))
    return {
        "rps": float(rps.group(1)),
        "requests": requests,
        "p50_ms": round(ms(latency["50"]), 2) if requests else None,  # None: not one request finished
        "p99_ms": round(ms(latency["99"]), 2) if requests else None,
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    }


def shown_ms(value: float | None) -> str:
    return "none done" if value is None else f"{value:8.1f}"


def _lua_rotation(paths: list[str], where: Path) -> Path:
    quoted = ", ".join(json.dumps(p) for p in paths)
    where.write_text(
        f"local paths = {{{quoted}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n"
    )
    return where


def _warm(base: str, path: str, cookie: str | None) -> int:
    """A few untimed requests (fill the page cache, start each process's lazy imports); the last status."""
    status = 0
    for _ in range(3):
        request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
    return status


def _drain(base: str, seconds: float = 120.0) -> float:
    """Wait until the server has worked off the requests wrk left queued (it stops without waiting for them):
    the bare view answering within 50 ms three times in a row. Returns the seconds waited."""
    began = time.monotonic()
    fast = 0
    while fast < 3 and time.monotonic() - began < seconds:
        asked = time.monotonic()
        with urllib.request.urlopen(base + "/bench-ok", timeout=seconds) as response:
            response.read()
        fast = fast + 1 if time.monotonic() - asked < 0.05 else 0
    return round(time.monotonic() - began, 1)


def load_route(label: str, route: Route, port: int, seconds: int, work: Path) -> dict[str, Any]:
    """One route on the server at `port`: warm-up, a single client, then CONNECTIONS; waits for the backlog."""
    name, path, rotation, cookie = route
    base = f"http://127.0.0.1:{port}"
    status = _warm(base, path, cookie)
    options = ["--latency", "--timeout", f"{WRK_TIMEOUT_S}s"]
    if cookie:
        options += ["-H", f"Cookie: {cookie}"]
    if rotation:
        options += ["-s", str(_lua_rotation(rotation, work / "rotate.lua"))]
    alone = ["-t1", "-c1", f"-d{max(2, seconds // 6)}s"]  # one client: the route's own time, no queueing
    single = subprocess.run(["wrk", *alone, *options, base + path], capture_output=True, text=True, check=False)
    loaded = [f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s"]
    finished = subprocess.run(["wrk", *loaded, *options, base + path], capture_output=True, text=True, check=False)
    drained_s = _drain(base)
    result = parse_wrk(finished.stdout)
    result.update(path=path, warm_status=status, load_average=round(os.getloadavg()[0], 1), drained_s=drained_s)
    result["alone"] = parse_wrk(single.stdout)
    print(
        f"  {label:20} {name:28} {result['rps']:8.1f} req/s  p50 {shown_ms(result['p50_ms'])}  "
        f"p99 {shown_ms(result['p99_ms'])} ms  errors {result['non_2xx_3xx'] + result['socket_errors']}  "
        f"(1 connection: p50 {shown_ms(result['alone']['p50_ms'])} ms; drained in {drained_s} s)"
        f"  (warm-up status {status}; load {result['load_average']})",
        flush=True,
    )
    return result


def load_routes(
    shape: str, targets: dict[str, Any], ports: dict[str, int], seconds: int, work: Path
) -> dict[str, dict[str, Any]]:
    """Each route on each server (server: port), the servers taking turns: route i starts with server i mod n, so
    that neither always goes first and both meet the shared machine's load of the same minutes."""
    results: dict[str, dict[str, Any]] = {server: {} for server in ports}
    servers = list(ports)
    for i, route in enumerate(routes(targets)):
        for server in servers[i % len(servers) :] + servers[: i % len(servers)]:
            results[server][route[0]] = load_route(f"{shape} ({server})", route, ports[server], seconds, work)
    return results


def run_shape(shape: str, size: int, seconds: int, work: Path, servers: list[str]) -> list[dict[str, Any]]:
    """Build the shape's database, start its processes and load its routes: one web server of each kind in
    `servers`, side by side on the same database (scale-out: and the same Redis and RQ workers)."""
    var = work / "var"
    var.mkdir(parents=True, exist_ok=True)
    env = shape_env(shape, var)
    targets_file = work / "targets.json"
    setup = [sys.executable, str(ROOT / "bench" / "web_load.py"), "--setup", "--size", str(size)]
    began = time.perf_counter()
    subprocess.run([*setup, "--out", str(targets_file)], env=env, check=True, cwd=ROOT)
    targets = json.loads(targets_file.read_text())
    print(f"  {shape}: {targets['articles']:,} articles on {targets['vendor']} in {time.perf_counter() - began:.0f} s")
    ports = {server: stack.free_port() for server in servers}
    log_path = work / "servers.log"
    log = log_path.open("wb")
    commands = server_commands(shape, ports)
    groups = [stack.Processes({**env, **extra}, cwd=ROOT, log=log) for _, extra in commands]
    try:
        started = [group.start(command) for group, (command, _) in zip(groups, commands, strict=True)]
        for process, port in zip(started, ports.values(), strict=False):  # the web servers come first
            stack.wait_for_port(port, process)
        by_server = load_routes(shape, targets, ports, seconds, work)
    except Exception:
        log.flush()
        print("the servers' last messages:\n" + log_path.read_text(errors="replace")[-3000:])
        raise
    finally:
        for group in groups:
            group.stop()
        log.close()
    return [
        {
            "shape": shape,
            "server": server,
            "configured": server == targets["wsgi_server"],
            "targets": targets,
            "routes": routes_result,
        }
        for server, routes_result in by_server.items()
    ]
