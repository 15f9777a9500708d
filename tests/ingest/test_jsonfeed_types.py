"""JSON Feed items whose fields have the wrong JSON type: coerced to what they mean, never dropped or blank."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tidings.articles.models import Article
from tidings.ingest.parse.feeds import parse_feed
from tidings.ingest.parse.jsonfeed import date_of, first_sentence, text_of
from tidings.ingest.refresh import refresh_source
from tidings.sources.models import Source

BODY = "Flood barriers were raised overnight along the river. Residents were told to stay indoors."
WHEN = datetime(2025, 11, 20, 6, 20, tzinfo=UTC)

# (case, fields that replace the good item's, field of the parsed item, expected value)
WRONG_TYPES = [
    ("id-integer", {"id": 4021}, "guid", "4021"),
    ("id-float", {"id": 4022.0}, "guid", "4022"),
    ("id-object", {"id": {"x": 1}}, "guid", ""),
    ("title-list", {"title": ["Flood barriers", "raised overnight"]}, "headline", "Flood barriers raised overnight"),
    ("title-object-text", {"title": {"text": "River flood warning"}}, "headline", "River flood warning"),
    ("title-object-languages", {"title": {"en": "River flood", "fr": "Crue"}}, "headline", "River flood"),
    ("title-object-nested", {"title": {"main": {"value": "Nested title"}}}, "headline", "Nested title"),
    ("title-number", {"title": 2026}, "headline", "2026"),
    ("title-null", {"title": None}, "headline", "Flood barriers were raised overnight along the river."),
    ("title-empty-list", {"title": []}, "headline", "Flood barriers were raised overnight along the river."),
    ("title-bool", {"title": True}, "headline", "Flood barriers were raised overnight along the river."),
    (
        "title-empty-object-and-only-summary",
        {"title": {}, "content_text": None, "summary": {"text": "Barriers up. Stay indoors."}},
        "headline",
        "Barriers up.",
    ),
    ("summary-object", {"summary": {"text": "A short dek."}}, "standfirst", "A short dek."),
    ("summary-list", {"summary": ["A short", "dek."]}, "standfirst", "A short dek."),
    (
        "content-text-list",
        {"content_text": ["First part.", "Second part."]},
        "paragraphs",
        ("First part. Second part.",),
    ),
    ("content-html-object", {"content_html": {"html": "<p>From an object.</p>"}}, "paragraphs", ("From an object.",)),
    ("tags-string", {"tags": "weather"}, "publisher_categories", ("weather",)),
    ("tags-numbers", {"tags": [2026, "weather"]}, "publisher_categories", ("2026", "weather")),
    ("tags-object", {"tags": {"name": "weather"}}, "publisher_categories", ("weather",)),
    ("date-epoch-seconds", {"date_published": 1763619600}, "published_at", WHEN),
    ("date-epoch-milliseconds", {"date_published": 1763619600000}, "published_at", WHEN),
    ("date-epoch-float", {"date_published": 1763619600.25}, "published_at", WHEN),
    ("date-epoch-digits", {"date_published": "1763619600"}, "published_at", WHEN),
    ("date-small-number", {"date_published": 12}, "published_at", None),
    ("date-huge-number", {"date_published": 10**30}, "published_at", None),
    ("date-list", {"date_published": ["2025-11-20"]}, "published_at", None),
    ("date-object", {"date_published": {"at": 1}}, "published_at", None),
    ("date-bool", {"date_published": True}, "published_at", None),
    ("date-modified-number", {"date_modified": 1763619600}, "published_at", WHEN),
    ("authors-object", {"authors": {"name": "Staff"}}, "author", "Staff"),
    ("authors-strings", {"authors": ["Ann Lee", "Bo Chan"]}, "author", "Ann Lee, Bo Chan"),
    ("author-string", {"author": "Ann Lee"}, "author", "Ann Lee"),
    ("authors-number", {"authors": 7}, "author", "7"),
    (
        "url-list",
        {"url": ["https://news.example/a/1", "https://m.news.example/a/1"]},
        "url",
        "https://news.example/a/1",
    ),
    ("url-object", {"url": {"href": "https://news.example/a/1"}}, "url", "https://news.example/a/1"),
    (
        "url-number-external-url",
        {"url": 5, "external_url": "https://news.example/a/1"},
        "url",
        "https://news.example/a/1",
    ),
    ("image-object", {"image": {"url": "https://news.example/i.jpg"}}, "image_url", "https://news.example/i.jpg"),
    ("language-list", {"language": ["en-GB"]}, "language", "en-gb"),
]


def good_item(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": "item-1",
        "url": "https://news.example/a/1",
        "title": "Flood barriers raised",
        "content_text": BODY,
        "date_published": "2025-11-20T06:20:00Z",
    }
    item.update(changes)
    return {key: value for key, value in item.items() if key not in changes or value is not None or key == "title"}


def numbered(n: int, changes: dict[str, object], **extra: object) -> dict[str, object]:
    """The good item changed, with its own URL, and its own id unless the case changes the id."""
    item = {**good_item(**changes), "url": f"https://news.example/a/{n}", **extra}
    if "id" not in changes:
        item["id"] = f"item-{n}"
    return item


def feed_bytes(items: list[dict[str, object]]) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "News", "items": items}).encode()


@pytest.mark.parametrize(("changes", "field", "value"), [pytest.param(*case[1:], id=case[0]) for case in WRONG_TYPES])
def test_a_wrong_type_is_coerced(changes, field, value):
    if "date_modified" in changes:
        changes = {**changes, "date_published": None}
    (item,) = parse_feed(feed_bytes([good_item(**changes)])).items
    assert getattr(item, field) == value
    assert item.url == "https://news.example/a/1"
    assert item.headline


def test_every_item_with_a_url_is_kept_with_a_headline():
    items = [numbered(n, case[1]) for n, case in enumerate(WRONG_TYPES) if not case[0].startswith("url-")]
    parsed = parse_feed(feed_bytes(items)).items
    assert len(parsed) == len(items)
    assert all(item.headline.strip() and item.url for item in parsed)


def test_an_item_with_no_text_at_all_keeps_its_url_and_an_empty_headline():
    (item,) = parse_feed(feed_bytes([{"id": 1, "url": "https://news.example/a/1", "title": {}}])).items
    assert (item.url, item.headline, item.guid) == ("https://news.example/a/1", "", "1")


@pytest.mark.parametrize(
    ("value", "text"),
    [("  x ", "x"), (3, "3"), (2.5, "2.5"), (True, ""), (None, ""), ([1, [2, ["three"]]], "1 2 three"), ({}, "")],
)
def test_text_of(value, text):
    assert text_of(value) == text


def test_text_of_stops_at_deep_nesting():
    deep: object = "bottom"
    for _ in range(200):
        deep = [deep]
    assert text_of(deep) == ""


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1763619600, "", "soon", 0])
def test_date_of_refuses_what_is_not_a_date(value):
    assert date_of(value) is None


@pytest.mark.parametrize(
    ("paragraphs", "headline"),
    [
        (("One. Two.",), "One."),
        (("Is it? Yes.",), "Is it?"),
        (("東京で大雨。交通が乱れた。",), "東京で大雨。"),
        (("no sentence end here",), "no sentence end here"),
        ((), ""),
    ],
)
def test_first_sentence(paragraphs, headline):
    assert first_sentence(paragraphs) == headline


# --- stored ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_stores_every_wrongly_typed_item(server, settings):
    settings.FETCH_FULL_TEXT = False
    items = [
        numbered(n, case[1], content_text=f"Story number {n}. {BODY}")
        for n, case in enumerate(WRONG_TYPES)
        if not case[0].startswith(("url-", "id-object"))
    ]
    url = server.add("/feed.json", feed_bytes(items), content_type="application/feed+json")
    source = Source.objects.create(url=url, name="News")
    refresh_source(source.pk)
    stored = Article.objects.filter(source=source)
    assert stored.count() == len(items)
    assert not stored.filter(headline="").exists()
    assert stored.get(url="https://news.example/a/0").guid == "4021"
