from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "tidings.ingest"
    label = "ingest"
