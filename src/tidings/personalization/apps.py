from django.apps import AppConfig


class PersonalizationConfig(AppConfig):
    name = "tidings.personalization"
    label = "personalization"
