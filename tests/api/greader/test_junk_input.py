"""Junk sent to the Google Reader API gets a 4xx with a message, never a 500, and changes nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tidings.personalization.models import ArticleState

pytestmark = pytest.mark.django_db

API = "/reader/api/0/"


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("stream/items/ids", {}, "s (the stream id) is missing"),
        ("stream/items/ids", {"s": "nonsense"}, "is not a stream id"),
        ("stream/items/ids", {"s": "feed/99999999"}, "no feed"),
        ("stream/items/ids", {"s": "feed/9" * 30}, "no feed"),
        ("stream/items/ids", {"s": "user/-/state/com.google/reading-list", "n": "ten"}, "is not a number"),
        ("stream/items/ids", {"s": "user/-/state/com.google/reading-list", "c": "zzz"}, "continuation"),
        (
            "stream/items/ids",
            {"s": "user/-/state/com.google/reading-list", "c": "99999999999999999999-1"},
            "server gave",
        ),
        ("stream/items/ids", {"s": "user/-/state/com.google/reading-list", "c": "4000000000000000000-1"}, "range"),
        ("stream/items/ids", {"s": "user/-/state/com.google/reading-list", "ot": "yesterday"}, "not a time"),
        ("stream/items/ids", {"s": "user/-/state/com.google/reading-list", "xt": "x"}, "is not a stream id"),
        ("stream/contents/nonsense", {}, "is not a stream id"),
        ("stream/items/contents", {}, "i (the item ids) is missing"),
        ("stream/items/contents", {"i": "item one"}, "is not an item id"),
    ],
)
def test_bad_read_parameters_are_400_with_a_message(alice, path, params, message):
    response = alice.get(API + path, params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("edit-tag", {"a": "user/-/state/com.google/read"}, "i (the item ids) is missing"),
        ("edit-tag", {"i": "tag:google.com,2005:reader/item/zz", "a": "user/-/state/com.google/read"}, "hexadecimal"),
        ("edit-tag", {"i": "1", "a": "user/-/state/com.google/read", "r": "user/-/state/com.google/read"}, "both"),
        ("edit-tag", {"i": "1", "a": "user/-/state/com.google/teleported"}, "cannot add or remove"),
        ("mark-all-as-read", {}, "s (the stream id) is missing"),
        ("mark-all-as-read", {"s": "user/-/state/com.google/reading-list", "ts": "-1"}, "not a time"),
        ("subscription/edit", {"ac": "rename", "s": "feed/1"}, "ac must be"),
        ("subscription/edit", {"ac": "subscribe"}, "s must name"),
        ("subscription/edit", {"ac": "subscribe", "s": "feed/not a url"}, "is not a web address"),
        ("subscription/quickadd", {"quickadd": "javascript:alert(1)"}, "is not a web address"),
        ("subscription/quickadd", {}, "quickadd (the feed address) is missing"),
    ],
)
def test_bad_write_parameters_are_400_with_a_message_and_change_nothing(alice, library, path, params, message):
    response = alice.post(API + path, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ArticleState.objects.exists()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["stream/items/ids", "stream/contents", "stream/items/contents", "unread-count", "tag/list"]),
    params=st.dictionaries(st.sampled_from(["s", "n", "c", "r", "xt", "it", "ot", "nt", "i"]), st.text(max_size=40)),
)
def test_any_parameters_get_an_answer_below_500(alice, path, params):
    response = alice.get(API + path, params)
    assert response.status_code in (200, 400), response.content[:300]


def test_more_parameters_than_django_reads_is_a_400(alice):
    response = alice.get(API + "stream/items/contents", {"i": [str(n) for n in range(1, 1100)]})
    assert response.status_code == 400


def test_undefined_api_paths_are_404(alice):
    assert alice.get(API + "no-such-thing").status_code == 404


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from(
        ["feed/", "feed/http://", "feed/https://x.example/", "user/-/label/", "user/1/state/com.google/"]
    ),
    rest=st.text(max_size=60),
    path=st.sampled_from(["stream/items/ids", "stream/contents", "stream/items/contents"]),
)
def test_any_stream_id_gets_an_answer_below_500(alice, prefix, rest, path):
    response = alice.get(API + path, {"s": prefix + rest, "i": rest})
    assert response.status_code in (200, 400), response.content[:300]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stream=st.text(min_size=1, max_size=60))
def test_any_atom_path_gets_an_answer_below_500(alice, stream):
    response = alice.get("/reader/atom/" + quote(stream, safe=""))
    assert response.status_code in (200, 400, 404), response.content[:300]


def test_a_feed_stream_with_a_broken_address_is_no_feed(alice):
    response = alice.get(API + "stream/items/ids", {"s": "feed/http://["})
    assert response.status_code == 400
    assert "no feed" in response.content.decode()
