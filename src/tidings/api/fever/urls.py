"""The Fever API's one route, at the site root (apps are given `<site>/fever/`)."""

from django.urls import re_path

from tidings.api.fever.views import fever
from tidings.api.greader.urls import ROOT

urlpatterns = [re_path(ROOT + r"fever/?$", fever, name="fever")]
