from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "tidings.taxonomy"
    label = "taxonomy"
