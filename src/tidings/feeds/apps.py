from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "tidings.feeds"
    label = "feeds"
    verbose_name = "Output feeds"
