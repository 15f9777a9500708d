from django.apps import AppConfig


class SearchesConfig(AppConfig):
    name = "tidings.searches"
    label = "searches"
    verbose_name = "Searches and saved searches"
