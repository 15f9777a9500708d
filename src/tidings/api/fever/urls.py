"""The Fever API's one route, at the site root (apps are given `<site>/fever/`)."""

from django.urls import re_path

from tidings.api.fever.views import fever

urlpatterns = [re_path(r"^/?fever/?$", fever, name="fever")]
