"""Reading through the Google Reader API: subscriptions, tags, unread counts, item ids and contents, Atom."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tidings.api.greader.ids import long_item_id
from tidings.personalization import reading_state

pytestmark = pytest.mark.django_db

API = "/reader/api/0/"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"


def ids_of(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(ref["id"]) for ref in response.json()["itemRefs"]]


def test_subscriptions_are_the_followed_sources_with_folders_as_labels(alice, library):
    subs = alice.get(API + "subscription/list", {"output": "json"}).json()["subscriptions"]
    by_title = {sub["title"]: sub for sub in subs}
    assert set(by_title) == {"World Wire", "Town Crier"}
    assert by_title["World Wire"]["id"] == f"feed/{library.world.pk}"
    assert by_title["World Wire"]["categories"] == [{"id": "user/-/label/World", "label": "World"}]
    assert by_title["Town Crier"]["categories"] == []


def test_feed_addresses_are_shown_only_to_who_may_see_them(alice, library):
    library.local.added_by = alice.user
    library.local.save()
    subs = {s["title"]: s for s in alice.get(API + "subscription/list").json()["subscriptions"]}
    assert subs["Town Crier"]["url"] == library.local.url
    assert subs["World Wire"]["url"] == ""  # added by the operator: its address is not the reader's to see


def test_tag_list_has_starred_and_the_folders(alice, library):
    tags = alice.get(API + "tag/list", {"output": "json"}).json()["tags"]
    assert tags == [{"id": STARRED}, {"id": "user/-/label/World", "type": "folder"}]


def test_unread_counts_per_feed_folder_and_reading_list(alice, library):
    reading_state.mark_read(alice.profile, [library.world_articles[0].pk], timezone.now())
    counts = {row["id"]: row["count"] for row in alice.get(API + "unread-count").json()["unreadcounts"]}
    assert counts == {
        f"feed/{library.world.pk}": 2,
        f"feed/{library.local.pk}": 2,
        "user/-/label/World": 2,
        READING_LIST: 4,
    }


def test_reading_list_ids_newest_first_and_unread_only_with_xt(alice, library):
    everything = [a.pk for a in library.world_articles + library.local_articles]  # built newest first
    assert ids_of(alice.get(API + "stream/items/ids", {"s": READING_LIST, "n": 100})) == everything
    reading_state.mark_read(alice.profile, everything[:2], timezone.now())
    unread = ids_of(alice.get(API + "stream/items/ids", {"s": READING_LIST, "xt": READ, "n": 100}))
    assert unread == everything[2:]


def test_oldest_first_with_r_o(alice, library):
    everything = [a.pk for a in library.world_articles + library.local_articles]
    assert ids_of(alice.get(API + "stream/items/ids", {"s": READING_LIST, "r": "o", "n": 100})) == everything[::-1]


@pytest.mark.parametrize("oldest_first", [False, True])
def test_continuation_pages_through_every_item_once(alice, library, oldest_first):
    seen: list[int] = []
    params = {"s": READING_LIST, "n": 2, **({"r": "o"} if oldest_first else {})}
    for _ in range(10):
        answer = alice.get(API + "stream/items/ids", params).json()
        seen += [int(ref["id"]) for ref in answer["itemRefs"]]
        if "continuation" not in answer:
            break
        params["c"] = answer["continuation"]
    expected = [a.pk for a in library.world_articles + library.local_articles]
    assert seen == (expected[::-1] if oldest_first else expected)


def test_time_bounds_ot_and_nt(alice, library):
    middle = library.world_articles[1].published_at
    newer = ids_of(alice.get(API + "stream/items/ids", {"s": READING_LIST, "ot": int(middle.timestamp())}))
    assert library.world_articles[0].pk in newer
    assert library.local_articles[0].pk not in newer
    older = ids_of(alice.get(API + "stream/items/ids", {"s": READING_LIST, "nt": int(middle.timestamp())}))
    assert library.world_articles[0].pk not in older
    assert library.local_articles[0].pk in older


def test_feed_label_starred_and_read_streams(alice, library):
    world = [a.pk for a in library.world_articles]
    assert ids_of(alice.get(API + "stream/items/ids", {"s": f"feed/{library.world.pk}"})) == world
    assert ids_of(alice.get(API + "stream/items/ids", {"s": "user/-/label/World"})) == world
    reading_state.star(alice.profile, [library.local_articles[1].pk], timezone.now())
    reading_state.mark_read(alice.profile, [world[2]], timezone.now())
    assert ids_of(alice.get(API + "stream/items/ids", {"s": STARRED})) == [library.local_articles[1].pk]
    assert ids_of(alice.get(API + "stream/items/ids", {"s": READ})) == [world[2]]


def test_feed_stream_by_address_of_a_followed_source(alice, library):
    answer = alice.get(API + "stream/items/ids", {"s": f"feed/{library.local.url}"})
    assert ids_of(answer) == [a.pk for a in library.local_articles]
    assert alice.get(API + "stream/items/ids", {"s": f"feed/{library.other.url}"}).status_code == 400


def test_stream_contents_items_in_google_reader_shape(alice, library):
    article = library.world_articles[0]
    reading_state.mark_read(alice.profile, [article.pk], timezone.now())
    reading_state.star(alice.profile, [article.pk], timezone.now())
    answer = alice.get(API + f"stream/contents/feed/{library.world.pk}", {"n": 1}).json()
    assert answer["id"] == f"feed/{library.world.pk}"
    assert answer["title"] == "World Wire"
    [item] = answer["items"]
    assert item["id"] == long_item_id(article.pk)
    assert item["title"] == article.headline
    assert item["alternate"] == [{"href": article.url, "type": "text/html"}]
    assert item["origin"]["streamId"] == f"feed/{library.world.pk}"
    assert item["content"]["content"] == article.body_html
    assert item["timestampUsec"] == str(
        int(article.published_at.timestamp()) * 10**6 + article.published_at.microsecond
    )
    assert set(item["categories"]) == {READING_LIST, READ, STARRED, "user/-/label/World"}
    assert "continuation" in answer


def test_stream_contents_with_s_parameter_and_default_reading_list(alice, library):
    labelled = alice.get(API + "stream/contents", {"s": "user/-/label/World", "n": 50}).json()
    assert [i["title"] for i in labelled["items"]] == [a.headline for a in library.world_articles]
    default = alice.get(API + "stream/contents").json()
    assert default["id"] == READING_LIST
    assert len(default["items"]) == 5


def test_items_contents_accept_every_id_form(alice, library):
    a, b, c = library.world_articles
    answer = alice.post(
        API + "stream/items/contents",
        {"i": [long_item_id(a.pk), f"{b.pk:016x}", str(c.pk), "999999"]},
        with_token=False,
    )
    assert answer.status_code == 200
    assert [item["id"] for item in answer.json()["items"]] == [long_item_id(x.pk) for x in (a, b, c)]


def test_atom_stream_carries_read_and_fresh_states_for_feedhq_clients(alice, library):
    first, second, _ = library.world_articles
    reading_state.mark_read(alice.profile, [first.pk], timezone.now())
    response = alice.get(f"/reader/atom/feed/{library.world.pk}", {"n": 2})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [long_item_id(first.pk), long_item_id(second.pk)]
    labels = [[c.get("label") for c in e.findall("a:category", ns)] for e in entries]
    assert labels == [["read"], ["fresh"]]


def test_atom_survives_characters_xml_cannot_carry(alice, library):
    article = library.world_articles[0]
    article.headline = "Bell \x07 and form feed \x0c"
    article.save()
    response = alice.get(f"/reader/atom/feed/{library.world.pk}")
    titles = [e.text for e in ET.fromstring(response.content).iter("{http://www.w3.org/2005/Atom}title")]
    assert "Bell  and form feed " in titles


@pytest.mark.parametrize("path", ["stream/contents", "stream/items/ids", "unread-count", "subscription/list"])
def test_query_count_does_not_grow_with_the_number_of_items(alice, library, path):
    def queries(n: int) -> int:
        alice.get(API + path, {"s": READING_LIST, "n": n})  # warm: token last-used and profile rows exist
        with CaptureQueriesContext(connection) as captured:
            assert alice.get(API + path, {"s": READING_LIST, "n": n}).status_code == 200
        return len(captured)

    assert queries(1) == queries(50) <= 6
