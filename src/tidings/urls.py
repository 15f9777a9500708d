from django.contrib import admin
from django.urls import include, path

from tidings.api.fever.urls import urlpatterns as fever_urls
from tidings.api.greader.urls import urlpatterns as greader_urls
from tidings.api.routes import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    *greader_urls,  # before accounts/: /accounts/ClientLogin is the Google Reader sign-in
    *fever_urls,
    path("accounts/", include("tidings.accounts.urls")),
    path("", include("tidings.feeds.urls")),
    path("", include("tidings.web.urls")),
]
