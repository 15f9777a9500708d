from django.urls import path

from tidings.web.views import articles, browse, follow, front, sources

app_name = "web"
urlpatterns = [
    path("", front.home, name="home"),
    path("my/", front.my_news, name="my_news"),
    path("browse/", browse.browse, name="browse"),
    path("category/<slug:slug>/", browse.category, name="category"),
    path("topic/<slug:slug>/", browse.topic, name="topic"),
    path("sources/", sources.sources, name="sources"),
    path("source/<slug:slug>/", sources.source, name="source"),
    path("article/<int:article_id>/", articles.article, name="article"),
    path("search/", articles.search, name="search"),
    path("follow/<str:kind>/<str:key>/", follow.follow, name="follow"),
]
