from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "tidings.sources"
    label = "sources"
