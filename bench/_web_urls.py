"""The project's URLs plus `/bench-ok`, a bare view answering "ok": the ceiling bench/web_load.py measures pages
against (the same server, middleware stack and run; only the view's own work is missing). Benchmarks only."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bench_ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-ok", bench_ok), path("", include("tidings.urls"))]
