from django.urls import path, register_converter

from tidings.feeds import views


class FormatConverter:
    regex = "rss|atom|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "feedformat")

app_name = "feeds"
urlpatterns = [
    path("feeds/my/<str:token>.<feedformat:fmt>", views.private_feed, name="private"),
    path("feeds/token/", views.manage_token, name="token"),
    path("feeds/<str:kind>/<slug:key>.<feedformat:fmt>", views.public_feed, name="public"),
]
