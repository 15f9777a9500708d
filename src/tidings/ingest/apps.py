from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "tidings.ingest"
    label = "ingest"

    def ready(self) -> None:
        from tidings.ingest.receivers import queue_refreshes
        from tidings.sources.signals import refresh_wanted

        refresh_wanted.connect(queue_refreshes, dispatch_uid="tidings.ingest.queue_refreshes")
