"""CategoryStage: IPTC categories from the embedding model plus publisher signals."""

import numpy as np
import pytest

from tidings.enrichment import embeddings
from tidings.enrichment.stage import ArticleText
from tidings.enrichment.stages.categories.stage import CategoryStage, category_links_from_values

WAR, POLITICS, SPORT = "medtop:16000000", "medtop:11000000", "medtop:15000000"
ECONOMY, HEALTH, SCIENCE, DISASTER = "medtop:04000000", "medtop:07000000", "medtop:13000000", "medtop:03000000"

FOOTBALL = ArticleText(
    1,
    "Late winner sends United top of the league",
    (
        "A stoppage-time header from the captain gave United a 2-1 win over City on Saturday, lifting them "
        "to the top of the table. The visitors had equalised from the penalty spot after the break, and the "
        "manager praised his side's fighting spirit.",
    ),
)
RATES = ArticleText(
    2,
    "Central bank raises interest rates to curb inflation",
    (
        "The central bank lifted its benchmark rate by a quarter point to 4.5 percent on Thursday, saying "
        "inflation remained too high. The currency strengthened and bond yields rose as the governor "
        "signalled further increases.",
    ),
)
VACCINE = ArticleText(
    3,
    "New malaria vaccine shows promise in trial",
    (
        "A new vaccine cut malaria cases among young children by 70 percent in a large clinical trial, "
        "researchers said. The shot, given in three doses, was safe and well tolerated, and regulators "
        "will review the data next year.",
    ),
)
ELECTION = ArticleText(
    4,
    "Opposition wins landslide in general election",
    (
        "The opposition party won a clear majority in Sunday's general election, ending twelve years in "
        "power for the governing coalition. Turnout was high, and the party leader, who will become prime "
        "minister, promised to form a cabinet within days.",
    ),
)
EARTHQUAKE = ArticleText(
    5,
    "Earthquake kills dozens in mountain region",
    (
        "A magnitude 6.8 earthquake struck the mountainous region overnight, collapsing homes and killing "
        "at least 45 people. Rescue teams were searching the rubble for survivors, and aftershocks forced "
        "thousands to sleep outdoors.",
    ),
)

DOWNLOADS = ArticleText(
    6,
    "Music fans turn to downloads as online sales of songs soar",
    (
        "Fans downloaded more songs from the internet than ever last year, as digital music players and "
        "smartphones replaced the compact disc. Users can now buy a single track online for less than a dollar, "
        "and file-sharing software is in decline.",
    ),
)
ARTS = "medtop:01000000"


@pytest.fixture(scope="module")
def stage():
    loaded = CategoryStage()
    loaded.setup()
    return loaded


def qcodes(output):
    return [c["qcode"] for c in output.values["categories"]]


def seed_article(seed_path):
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    end = lines.index("TheMediaLine") if "TheMediaLine" in lines else len(lines)
    return ArticleText(100, lines[0].strip(), tuple(line.strip() for line in lines[1:end] if line.strip()))


@pytest.mark.models
def test_seed_article_is_first_about_conflict_war_and_peace(stage, seed_path):
    [output] = stage.process_batch([seed_article(seed_path)])
    assert qcodes(output)[0] == WAR


@pytest.mark.models
def test_seed_article_has_politics_and_government_as_its_runner_up(stage, seed_path):
    # Politics is the next-best top-level category, but no longer a chosen further label: with descriptions written
    # from IPTC's scope alone (issue 12.1), the opening sentences' calls for de-escalation and foreign backing vote
    # for conflict (IPTC files peace processes and military intervention there), and politics holds about 6% of the
    # sentence votes, under the 8% a further label needs (a threshold BBC's one-label data cannot choose).
    [evidence] = stage.evidence([seed_article(seed_path)])
    ranked = sorted(evidence.scores, key=lambda code: evidence.scores[code], reverse=True)
    assert ranked[:2] == [WAR, POLITICS]
    assert evidence.scores[POLITICS] > 2 * max(evidence.scores[code] for code in ranked[2:])


@pytest.mark.models
@pytest.mark.parametrize(
    ("article", "expected_first"),
    [
        (FOOTBALL, {SPORT}),
        (RATES, {ECONOMY}),
        (VACCINE, {HEALTH, SCIENCE}),
        (ELECTION, {POLITICS}),
        (EARTHQUAKE, {DISASTER}),
    ],
    ids=["football", "rates", "vaccine", "election", "earthquake"],
)
def test_short_news_text_gets_its_obvious_category_first(stage, article, expected_first):
    [output] = stage.process_batch([article])
    assert qcodes(output)[0] in expected_first


@pytest.mark.models
def test_music_sold_as_downloads_is_technology_first_and_entertainment_second(stage):
    from tidings.taxonomy import iptc

    top_level = {c.qcode for c in iptc.load_categories() if c.level == 1}
    [output] = stage.process_batch([DOWNLOADS])
    assert [qcode for qcode in qcodes(output) if qcode in top_level][:2] == [SCIENCE, ARTS]


@pytest.mark.models
def test_one_batch_gives_one_output_per_item_in_order(stage):
    outputs = stage.process_batch([EARTHQUAKE, FOOTBALL, RATES])
    assert [o.article_id for o in outputs] == [5, 1, 2]
    assert [qcodes(o)[0] for o in outputs] == [DISASTER, SPORT, ECONOMY]


