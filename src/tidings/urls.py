from typing import Any

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from tidings.api.fever.urls import urlpatterns as fever_urls
from tidings.api.greader.urls import urlpatterns as greader_urls
from tidings.api.routes import api
from tidings.ops import views as ops_views


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says: send them to the site's icon (resolved per request,
    so the static storage's hashed name is used once collectstatic has run)."""

    permanent = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return static("web/favicon.svg")


admin.site.site_header = admin.site.site_title = "Tidings admin"
admin.site.index_title = "Sources, topics, stories and accounts"
admin.site.enable_nav_sidebar = False  # the lists need the width (headlines are long)

urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("admin/ops/", admin.site.admin_view(ops_views.status_page), name="ops_status"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    *greader_urls,  # before accounts/: /accounts/ClientLogin is the Google Reader sign-in
    *fever_urls,
    path("accounts/", include("tidings.accounts.urls")),
    path("me/account/", include("tidings.accounts.account_urls")),
    path("", include("tidings.feeds.urls")),
    path("", include("tidings.web.urls")),
]
