"""Google Reader API routes at the site root, so an app given the root finds ClientLogin and /reader/api/0/."""

from django.urls import re_path

from tidings.api.greader import views, writes

# An optional extra slash: newsboat joins `feedhq-url` (ending in "/") and "/reader/…". Written as a group, as
# it is deliberate (Django's urls.W002 warns of routes that begin with a slash by mistake).
ROOT = r"^(?:/)?"
API = ROOT + r"reader/api/0/"

urlpatterns = [
    re_path(ROOT + r"accounts/ClientLogin/?$", writes.client_login, name="greader_client_login"),
    re_path(API + r"token/?$", views.token, name="greader_token"),
    re_path(API + r"user-info/?$", views.user_info, name="greader_user_info"),
    re_path(API + r"subscription/list/?$", views.subscription_list, name="greader_subscription_list"),
    re_path(API + r"subscription/edit/?$", writes.subscription_edit, name="greader_subscription_edit"),
    re_path(API + r"subscription/quickadd/?$", writes.quickadd, name="greader_quickadd"),
    re_path(API + r"tag/list/?$", views.tag_list, name="greader_tag_list"),
    re_path(API + r"unread-count/?$", views.unread_count, name="greader_unread_count"),
    re_path(API + r"stream/items/ids/?$", views.stream_item_ids, name="greader_item_ids"),
    re_path(API + r"stream/items/contents/?$", views.stream_items_contents, name="greader_items_contents"),
    re_path(API + r"stream/contents/?$", views.stream_contents, name="greader_stream_contents"),
    re_path(API + r"stream/contents/(?P<stream>.+)$", views.stream_contents, name="greader_stream"),
    re_path(API + r"edit-tag/?$", writes.edit_tag, name="greader_edit_tag"),
    re_path(API + r"mark-all-as-read/?$", writes.mark_all_as_read, name="greader_mark_all_as_read"),
    re_path(ROOT + r"reader/atom/(?P<stream>.+)$", views.atom, name="greader_atom"),
]
