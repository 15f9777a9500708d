from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "tidings.enrichment"
    label = "enrichment"

    def ready(self) -> None:
        from django.core import checks

        from tidings.enrichment.checks import check_enrichment_pipeline

        checks.register(check_enrichment_pipeline, "tidings")
