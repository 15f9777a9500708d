from django.urls import path

from tidings.web.views import (
    articles,
    browse,
    exports,
    feedback,
    follow,
    front,
    interests,
    keyword_mutes,
    opml_imports,
    saved_searches,
    source_settings,
    sources,
    stories,
)
from tidings.web.views import search as search_views
from tidings.web.views.diet import news_diet
from tidings.web.views.read_state import mark_all_read, mark_article, reading_history, saved, undo_mark_all
from tidings.web.views.reading import reading_time, save, share
from tidings.web.views.theme import set_theme

app_name = "web"
urlpatterns = [
    path("", front.home, name="home"),
    path("my/", front.my_news, name="my_news"),
    path("browse/", browse.browse, name="browse"),
    path("category/<slug:slug>/", browse.category, name="category"),
    path("topic/<slug:slug>/", browse.topic, name="topic"),
    path("sources/", sources.sources, name="sources"),
    path("sources/import/", opml_imports.opml_import_start, name="opml_import_start"),
    path("sources/export.opml", exports.export_sources, name="export_sources"),
    path("me/follows.opml", exports.export_follows, name="export_follows"),
    path("sources/import/<int:import_id>/", opml_imports.opml_import, name="opml_import"),
    path("source/<slug:slug>/", sources.source, name="source"),
    path("source/<slug:slug>/full-text/", source_settings.source_full_text, name="source_full_text"),
    path("article/<int:article_id>/", articles.article, name="article"),
    path("article/<int:article_id>/reading-time/", reading_time, name="article_reading"),
    path("article/<int:article_id>/save/", save, name="article_save"),
    path("article/<int:article_id>/read/", mark_article, name="article_read"),
    path("me/read/", mark_all_read, name="mark_all_read"),
    path("me/read/undo/", undo_mark_all, name="mark_all_undo"),
    path("me/saved/", saved, name="saved"),
    path("me/history/", reading_history, name="history"),
    path("article/<int:article_id>/share/", share, name="article_share"),
    path("me/diet/", news_diet, name="news_diet"),
    path("stories/<int:story_id>/", stories.story, name="story"),
    path("search/", search_views.search, name="search"),
    path("search/save/", saved_searches.save, name="save_search"),
    path("me/searches/<int:saved_id>/", saved_searches.saved_search, name="saved_search"),
    path("me/searches/<int:saved_id>/delete/", saved_searches.delete, name="saved_search_delete"),
    path("me/muted-words/", keyword_mutes.add, name="keyword_mute_add"),
    path("me/muted-words/<int:mute_id>/remove/", keyword_mutes.remove, name="keyword_mute_remove"),
    path("follow/<str:kind>/<str:key>/", follow.follow, name="follow"),
    path("card/<int:article_id>/<str:kind>/", feedback.card_feedback, name="card_feedback"),
    path("card/<int:article_id>/<str:kind>/undo/", feedback.card_feedback_undo, name="card_feedback_undo"),
    path("me/interests/", interests.interests, name="interests"),
    path("me/interests/<str:kind>/<str:key>/weight/", interests.weight, name="interest_weight"),
    path("me/interests/<str:kind>/<str:key>/remove/", interests.remove, name="interest_remove"),
    path("me/start/", interests.picker_done, name="picker_done"),
    path("theme/", set_theme, name="theme"),
]
