import pytest

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.taxonomy.gazetteer import build_gazetteer, default_gazetteer
from tidings.taxonomy.models import ArticleTopic, Topic
from tidings.taxonomy.rollup import gazetteer_chain, rollup_scores
from tidings.taxonomy.topics import store_topic_links


def place(name, score=0.8, parent=None):
    return {"name": name, "kind": "place", "aliases": [], "mentions": 2, "score": score, "parent": parent}


def test_packaged_gazetteer_chains_a_city_to_its_country_and_region():
    assert gazetteer_chain("Aleppo", default_gazetteer()) == ("Syria", "Middle East")


def test_country_rolls_up_to_its_world_region():
    assert gazetteer_chain("France", default_gazetteer()) == ("Europe",)


def test_gazetteer_chain_stops_at_a_cycle():
    gazetteer = build_gazetteer(
        {
            "countries": [{"name": "Atlantis", "region": "Lemuria"}],
            "regions": [{"name": "Lemuria", "country": "Atlantis"}],
        }
    )
    assert gazetteer_chain("Atlantis", gazetteer) == ("Lemuria",)


def test_rollup_halves_the_score_per_level():
    assert rollup_scores({1: 0.8}, {1: 2, 2: 3, 3: None}) == {2: 0.4, 3: 0.2}


def test_rollup_keeps_the_best_score_from_two_places():
    assert rollup_scores({1: 0.8, 4: 0.2}, {1: 2, 4: 2, 2: None}) == {2: 0.4}


def test_rollup_skips_a_place_the_article_names_itself():
    assert rollup_scores({1: 0.8, 2: 0.5}, {1: 2, 2: None}) == {}


def test_rollup_survives_a_parent_cycle():
    assert rollup_scores({1: 0.8}, {1: 2, 2: 1}) == {2: 0.4}


@pytest.mark.django_db
def test_article_about_aleppo_is_found_under_syria_and_the_middle_east():
    article = ArticleFactory()
    store_topic_links(article.pk, [place("Aleppo", parent="Syria")])
    syria = Topic.objects.get(name="Syria")
    assert syria.parent is not None and syria.parent.name == "Middle East"
    assert list(Article.objects.filter(topic_links__topic=syria)) == [article]
    assert Article.objects.filter(topic_links__topic=syria.parent).count() == 1


@pytest.mark.django_db
def test_rollup_links_are_weaker_and_have_no_mentions():
    article = ArticleFactory()
    store_topic_links(article.pk, [place("Aleppo", score=0.8, parent="Syria")])
    links = {link.topic.name: (link.score, link.mentions) for link in ArticleTopic.objects.filter(article=article)}
    assert links == {"Aleppo": (0.8, 2), "Syria": (0.4, 0), "Middle East": (0.2, 0)}


@pytest.mark.django_db
def test_rollup_follows_an_editors_parent_change():
    article = ArticleFactory()
    store_topic_links(article.pk, [place("Aleppo", parent="Syria")])
    levant = Topic.objects.create(kind="place", name="Levant")
    Topic.objects.filter(name="Aleppo").update(parent=levant)
    store_topic_links(article.pk, [place("Aleppo", parent="Syria")])
    names = set(ArticleTopic.objects.filter(article=article).values_list("topic__name", flat=True))
    assert names == {"Aleppo", "Levant"}


@pytest.mark.django_db
def test_named_country_keeps_its_own_link_rather_than_a_rollup():
    article = ArticleFactory()
    store_topic_links(article.pk, [place("Aleppo", score=0.5, parent="Syria"), place("Syria", score=1.0)])
    link = ArticleTopic.objects.get(article=article, topic__name="Syria")
    assert (link.score, link.mentions) == (1.0, 2)


def test_every_inhabited_country_lies_in_a_known_world_region():
    gazetteer = default_gazetteer()
    regions = {e.name for e in gazetteer.entries if e.group == "region"}
    countries = [e for e in gazetteer.entries if e.group == "country"]
    without = {e.name for e in countries if e.parent is None}
    assert {e.parent for e in countries if e.parent} <= regions
    assert without <= {
        "Antarctica",
        "Bouvet Island",
        "French Southern and Antarctic Lands",
        "Heard Island and McDonald Islands",
    }
