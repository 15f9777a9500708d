"""Every route of the site, sorted into private (with what reader B tries there against reader A's rows) and public
(with why it holds nothing of one reader's own). tests/accounts/test_isolation.py runs the private probes and
fails when a route of the URL conf or an operation of the API schema is in neither table.

Route keys: a Django route as the URL conf prints it ("me/searches/<int:saved_id>/"), or for the django-ninja API
"METHOD /api/path" as the OpenAPI schema spells it. Placeholders in probe paths are A's objects (see
test_isolation.AliceRows): {article} {story} {search} {mute} {token} {session} {import} {category} {muted_source}
{added} {added_id} {added_article} {feedtoken} {searchtoken}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NOT_YOURS = frozenset({403, 404})  # B names one of A's rows by id: refused, whichever way
ANY_ANSWER = frozenset(range(200, 500))  # B acts on shared things (a category, an article): only A must not change
DONE = frozenset({200, 201, 204, 302})  # B's own action went through (so A's rows were within its reach)
PASSWORD = "correct horse battery staple"  # the test users' password


@dataclass(frozen=True)
class Probe:
    """One request B makes. `via`: "web" (B's signed-in browser), "api" (B's bearer token), "greader", "fever".
    `present`: strings B's own answer must hold (so that `absent` is not checked on an empty page);
    `absent`: strings of A's that this answer must not hold besides the secrets checked on every answer."""

    method: str
    path: str
    via: str = "web"
    data: dict[str, Any] | None = None
    status: frozenset[int] = ANY_ANSWER
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    json: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def api(method: str, path: str, **kw: Any) -> Probe:
    return Probe(method, path, via="api", json=True, **kw)


def web(method: str, path: str, **kw: Any) -> Probe:
    return Probe(method, path, via="web", **kw)


FOLLOW_ADDED = api("POST", "/api/me/follows", data={"kind": "source", "slug": "{added}"}, status=frozenset({200}))
MINE = ("royal bravo", "search bravo")  # B's muted word and saved search, shown on B's own settings pages
A_ARTICLE = ("article alpha",)  # the headline of the article A read and saved: never in B's saved/history lists