@pytest.mark.models
def test_scores_are_between_zero_and_one_and_best_first(stage):
    [output] = stage.process_batch([ELECTION])
    scores = [c["score"] for c in output.values["categories"]]
    assert all(0 < s <= 1 for s in scores)
    assert scores == sorted(scores, reverse=True)


@pytest.mark.models
def test_clearly_matched_second_level_category_follows_its_parent(stage):
    [output] = stage.process_batch([RATES])
    assert qcodes(output)[:2] == [ECONOMY, "medtop:20000344"]  # economy, business and finance > economy


@pytest.mark.models
def test_publisher_section_adds_a_category_the_text_does_not_suggest(stage):
    labelled = ArticleText(6, RATES.headline, RATES.paragraphs, url="https://news.example.org/sport/12345")
    [output] = stage.process_batch([labelled])
    by_code = {c["qcode"]: c for c in output.values["categories"]}
    assert by_code[SPORT]["origin"] == "publisher"
    assert by_code[ECONOMY]["origin"] == "model"


@pytest.mark.models
def test_publisher_label_alone_categorises_an_article_without_text(stage):
    [output] = stage.process_batch([ArticleText(7, "", (), publisher_categories=("Sport",))])
    assert output.values["categories"][0] == {"qcode": SPORT, "score": 0.5, "origin": "publisher"}


@pytest.mark.models
def test_article_without_text_gets_an_error_for_a_person(stage):
    [output] = stage.process_batch([ArticleText(8, "  ", ("",))])
    assert output.error == "the article has no text to categorise"


@pytest.mark.models
def test_article_in_another_language_gets_no_model_categories(stage):
    german = ArticleText(
        9, "Erdbeben tötet Dutzende", ("Ein starkes Erdbeben hat die Region erschüttert.",), facts={"language": "de"}
    )
    [output] = stage.process_batch([german])
    assert output.values == {"categories": []}


@pytest.mark.models
def test_empty_batch_gives_an_empty_list(stage):
    assert stage.process_batch([]) == []


@pytest.mark.models
def test_embeddings_are_unit_length_rows_of_384(stage):
    vectors = embeddings.embed(["Rebels entered the city.", "The team won the cup."])
    assert vectors.shape == (2, 384)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)


def test_missing_model_folder_is_a_clear_error(settings, tmp_path):
    settings.EMBEDDING_MODEL_PATH = str(tmp_path)
    embeddings.reset()
    try:
        with pytest.raises(embeddings.EmbeddingModelUnavailable, match="no sentence-transformers model at"):
            embeddings.get_model()
    finally:
        embeddings.reset()


def test_links_from_values_keep_well_formed_entries_best_first():
    values = {
        "categories": [
            {"qcode": SPORT, "score": 0.2, "origin": "model"},
            {"qcode": WAR, "score": 0.9, "origin": "publisher"},
            {"qcode": WAR, "score": "x", "origin": "model"},
            {"qcode": POLITICS, "score": 0.5, "origin": "editor"},
            "medtop:1",
        ]
    }
    assert category_links_from_values(values) == [
        {"qcode": WAR, "score": 0.9, "origin": "publisher"},
        {"qcode": SPORT, "score": 0.2, "origin": "model"},
    ]


def test_links_from_values_without_categories_are_empty():
    assert category_links_from_values({"language": "en"}) == []


@pytest.mark.models
def test_embedding_fact_from_the_embedding_stage_is_reused(stage):
    given = np.zeros(384, dtype=np.float32)
    given[0] = 1.0
    [evidence] = stage.evidence([ArticleText(10, RATES.headline, RATES.paragraphs, facts={"embedding": given})])
    assert np.array_equal(evidence.vector, given)


@pytest.mark.models
def test_without_an_embedding_fact_the_stage_embeds_the_opening_itself(stage):
    from tidings.enrichment.stages.embedding import EmbeddingStage

    [expected] = EmbeddingStage().process_batch([RATES])
    [evidence] = stage.evidence([RATES])
    assert evidence.vector == pytest.approx(expected.values["embedding"], abs=1e-5)


def test_every_top_level_category_has_example_sentences_of_its_own():
    from tidings.enrichment.stages.categories.stage import category_examples
    from tidings.taxonomy import iptc

    examples = category_examples()
    missing = [c.qcode for c in iptc.load_categories() if c.level == 1 and len(examples.get(c.qcode, ())) < 8]
    assert not missing
    written = [sentence for found in examples.values() for sentence in found]
    assert len(written) == len(set(written)), "an example sentence is given to two categories"


@pytest.mark.models
def test_evidence_records_the_actor_cues_it_added(stage):
    [evidence] = stage.evidence([RATES])
    assert evidence.cues[ECONOMY] > 0
    assert sum(evidence.scores.values()) == pytest.approx(1.0)
    assert evidence.scores != evidence.embedding_scores
    assert max(evidence.scores, key=evidence.scores.get) == ECONOMY


@pytest.mark.models
def test_without_cue_weight_the_scores_are_the_embedding_scores():
    from tidings.enrichment.stages.categories.evidence import EvidenceConfig

    [evidence] = CategoryStage(evidence_config=EvidenceConfig(weight=0.0), supervised=False).evidence([RATES])
    assert evidence.scores == evidence.embedding_scores
