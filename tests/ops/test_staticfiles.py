"""Static files: hashed names with far-future caching once collected; plain names (still served) before."""

from __future__ import annotations

from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from tidings.ops.staticfiles import HashedStaticFiles

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tidings.ops.staticfiles.HashedStaticFiles"},
}


def test_before_collectstatic_the_plain_name_is_used(tmp_path):
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=STORAGES):
        assert HashedStaticFiles().url("web/tidings.css") == "/static/web/tidings.css"


def test_collected_files_get_hashed_names_served_with_a_ten_year_cache(tmp_path):
    root = tmp_path / "static"
    with override_settings(STATIC_ROOT=root, STORAGES=STORAGES):
        # Only the site's own files: the admin's and Swagger's would triple the time and show nothing more.
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "ninja", "django_htmx"])
        url = HashedStaticFiles().url("web/tidings.css")
        assert url != "/static/web/tidings.css" and url.startswith("/static/web/tidings.") and url.endswith(".css")
        assert (root / url.removeprefix("/static/")).exists()

        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        response = middleware(RequestFactory().get(url))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "max-age=315360000, public, immutable"
        plain = middleware(RequestFactory().get("/static/web/tidings.css"))
        assert plain.status_code == 200
        assert "immutable" not in plain.headers["Cache-Control"]
