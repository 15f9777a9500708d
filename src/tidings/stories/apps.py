from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "tidings.stories"
    label = "stories"