PRIVATE: dict[str, tuple[Probe, ...]] = {
    # django-ninja, /api/me and the sources B may change
    "GET /api/me/follows": (
        api("GET", "/api/me/follows", present=("category-bravo",), absent=("category-alpha",)),
        FOLLOW_ADDED,
        api("GET", "/api/me/follows", present=("added by alpha",)),
    ),
    "POST /api/me/follows": (
        api("POST", "/api/me/follows", data={"kind": "category", "slug": "{category}"}, status=frozenset({200})),
    ),
    "DELETE /api/me/follows/{kind}/{key}": (api("DELETE", "/api/me/follows/category/{category}"),),
    "GET /api/me/follows/{kind}/{key}": (api("GET", "/api/me/follows/category/{category}", status=NOT_YOURS),),
    "PUT /api/me/follows/{kind}/{key}/weight": (
        api("PUT", "/api/me/follows/category/{category}/weight", data={"weight": "less"}, status=NOT_YOURS),
    ),
    "DELETE /api/me/mutes/{kind}/{key}": (api("DELETE", "/api/me/mutes/source/{muted_source}"),),
    "GET /api/me/feed": (api("GET", "/api/me/feed"),),
    "GET /api/me/articles/{article_id}/state": (
        api("GET", "/api/me/articles/{article}/state", present=('"read": false', '"saved": false')),
    ),
    "PUT /api/me/articles/{article_id}/state": (
        api("PUT", "/api/me/articles/{article}/state", data={"read": False, "saved": False}),
    ),
    "POST /api/me/interactions": (
        api("POST", "/api/me/interactions", data={"article_id": "{article}", "kind": "save"}),
    ),
    "GET /api/me/export": (api("GET", "/api/me/export", present=MINE),),
    "DELETE /api/me": (api("DELETE", "/api/me", data={"password": PASSWORD}, status=DONE),),
    "GET /api/me/muted-words": (api("GET", "/api/me/muted-words", present=("royal bravo",)),),
    "POST /api/me/muted-words": (api("POST", "/api/me/muted-words", data={"pattern": "royal charlie"}),),
    "DELETE /api/me/muted-words/{mute_id}": (api("DELETE", "/api/me/muted-words/{mute}", status=NOT_YOURS),),
    "GET /api/me/saved-searches": (api("GET", "/api/me/saved-searches", present=("search bravo",)),),
    "POST /api/me/saved-searches": (
        api("POST", "/api/me/saved-searches", data={"name": "mine", "q": "alpha"}, status=frozenset({200, 201})),
    ),
    "DELETE /api/me/saved-searches/{saved_id}": (api("DELETE", "/api/me/saved-searches/{search}", status=NOT_YOURS),),
    "GET /api/me/saved-searches/{saved_id}/articles": (
        api("GET", "/api/me/saved-searches/{search}/articles", status=NOT_YOURS),
    ),
    "GET /api/sources/export.opml": (api("GET", "/api/sources/export.opml", present=("secret-feed-bravo",)),),
    "POST /api/sources": (api("POST", "/api/sources", data={"url": "https://b.example.org/feed.xml"}),),
    "POST /api/sources/import-opml": (api("POST", "/api/sources/import-opml", data={"opml": "<opml/>"}),),
    "PATCH /api/sources/{source_key}": (
        api("PATCH", "/api/sources/{added}", data={"full_text": "never"}, status=NOT_YOURS),
    ),
    "GET /api/sources": (api("GET", "/api/sources"),),
    "GET /api/articles/{article_id}": (api("GET", "/api/articles/{added_article}", present=("news of the source",)),),
    "GET /api/sources/{source_key}/health": (api("GET", "/api/sources/{added}/health"),),
    "GET /api/articles": (api("GET", "/api/articles", data={"source": "{added}"}, present=("news of the source",)),),
    # Google Reader and Fever: every operation answers from B's own follows and marks
    "^(?:/)?reader/api/0/token/?$": (Probe("GET", "/reader/api/0/token", via="greader"),),
    "^(?:/)?reader/api/0/user-info/?$": (
        Probe("GET", "/reader/api/0/user-info", via="greader", present=("bob",), absent=("alice",)),
    ),
    "^(?:/)?reader/api/0/subscription/list/?$": (
        Probe("GET", "/reader/api/0/subscription/list", via="greader", absent=("muted source alpha",)),
        FOLLOW_ADDED,  # B follows the source A added: B sees it, not its feed address (A's, secret)
        Probe("GET", "/reader/api/0/subscription/list", via="greader", present=("added by alpha",)),
    ),
    "^(?:/)?reader/api/0/subscription/edit/?$": (
        Probe("POST", "/reader/api/0/subscription/edit", via="greader", data={"ac": "unsubscribe", "s": "feed/1"}),
    ),
    "^(?:/)?reader/api/0/subscription/quickadd/?$": (
        Probe(
            "POST",
            "/reader/api/0/subscription/quickadd",
            via="greader",
            data={"quickadd": "https://b.example.org/feed.xml"},
            status=frozenset({200}),
        ),
    ),
    "^(?:/)?reader/api/0/tag/list/?$": (Probe("GET", "/reader/api/0/tag/list", via="greader"),),
    "^(?:/)?reader/api/0/unread-count/?$": (Probe("GET", "/reader/api/0/unread-count", via="greader"),),
    "^(?:/)?reader/api/0/stream/items/ids/?$": (
        Probe(
            "GET",
            "/reader/api/0/stream/items/ids",
            via="greader",
            data={"s": "user/-/state/com.google/starred"},
            present=("itemRefs",),
            absent=('"{article}"',),
        ),
    ),
    "^(?:/)?reader/api/0/stream/items/contents/?$": (
        Probe("POST", "/reader/api/0/stream/items/contents", via="greader", data={"i": "{article}"}),
    ),
    "^(?:/)?reader/api/0/stream/contents/?$": (
        Probe("GET", "/reader/api/0/stream/contents", via="greader", data={"s": "user/-/state/com.google/read"}),
    ),
    "^(?:/)?reader/api/0/stream/contents/(?P<stream>.+)$": (
        FOLLOW_ADDED,
        Probe("GET", "/reader/api/0/stream/contents/feed/{added_id}", via="greader", present=("news of the source",)),
        Probe("GET", "/reader/api/0/stream/contents/user/-/state/com.google/starred", via="greader", absent=A_ARTICLE),
    ),
    "^(?:/)?reader/api/0/edit-tag/?$": (
        Probe(
            "POST",
            "/reader/api/0/edit-tag",
            via="greader",
            data={"i": "{article}", "r": ["user/-/state/com.google/starred", "user/-/state/com.google/read"]},
        ),
    ),
    "^(?:/)?reader/api/0/mark-all-as-read/?$": (
        Probe(
            "POST", "/reader/api/0/mark-all-as-read", via="greader", data={"s": "user/-/state/com.google/reading-list"}
        ),
    ),
    "^(?:/)?reader/atom/(?P<stream>.+)$": (
        Probe("GET", "/reader/atom/user/-/state/com.google/starred", via="greader", absent=A_ARTICLE),
    ),
    "^(?:/)?fever/?$": (
        Probe("POST", "/fever/?api&saved_item_ids", via="fever", present=('"auth": 1', "saved_item_ids")),
        FOLLOW_ADDED,
        Probe("POST", "/fever/?api&feeds", via="fever", present=("added by alpha",)),
        Probe("POST", "/fever/?api&items", via="fever", present=("news of the source",)),
        Probe("POST", "/fever/?api&items&with_ids={article}", via="fever", absent=('"is_saved": 1', '"is_read": 1')),
        Probe("POST", "/fever/?api", via="fever", data={"mark": "item", "as": "unsaved", "id": "{article}"}),
        Probe("POST", "/fever/?api", via="fever", data={"mark": "item", "as": "unread", "id": "{article}"}),
    ),
    # accounts: tokens, sessions, two-factor, personal data
    "accounts/settings/": (web("GET", "/accounts/settings/", present=("token bravo",)),),
    "accounts/settings/tokens/": (web("POST", "/accounts/settings/tokens/", data={"name": "token charlie"}),),
    "accounts/settings/tokens/<int:token_id>/revoke/": (
        web("POST", "/accounts/settings/tokens/{token}/revoke/", status=NOT_YOURS),
    ),
    "me/account/": (web("GET", "/me/account/", present=("bob@example.org",)),),
    "me/account/email/": (
        # B types A's address (in capitals: the form shows it back) without and with B's password
        web("POST", "/me/account/email/", data={"email": "ALICE@EXAMPLE.ORG"}, absent=("Another account",)),
        web(
            "POST",
            "/me/account/email/",
            data={"email": "ALICE@EXAMPLE.ORG", "password": "wrong"},
            absent=("Another account",),
        ),
    ),
    "me/account/password/": (
        web(
            "POST",
            "/me/account/password/",
            data={
                "old_password": PASSWORD,
                "new_password1": "new horse battery staple",
                "new_password2": "new horse battery staple",
            },
            status=DONE,
        ),
    ),
    "me/account/sessions/<int:session_id>/revoke/": (
        web("POST", "/me/account/sessions/{session}/revoke/", status=NOT_YOURS),
    ),
    "me/account/sessions/others/revoke/": (web("POST", "/me/account/sessions/others/revoke/"),),
    "me/account/two-factor/": (web("GET", "/me/account/two-factor/"),),
    "me/account/two-factor/start/": (web("POST", "/me/account/two-factor/start/"),),
    "me/account/two-factor/confirm/": (web("POST", "/me/account/two-factor/confirm/", data={"code": "123456"}),),
    "me/account/two-factor/recovery-codes/": (
        web("POST", "/me/account/two-factor/recovery-codes/", data={"password": PASSWORD}, status=DONE),
    ),
    "me/account/two-factor/disable/": (
        web("POST", "/me/account/two-factor/disable/", data={"password": PASSWORD}, status=DONE),
    ),
    "me/account/data/": (web("GET", "/me/account/data/"),),
    "me/account/data/export.json": (web("GET", "/me/account/data/export.json", present=MINE),),
    "me/account/data/delete/": (web("POST", "/me/account/data/delete/", data={"password": PASSWORD}, status=DONE),),
    # feeds: the My News address and its management
    "feeds/my/<str:token>.<feedformat:fmt>": (
        web("GET", "/feeds/my/nosuchtoken.rss", status=frozenset({404})),
        web("GET", "/feeds/my/feedtoken-bravo.rss", status=frozenset({200})),
    ),
    "feeds/token/": (web("POST", "/feeds/token/", data={"action": "revoke"}, status=DONE),),
    "feeds/<str:kind>/<slug:key>.<feedformat:fmt>": (
        web("GET", "/feeds/search/nosuchtoken.rss", status=frozenset({404})),
        web("GET", "/feeds/search/search-bravo.rss", status=frozenset({200})),
        web("GET", "/feeds/source/{added}.rss", status=frozenset({200}), present=("news of the source",)),
        web("GET", "/feeds/source/{added}.atom", status=frozenset({200}), present=("news of the source",)),
    ),
    # the web pages and actions of one reader
    "": (web("GET", "/"),),
    "my/": (web("GET", "/my/"),),
    "browse/": (web("GET", "/browse/"),),
    "category/<slug:slug>/": (web("GET", "/category/{category}/"),),
    "sources/": (web("GET", "/sources/"),),
    "sources/import/": (web("GET", "/sources/import/"),),
    "sources/export.opml": (web("GET", "/sources/export.opml", present=("secret-feed-bravo",)),),
    "me/follows.opml": (FOLLOW_ADDED, web("GET", "/me/follows.opml")),
    "sources/import/<int:import_id>/": (web("GET", "/sources/import/{import}/", status=NOT_YOURS),),
    "source/<slug:slug>/": (
        web("GET", "/source/{added}/", present=("news of the source",)),
        web("GET", "/source/{muted_source}/"),
    ),
    "source/<slug:slug>/full-text/": (
        web("POST", "/source/{added}/full-text/", data={"full_text": "never"}, status=NOT_YOURS),
    ),
    "article/<int:article_id>/": (
        web("GET", "/article/{article}/"),
        web("GET", "/article/{added_article}/", present=("news of the source",)),
    ),
    "article/<int:article_id>/reading-time/": (web("POST", "/article/{article}/reading-time/", data={"seconds": 30}),),
    "article/<int:article_id>/save/": (web("POST", "/article/{article}/save/", data={"saved": "0"}, status=DONE),),
    "article/<int:article_id>/read/": (web("POST", "/article/{article}/read/", data={"read": "0"}),),
    "me/read/": (web("POST", "/me/read/", data={"ids": "{article}"}, status=DONE),),
    "me/read/undo/": (web("POST", "/me/read/undo/", data={"ids": "{article}"}, status=DONE),),
    "me/saved/": (web("GET", "/me/saved/", present=("article bravo",), absent=A_ARTICLE),),
    "me/history/": (web("GET", "/me/history/", present=("article bravo",), absent=A_ARTICLE),),
    "article/<int:article_id>/share/": (web("POST", "/article/{article}/share/"),),
    "me/diet/": (web("GET", "/me/diet/"),),
    "stories/<int:story_id>/": (web("GET", "/stories/{story}/"),),
    "search/": (web("GET", "/search/", data={"q": "alpha"}),),
    "search/save/": (web("POST", "/search/save/", data={"name": "search charlie", "q": "alpha"}),),
    "me/searches/<int:saved_id>/": (web("GET", "/me/searches/{search}/", status=NOT_YOURS),),
    "me/searches/<int:saved_id>/delete/": (web("POST", "/me/searches/{search}/delete/", status=NOT_YOURS),),
    "me/muted-words/": (web("POST", "/me/muted-words/", data={"pattern": "royal charlie"}),),
    "me/muted-words/<int:mute_id>/remove/": (web("POST", "/me/muted-words/{mute}/remove/", status=NOT_YOURS),),
    "follow/<str:kind>/<str:key>/": (web("POST", "/follow/category/{category}/", data={"action": "unfollow"}),),
    "card/<int:article_id>/<str:kind>/": (web("POST", "/card/{article}/hide/"),),
    "card/<int:article_id>/<str:kind>/undo/": (web("POST", "/card/{article}/hide/undo/"),),
    "me/interests/": (web("GET", "/me/interests/", present=("category bravo",), absent=("category alpha",)),),
    "me/interests/<str:kind>/<str:key>/weight/": (
        web("POST", "/me/interests/category/{category}/weight/", data={"weight": "less"}, status=frozenset({400, 404})),
    ),
    "me/interests/<str:kind>/<str:key>/remove/": (web("POST", "/me/interests/category/{category}/remove/"),),
    "me/start/": (web("POST", "/me/start/"),),
}

