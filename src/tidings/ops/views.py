"""/healthz (JSON, 200 or 503), /metrics (Prometheus text, loopback or token only) and the staff status page."""

from __future__ import annotations

import ipaddress
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from tidings.ops import health, status
from tidings.ops.queue import queue_depth

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.run_checks()
    failed = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)


def metrics_allowed(request: HttpRequest) -> bool:
    """A bearer token equal to TIDINGS_METRICS_TOKEN, or (without one set) a direct request from loopback.

    A request that came through a proxy (X-Forwarded-For and the like) is not direct, even when the proxy
    itself connects from loopback.
    """
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return secrets.compare_digest(given.encode(), token.encode())
    if any(request.META.get(header) for header in FORWARDED_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


class QueueDepthCollector(Collector):
    def collect(self):  # type: ignore[no-untyped-def]
        gauge = GaugeMetricFamily("tidings_task_queue_depth", "Tasks queued and not yet started.")
        try:
            gauge.add_metric([], queue_depth())
        except Exception:  # a queue that is down shows as a missing sample, /healthz says why
            return
        yield gauge


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponse("metrics are served to loopback or with the metrics token\n", status=403)
    if settings.METRICS_DIR:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    scraped = CollectorRegistry()
    scraped.register(QueueDepthCollector())
    return HttpResponse(generate_latest(registry) + generate_latest(scraped), content_type=CONTENT_TYPE_LATEST)


def status_page(request: HttpRequest) -> HttpResponse:
    """Staff only (wrapped in admin.site.admin_view in urls.py): queue depth, periodic jobs, source health."""
    from django.contrib import admin

    context = {**admin.site.each_context(request), "title": "Operations", **status.summary()}
    return render(request, "ops/status.html", context)
