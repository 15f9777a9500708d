import pytest

from tests.articles.factories import ArticleFactory
from tidings.taxonomy.models import Alias, ArticleTopic, Origin, Topic, TopicKind
from tidings.taxonomy.topics import store_topic_links

pytestmark = pytest.mark.django_db


def entity(name, kind="organisation", aliases=(), mentions=1, score=0.5, parent=None):
    return {
        "name": name,
        "kind": kind,
        "aliases": list(aliases),
        "mentions": mentions,
        "score": score,
        "parent": parent,
    }


def test_new_entity_creates_topic_with_its_aliases():
    article = ArticleFactory()
    store_topic_links(article.pk, [entity("Hayat Tahrir al-Sham", aliases=["HTS"])])
    topic = Topic.objects.get()
    assert (topic.name, topic.kind) == ("Hayat Tahrir al-Sham", TopicKind.ORGANISATION)
    assert set(topic.aliases.values_list("key", flat=True)) == {"hayat tahrir al-sham", "hts"}


def test_acronym_alone_resolves_to_the_long_form_topic():
    first, second = ArticleFactory(), ArticleFactory()
    store_topic_links(first.pk, [entity("Hayat Tahrir al-Sham", aliases=["HTS"])])
    store_topic_links(second.pk, [entity("HTS", kind="person")])
    assert Topic.objects.count() == 1
    assert ArticleTopic.objects.get(article=second).topic.name == "Hayat Tahrir al-Sham"


def test_other_spellings_do_not_make_a_second_topic():
    first, second = ArticleFactory(), ArticleFactory()
    store_topic_links(first.pk, [entity("Turkey", kind="place", aliases=["Türkiye"])])
    store_topic_links(second.pk, [entity("TURKIYE", kind="place"), entity("the Turkey", kind="place")])
    assert Topic.objects.count() == 1
    assert ArticleTopic.objects.filter(article=second).count() == 1


def test_two_spellings_in_one_article_make_one_link():
    article = ArticleFactory()
    store_topic_links(
        article.pk,
        [
            entity("United States", kind="place", aliases=["US"], mentions=2, score=0.4),
            entity("US", kind="place", mentions=3, score=0.9),
        ],
    )
    link = ArticleTopic.objects.get(article=article)
    assert (link.mentions, link.score) == (5, 0.9)


def test_city_gets_its_country_as_parent():
    article = ArticleFactory()
    store_topic_links(article.pk, [entity("Aleppo", kind="place", parent="Syria")])
    aleppo = Topic.objects.get(name="Aleppo")
    assert aleppo.parent is not None and aleppo.parent.name == "Syria"
    assert aleppo.parent.kind == TopicKind.PLACE


def test_parent_reuses_the_existing_country_topic():
    article = ArticleFactory()
    store_topic_links(
        article.pk,
        [
            entity("Syria", kind="place", aliases=["Syrian Arab Republic"]),
            entity("Idlib", kind="place", parent="Syria"),
        ],
    )
    assert Topic.objects.filter(name="Syria").count() == 1
    assert Topic.objects.get(name="Idlib").parent == Topic.objects.get(name="Syria")


def test_links_are_replaced_on_a_second_run():
    article = ArticleFactory()
    store_topic_links(article.pk, [entity("NATO"), entity("Hamas")])
    store_topic_links(article.pk, [entity("NATO", score=0.8)])
    links = ArticleTopic.objects.filter(article=article)
    assert [(link.topic.name, link.score) for link in links] == [("NATO", 0.8)]


def test_editor_links_survive_a_model_run():
    article = ArticleFactory()
    topic = Topic.objects.create(kind=TopicKind.KEYWORD, name="Ceasefire")
    ArticleTopic.objects.create(article=article, topic=topic, score=1.0, origin=Origin.EDITOR)
    store_topic_links(article.pk, [entity("NATO")])
    assert ArticleTopic.objects.filter(article=article, origin=Origin.EDITOR).count() == 1


def test_alias_of_another_topic_is_not_taken_over():
    article = ArticleFactory()
    store_topic_links(article.pk, [entity("Republic of the Congo", kind="place", aliases=["Congo"])])
    store_topic_links(article.pk, [entity("Democratic Republic of the Congo", kind="place", aliases=["Congo"])])
    assert Alias.objects.get(key="congo").topic.name == "Republic of the Congo"
    assert Topic.objects.count() == 2


def test_entity_without_a_name_is_skipped():
    article = ArticleFactory()
    store_topic_links(article.pk, [{"name": "  ", "kind": "person"}, entity("NATO")])
    assert list(Topic.objects.values_list("name", flat=True)) == ["NATO"]


def test_unknown_kind_becomes_keyword():
    article = ArticleFactory()
    store_topic_links(article.pk, [entity("Climate summit", kind="vibe")])
    assert Topic.objects.get().kind == TopicKind.KEYWORD