# Routes with nothing of one reader's own, and why. "admin/" stands for every admin page (staff only).
PUBLIC: dict[str, str] = {
    "favicon.ico": "a redirect to a static file",
    "healthz": "process health, no reader data",
    "metrics": "counters summed over everyone",
    "admin/": "the operator's admin: staff only (admin_view), every page",
    "admin/ops/": "the operator's status page: staff only (admin_view)",
    "api/openapi.json": "the schema",
    "api/docs": "the schema's page",
    "api/": "the API's root",
    "GET /api/articles/{article_id}/claims": "a shared article's claims",
    "GET /api/stories": "shared stories",
    "GET /api/stories/{story_id}": "a shared story",
    "GET /api/categories": "the shared taxonomy",
    "GET /api/topics": "the shared taxonomy",
    "^(?:/)?accounts/ClientLogin/?$": "a sign-in form: answers with the signing-in user's own token only",
    "accounts/signup/": "creates a new account",
    "accounts/signin/": "a sign-in form",
    "accounts/signin/code/": "the second step of one's own sign-in (the pending user is in one's own session)",
    "accounts/signout/": "ends one's own session",
    "accounts/password-reset/": "sends a mail to the address typed; same answer whether it exists or not",
    "accounts/password-reset/sent/": "a fixed page",
    "accounts/password-reset/<uidb64>/<token>/": "the mailed link itself is the credential",
    "accounts/password-reset/done/": "a fixed page",
    "topic/<slug:slug>/": "a shared topic page (same view as category/, probed there)",
    "theme/": "a cookie of one's own browser",
}
