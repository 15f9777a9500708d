"""The content-hash dedup key (issue 17): articles.keys.content_key, its index, migration 0008's fill, and the
store's exact comparison after a key match. Runs on SQLite and on PostgreSQL (scripts/with-postgres)."""

from __future__ import annotations

import hashlib
import importlib
import re

import pytest
from django.apps import apps
from django.db import connection

from tests.articles.factories import ArticleFactory
from tests.articles.test_list_indexes import _Editor, _indexes_on, _prefer_indexes
from tests.web.test_query_plans import only_index
from tidings.articles.keys import content_key
from tidings.articles.models import Article
from tidings.ingest.parse.document import item_keys
from tidings.ingest.store import store_articles
from tidings.ingest.types import ExtractedArticle
from tidings.sources.models import Source

MIGRATION = importlib.import_module("tidings.articles.migrations.0008_article_content_key")
BODY = tuple(
    f"Paragraph {n} tells the long story of the harbour council, its pier and its plan for spring." for n in range(6)
)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_key_is_the_hash_first_eight_bytes_signed():
    assert content_key("00000000000000ff" + "a" * 48) == 255
    assert content_key("ffffffffffffffff" + "0" * 48) == -1
    assert content_key("8000000000000000" + "1" * 48) == -(2**63)
    digest = _sha("council")
    assert content_key(digest) == int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)
    assert content_key(digest.upper()) == content_key(digest)


def test_a_hash_without_sixteen_hex_digits_is_keyed_by_its_own_sha256():
    assert content_key("bulk7") == content_key("bulk7")
    assert content_key("bulk7") != content_key("bulk8")
    assert -(2**63) <= content_key("not hex at all, zz") < 2**63


@pytest.mark.django_db
def test_save_and_bulk_create_set_the_key():
    saved = ArticleFactory(content_hash=_sha("one"))
    bulk = Article.objects.bulk_create([Article(source=saved.source, headline="Two", content_hash=_sha("two"))])[0]
    assert Article.objects.get(pk=saved.pk).content_key == content_key(_sha("one"))
    assert Article.objects.get(pk=bulk.pk).content_key == content_key(_sha("two"))
    saved.content_hash = _sha("three")
    saved.save(update_fields=["content_hash"])
    assert Article.objects.get(pk=saved.pk).content_key == content_key(_sha("three"))


@pytest.mark.django_db
def test_the_content_hash_has_no_index_and_the_key_has_one():
    assert _indexes_on("content_hash") == {}
    assert list(_indexes_on("content_key")) == ["article_content_key"]


@pytest.mark.django_db
def test_the_key_lookup_reads_its_index():
    for n in range(5):
        ArticleFactory(content_hash=_sha(f"article {n}"))
    _prefer_indexes()
    query = Article.objects.filter(content_key__in=[content_key(_sha("article 1")), 7]).values_list("content_hash")
    if connection.vendor == "postgresql":
        only_index(str(query.query), "article_content_key")
    plan = query.explain()
    assert "article_content_key" in plan, plan
    assert "Seq Scan" not in plan and not re.search(r"\bSCAN articles_article\b(?! USING)", plan), plan


@pytest.mark.django_db
def test_migration_fill_gives_the_python_key_on_this_database():
    hashes = [
        _sha("a"),
        "ffffffffffffffff" + "0" * 48,
        "8" + "0" * 63,
        "0" * 64,
        "ABCDEF0123456789" + "f" * 48,
        "bulk1",
    ]
    made = [ArticleFactory(content_hash=h) for h in hashes]
    Article.objects.update(content_key=None)
    MIGRATION.fill_content_key(apps, _Editor())
    stored = dict(Article.objects.filter(pk__in=[a.pk for a in made]).values_list("content_hash", "content_key"))
    assert stored == {h: content_key(h) for h in hashes}
    assert not Article.objects.filter(content_key__isnull=True).exists()


@pytest.mark.django_db
def test_migration_backwards_restores_the_content_hash_index_once():
    if connection.vendor == "postgresql":  # no DDL with deferred foreign-key checks pending (as test_search)
        _Editor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    MIGRATION.restore_content_hash_index(None, _Editor())
    MIGRATION.restore_content_hash_index(None, _Editor())
    assert len(_indexes_on("content_hash")) == 1
    MIGRATION.drop_content_hash_index(None, _Editor())
    assert _indexes_on("content_hash") == {}


def _item(url: str, headline: str = "Council vote") -> ExtractedArticle:
    return ExtractedArticle(headline=headline, paragraphs=BODY, url=url)


@pytest.mark.django_db
def test_identical_content_under_another_address_is_a_duplicate():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    assert len(store_articles(source, [_item("https://harbour.example.org/a")], enrich=False).created) == 1
    other = Source.objects.create(name="Syndicate", url="https://syndicate.example.net/feed")
    result = store_articles(other, [_item("https://syndicate.example.net/copy/a")], enrich=False)
    assert (len(result.created), result.duplicates) == (0, 1)


@pytest.mark.django_db
def test_a_different_hash_sharing_the_key_is_no_duplicate():
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    item = _item("https://harbour.example.org/a")
    digest = item_keys(item).content_hash
    assert item_keys(item).hash_identifies
    twin = digest[:16] + ("0" if digest[16] != "0" else "1") + digest[17:]  # another hash, the same key
    assert twin != digest and content_key(twin) == content_key(digest)
    ArticleFactory(content_hash=twin, url="https://elsewhere.example.com/x")
    result = store_articles(source, [item], enrich=False)
    assert (len(result.created), result.duplicates) == (1, 0)
    assert Article.objects.filter(content_key=content_key(digest)).count() == 2
    again = store_articles(source, [_item("https://harbour.example.org/b")], enrich=False)  # the hash is stored
    assert (len(again.created), again.duplicates) == (0, 1)


@pytest.mark.django_db
def test_a_large_batch_looks_hashes_up_by_key_and_compares_them(monkeypatch):
    """Over KNOWN_QUERY_VALUES values the lookups run one by one (store._existing): the same exact rule."""
    import tidings.ingest.store as store

    monkeypatch.setattr(store, "KNOWN_QUERY_VALUES", 1)
    source = Source.objects.create(name="Harbour Times", url="https://harbour.example.org/feed")
    item = _item("https://harbour.example.org/a")
    digest = item_keys(item).content_hash
    ArticleFactory(content_hash=digest[:16] + "f" * 48 if digest[16:] != "f" * 48 else digest[:16] + "0" * 48)
    assert len(store_articles(source, [item], enrich=False).created) == 1
    copy = _item("https://syndicate.example.net/copy/a")
    assert store_articles(source, [copy], enrich=False).duplicates == 1
