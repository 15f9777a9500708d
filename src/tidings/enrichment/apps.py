from django.apps import AppConfig


class EnrichmentConfig(AppConfig):
    name = "tidings.enrichment"
    label = "enrichment"
