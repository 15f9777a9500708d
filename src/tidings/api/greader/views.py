"""Google Reader API views that read: token, user info, subscriptions, tags, unread counts and streams."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tidings.api.greader import streams
from tidings.api.greader.auth import edit_token
from tidings.api.greader.endpoint import Caller, json, reader_endpoint, text, values_of
from tidings.api.greader.ids import READING_LIST, STARRED, feed, label, parse_item_id, short_item_id, state, usec
from tidings.api.greader.params import first, stream_query
from tidings.api.greader.render import atom_stream, stream_json, subscription_json
from tidings.articles.models import Article
from tidings.lib.errors import InvalidInput
from tidings.personalization import reading_state

MAX_CONTENTS = 1000  # items per stream/contents or items/contents answer
MAX_IDS = 10000  # item ids per stream/items/ids answer
DEFAULT_COUNT = 20
MAX_ITEM_PARAMS = 1000


@reader_endpoint()
def token(request: HttpRequest, caller: Caller) -> HttpResponse:
    return text(edit_token(caller.token))


@reader_endpoint()
def user_info(request: HttpRequest, caller: Caller) -> HttpResponse:
    user = caller.user
    return json(
        {
            "userId": str(user.pk),
            "userName": user.get_username(),
            "userProfileId": str(user.pk),
            "userEmail": user.email or "",
            "isBloggerUser": False,
            "signupTimeSec": int(user.date_joined.timestamp()),
            "isMultiLoginEnabled": False,
        }
    )


@reader_endpoint()
def subscription_list(request: HttpRequest, caller: Caller) -> HttpResponse:
    subs = streams.subscriptions(caller.profile, caller.user)
    return json({"subscriptions": [subscription_json(sub) for sub in subs]})


@reader_endpoint()
def tag_list(request: HttpRequest, caller: Caller) -> HttpResponse:
    folders = sorted({sub.folder for sub in streams.subscriptions(caller.profile, caller.user) if sub.folder})
    tags = [{"id": state(STARRED).id}] + [{"id": label(name).id, "type": "folder"} for name in folders]
    return json({"tags": tags})


@reader_endpoint()
def unread_count(request: HttpRequest, caller: Caller) -> HttpResponse:
    counts = reading_state.unread_counts(caller.profile)
    folder_of = dict(reading_state.followed_sources(caller.profile).values_list("pk", "folder"))
    rows = []
    by_folder: dict[str, list[reading_state.UnreadCount]] = {}
    for count in counts:
        rows.append(_count_row(feed(count.source_id).id, [count]))
        if folder := folder_of.get(count.source_id):
            by_folder.setdefault(folder, []).append(count)
    rows += [_count_row(label(name).id, group) for name, group in sorted(by_folder.items())]
    if counts:
        rows.append(_count_row(state(READING_LIST).id, counts))
    return json({"max": sum(c.count for c in counts), "unreadcounts": rows})


def _count_row(stream_id: str, counts: list[reading_state.UnreadCount]) -> dict[str, object]:
    newest = max((c.newest for c in counts if c.newest is not None), default=None)
    return {
        "id": stream_id,
        "count": sum(c.count for c in counts),
        "newestItemTimestampUsec": str(usec(newest)) if newest else "0",
    }


@reader_endpoint()
def stream_item_ids(request: HttpRequest, caller: Caller) -> HttpResponse:
    query = stream_query(values_of(request), stream=None, default_count=DEFAULT_COUNT, most=MAX_IDS)
    articles, next_page = streams.page(
        streams.query_articles(caller.profile, query).only("pk", "published_at"), query.count
    )
    refs = [
        {"id": short_item_id(a.pk), "directStreamIds": [], "timestampUsec": str(usec(a.published_at))} for a in articles
    ]
    answer: dict[str, object] = {"itemRefs": refs}
    if next_page:
        answer["continuation"] = next_page
    return json(answer)


@reader_endpoint()
def stream_contents(request: HttpRequest, caller: Caller, stream: str | None = None) -> HttpResponse:
    values = values_of(request)
    stream = stream or first(values, "s") or state(READING_LIST).id  # no stream: the reading list
    query = stream_query(values, stream=stream, default_count=DEFAULT_COUNT, most=MAX_CONTENTS)
    articles, next_page = streams.page(
        streams.query_articles(caller.profile, query).select_related("source"), query.count
    )
    items = streams.item_views(caller.profile, articles)
    title = streams.stream_title(caller.profile, query.stream)
    return json(stream_json(query.stream.id, title, items, timezone.now(), next_page))


@reader_endpoint()
def stream_items_contents(request: HttpRequest, caller: Caller) -> HttpResponse:
    ids = item_ids(values_of(request)("i"))
    ordering = ("published_at", "pk") if (values_of(request)("r") or [""])[0] == "o" else ("-published_at", "-pk")
    articles = list(Article.objects.filter(pk__in=ids).select_related("source").order_by(*ordering))
    items = streams.item_views(caller.profile, articles)
    return json(stream_json(state(READING_LIST).id, "Reading list", items, timezone.now(), None))


@reader_endpoint(methods=("GET",))
def atom(request: HttpRequest, caller: Caller, stream: str) -> HttpResponse:
    """A stream as Google Reader Atom (/reader/atom/<stream id>), what FeedHQ-mode newsboat reads."""
    query = stream_query(values_of(request), stream=stream, default_count=DEFAULT_COUNT, most=MAX_CONTENTS)
    articles, _ = streams.page(streams.query_articles(caller.profile, query).select_related("source"), query.count)
    items = streams.item_views(caller.profile, articles)
    title = streams.stream_title(caller.profile, query.stream)
    response = HttpResponse(
        atom_stream(query.stream.id, title, items, timezone.now()), content_type="application/atom+xml; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"  # states change without the articles changing: never a 304
    return response


def item_ids(values: list[str]) -> list[int]:
    """Article ids from `i` values in any form; InvalidInput when there are none, too many, or a bad one."""
    if not values:
        raise InvalidInput("i (the item ids) is missing")
    if len(values) > MAX_ITEM_PARAMS:
        raise InvalidInput(f"{len(values)} item ids in one request; {MAX_ITEM_PARAMS} at most")
    return list(dict.fromkeys(parse_item_id(v) for v in values))
