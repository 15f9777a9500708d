from django.contrib import admin
from django.urls import include, path

from tidings.api.routes import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("tidings.accounts.urls")),
    path("", include("tidings.feeds.urls")),
    path("", include("tidings.web.urls")),
]
