"""Google Reader ids and parameters: item ids in every form apps send, stream ids, times, continuations."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.api.greader.ids import (
    MAX_ID,
    Position,
    Stream,
    StreamKind,
    TagChange,
    continuation,
    feed_source_id,
    long_item_id,
    parse_continuation,
    parse_count,
    parse_item_id,
    parse_stream,
    parse_time,
    tag_change,
)
from tidings.api.greader.params import stream_query
from tidings.lib.errors import InvalidInput


def test_long_item_id_is_google_readers_padded_hex():
    assert long_item_id(291) == "tag:google.com,2005:reader/item/0000000000000123"


@pytest.mark.parametrize(
    "sent",
    [
        "tag:google.com,2005:reader/item/0000000000000123",  # long form (Google Reader, FreshRSS)
        "tag:google.com,2005:reader/item/123",  # long form without padding (NetNewsWire)
        "0000000000000123",  # 16 bare hex digits (Reeder)
        "291",  # decimal (stream/items/ids, Liferea)
        " 291 ",
    ],
)
def test_every_item_id_form_names_the_same_article(sent):
    assert parse_item_id(sent) == 291


@given(st.integers(min_value=1, max_value=MAX_ID))
def test_item_ids_round_trip_in_long_form(article_id):
    assert parse_item_id(long_item_id(article_id)) == article_id
    assert parse_item_id(f"{article_id:016x}") == article_id


@given(st.integers(min_value=1, max_value=10**15 - 1))
def test_item_ids_round_trip_in_decimal_form_below_sixteen_digits(article_id):
    # 16 characters read as bare hex (Reeder's form), as Miniflux and FreshRSS read them.
    assert parse_item_id(str(article_id)) == article_id


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("", "is not an item id"),
        ("abc", "is not an item id"),
        ("tag:google.com,2005:reader/item/xyz", "does not end in hexadecimal digits"),
        ("tag:google.com,2005:reader/item/", "does not end in hexadecimal digits"),
        ("0", "out of range"),
        ("-5", "out of range"),
        ("ffffffffffffffff", "out of range"),
        ("99999999999999999999", "out of range"),
        ("١٢٣", "is not an item id"),  # Arabic-Indic digits: int() reads them, ids never use them
        ("1" * 300, "is not an item id"),
    ],
)
def test_junk_item_ids_are_refused_with_a_message(sent, message):
    with pytest.raises(InvalidInput, match=message):
        parse_item_id(sent)


@given(st.text(max_size=60))
def test_any_text_is_an_item_id_or_a_clear_refusal(sent):
    with contextlib.suppress(InvalidInput):
        assert 0 < parse_item_id(sent) <= MAX_ID


@pytest.mark.parametrize(
    ("sent", "kind", "value"),
    [
        ("user/-/state/com.google/reading-list", StreamKind.STATE, "reading-list"),
        ("user/1234/state/com.google/starred", StreamKind.STATE, "starred"),
        ("user/-/label/World news", StreamKind.LABEL, "World news"),
        ("user/7/label/a/b", StreamKind.LABEL, "a/b"),
        ("feed/42", StreamKind.FEED, "42"),
        ("feed/https://example.org/feed.xml?x=1", StreamKind.FEED, "https://example.org/feed.xml?x=1"),
    ],
)
def test_stream_ids_in_user_dash_and_user_number_forms(sent, kind, value):
    assert parse_stream(sent) == Stream(kind, value)


@pytest.mark.parametrize("sent", ["", "feed/", "user/-/state/", "user/x/label/a", "pop/1", "splice/x", "a\x00b"])
def test_junk_stream_ids_are_refused(sent):
    with pytest.raises(InvalidInput, match="stream id"):
        parse_stream(sent)


def test_stream_ids_are_written_in_the_user_dash_form():
    assert parse_stream("user/99/label/World").id == "user/-/label/World"
    assert parse_stream("feed/3").id == "feed/3"


def test_feed_source_id_is_only_for_numeric_feed_streams():
    assert feed_source_id(parse_stream("feed/42")) == 42
    assert feed_source_id(parse_stream("feed/https://example.org/")) is None
    assert feed_source_id(parse_stream("feed/²")) is None


def test_newsboats_mark_read_and_unread_requests():
    read = tag_change(
        [parse_stream("user/-/state/com.google/read")], [parse_stream("user/-/state/com.google/kept-unread")]
    )
    unread = tag_change(
        [
            parse_stream("user/-/state/com.google/kept-unread"),
            parse_stream("user/-/state/com.google/tracking-kept-unread"),
        ],
        [parse_stream("user/-/state/com.google/read")],
    )
    assert read == TagChange(read=True)
    assert unread == TagChange(read=False)


def test_star_unstar_and_labels_on_items():
    starred = parse_stream("user/-/state/com.google/starred")
    assert tag_change([starred], []) == TagChange(starred=True)
    assert tag_change([], [starred]) == TagChange(starred=False)
    assert tag_change([parse_stream("user/-/label/Later")], []) == TagChange()


def test_contradicting_tags_are_refused():
    read = parse_stream("user/-/state/com.google/read")
    with pytest.raises(InvalidInput, match="both read and unread"):
        tag_change([read], [read])
    with pytest.raises(InvalidInput, match="cannot add or remove the tag"):
        tag_change([parse_stream("user/-/state/com.google/no-such-state")], [])


def test_times_in_seconds_and_microseconds():
    assert parse_time("1700000000") == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert parse_time("1700000000123456") == datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC)
    for junk in ("-1", "soon", "1e9", "9" * 19):
        with pytest.raises(InvalidInput):
            parse_time(junk)


def test_counts_are_clamped_and_junk_refused():
    assert parse_count(None, default=20, most=1000) == 20
    assert parse_count("5000", default=20, most=1000) == 1000
    assert parse_count("0", default=20, most=1000) == 1
    with pytest.raises(InvalidInput, match="is not a number"):
        parse_count("ten", default=20, most=1000)


@given(st.integers(min_value=-(2**60), max_value=2**60), st.integers(min_value=1, max_value=MAX_ID))
def test_continuations_round_trip(published, article_id):
    position = Position(published, article_id)
    assert parse_continuation(continuation(position)) == position


@pytest.mark.parametrize("sent", ["abc", "1-", "-1", "1-2-3", "1--2"])
def test_junk_continuations_are_refused(sent):
    with pytest.raises(InvalidInput, match="continuation"):
        parse_continuation(sent)


def test_stream_query_reads_every_parameter():
    params = {
        "s": ["feed/3"],
        "n": ["50"],
        "r": ["o"],
        "xt": ["user/-/state/com.google/read"],
        "it": ["user/-/state/com.google/starred"],
        "ot": ["1700000000"],
        "nt": ["1700003600"],
        "c": ["1700000000000000-12"],
    }
    query = stream_query(lambda name: params.get(name, []), stream=None, default_count=20, most=1000)
    assert query.stream == Stream(StreamKind.FEED, "3")
    assert (query.count, query.oldest_first) == (50, True)
    assert query.excludes == (Stream(StreamKind.STATE, "read"),)
    assert query.includes == (Stream(StreamKind.STATE, "starred"),)
    assert query.newer_than == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert query.older_than == datetime(2023, 11, 14, 23, 13, 20, tzinfo=UTC)
    assert query.after == Position(1700000000000000, 12)


def test_stream_query_without_a_stream_is_refused():
    with pytest.raises(InvalidInput, match="s \\(the stream id\\) is missing"):
        stream_query(lambda name: [], stream=None, default_count=20, most=1000)
