"""The supervised category model: training on labels, prediction, the blend, its file, and editor corrections."""

import numpy as np
import pytest

from tidings.enrichment.stages.categories import model as category_model
from tidings.enrichment.stages.categories.model import (
    CategoryModelUnavailable,
    TrainingExample,
    blend_scores,
    blend_weight,
    load_model,
    save_model,
    train_model,
)

SPORT, ECONOMY, POLITICS = "medtop:15000000", "medtop:04000000", "medtop:11000000"


def cluster(centre: int, n: int, seed: int) -> list[np.ndarray]:
    """n unit vectors near the basis vector `centre` (of 384)."""
    rng = np.random.default_rng(seed)
    base = np.zeros(384)
    base[centre] = 1.0
    vectors = base + rng.normal(0, 0.15, size=(n, 384)) / np.sqrt(384) * 4
    return [v / np.linalg.norm(v) for v in vectors]


def examples(labels_by_centre: dict[int, frozenset[str]], n: int = 8) -> list[TrainingExample]:
    found = []
    for centre, labels in labels_by_centre.items():
        found += [TrainingExample(v, labels) for v in cluster(centre, n, seed=centre)]
    return found


def near(centre: int) -> np.ndarray:
    return cluster(centre, 1, seed=100 + centre)[0]


def test_model_learns_which_cluster_is_which_category():
    model = train_model(examples({0: frozenset({SPORT}), 1: frozenset({ECONOMY})}))
    assert model.predict(near(0))[SPORT] > 0.8
    assert model.predict(near(0))[ECONOMY] < 0.2


def test_editor_rejection_is_a_negative_example():
    rejected = [TrainingExample(v, frozenset(), frozenset({SPORT})) for v in cluster(2, 8, seed=2)]
    model = train_model(examples({0: frozenset({SPORT})}) + rejected)
    assert model.predict(near(2))[SPORT] < 0.2


def test_category_with_a_single_positive_is_left_to_zero_shot():
    single = [TrainingExample(near(3), frozenset({POLITICS}))]
    model = train_model(examples({0: frozenset({SPORT}), 1: frozenset({ECONOMY})}) + single)
    assert POLITICS not in model.qcodes


def test_training_without_labels_is_refused():
    with pytest.raises(ValueError, match="no training examples"):
        train_model([TrainingExample(near(0), frozenset())])


def test_blend_weight_grows_with_examples_and_is_capped():
    weights = [blend_weight(n) for n in (0, 5, 10, 300, 100_000)]
    assert weights[0] == 0.0
    assert weights == sorted(weights)
    assert weights[2] == pytest.approx(0.5)
    assert weights[-1] == category_model.MAX_WEIGHT


def test_blend_moves_known_categories_and_damps_the_others():
    blended = blend_scores({SPORT: 0.6, ECONOMY: 0.3, POLITICS: 0.1}, {SPORT: 0.0, ECONOMY: 1.0}, 0.5)
    assert blended == pytest.approx({SPORT: 0.3, ECONOMY: 0.65, POLITICS: 0.075})


def test_blend_without_a_supervised_model_keeps_the_zero_shot_scores():
    assert blend_scores({SPORT: 0.6, ECONOMY: 0.4}, {}, 0.5) == {SPORT: 0.6, ECONOMY: 0.4}


def test_saved_model_loads_with_the_same_predictions(tmp_path):
    model = train_model(examples({0: frozenset({SPORT}), 1: frozenset({ECONOMY})}), metadata={"note": "x"})
    loaded = load_model(save_model(model, tmp_path / "models" / "categories.joblib"))
    assert loaded.qcodes == model.qcodes
    assert loaded.predict(near(0)) == pytest.approx(model.predict(near(0)))
    assert loaded.metadata == {"note": "x"}


def test_unreadable_model_file_is_a_clear_error(tmp_path):
    path = tmp_path / "categories.joblib"
    path.write_bytes(b"not a model")
    with pytest.raises(CategoryModelUnavailable, match="could not read the category model"):
        load_model(path)


def test_no_model_file_means_no_supervised_model(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    category_model.reset()
    assert category_model.get_model() is None


# Editor corrections, end to end: admin service → stored links → training → the stage's later predictions.

ARTS, SCIENCE = "medtop:01000000", "medtop:13000000"
GAME_STORIES = [
    (
        "Studio delays its fantasy role-playing game to next spring",
        "The developer said the open-world game needed more polish before its release on consoles and PC.",
    ),
    (
        "Racing game sequel tops the download charts",
        "Players praised the new tracks and cars, and the publisher said sales beat the first game.",
    ),
    (
        "Horror game adaptation lands a streaming series",
        "The hit video game about a haunted lighthouse will become an eight-part drama next year.",
    ),
    (
        "Indie puzzle game wins best debut at awards night",
        "The two-person team behind the hand-drawn puzzle game collected the prize on stage in London.",
    ),
    (
        "Football video game drops licensed club kits",
        "Fans of the annual football game will see invented kits after the licence deal ended.",
    ),
    (
        "Shooter game season adds new maps and characters",
        "The free-to-play shooter game launched its third season with two maps and a new hero.",
    ),
]
SPORT_STORIES = [
    ("Champions win the final on penalties", "The holders kept their title after a goalless draw and a shoot-out."),
    ("Sprinter breaks the national record", "She ran the 100 metres in 10.8 seconds at the championships."),
    ("Captain signs a new three-year contract", "The midfielder will stay at the club until the end of 2029."),
]
NEW_GAME = (
    "Space trading game gets a release date",
    "The long-awaited space trading video game will launch on consoles in March, the studio said.",
)


def _article(headline: str, body: str):
    from tests.articles.factories import ArticleFactory

    return ArticleFactory(headline=headline, standfirst="", body_text=body, body_html=f"<p>{body}</p>")


def _score(stage, text: tuple[str, str], qcode: str) -> float:
    from tidings.enrichment.stage import ArticleText

    [output] = stage.process_batch([ArticleText(999, text[0], (text[1],))])
    return {c["qcode"]: c["score"] for c in output.values["categories"]}.get(qcode, 0.0)


@pytest.fixture
def fresh_model_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    category_model.reset()
    yield tmp_path
    category_model.reset()


@pytest.mark.models
@pytest.mark.django_db
def test_editor_corrections_and_retraining_improve_later_predictions(taxonomy, fresh_model_dir):
    from tidings.enrichment.stages.categories.stage import CategoryStage
    from tidings.enrichment.stages.categories.training import train_categories
    from tidings.taxonomy.linking import correct_category

    stage = CategoryStage()
    before = _score(stage, NEW_GAME, ARTS)
    for headline, body in GAME_STORIES:
        article = _article(headline, body)
        correct_category(article.pk, ARTS, belongs=True)
        correct_category(article.pk, SCIENCE, belongs=False)
    for headline, body in SPORT_STORIES:
        correct_category(_article(headline, body).pk, "medtop:15000000", belongs=True)

    report = train_categories()
    after = _score(stage, NEW_GAME, ARTS)

    assert report.path == fresh_model_dir / "models" / "categories.joblib"
    assert ARTS in report.categories
    assert after > before + 0.1


ARTS_AND_ENTERTAINMENT = "medtop:20000002"  # second level, under ARTS


@pytest.mark.models
@pytest.mark.django_db
def test_editor_correction_of_a_second_level_category_improves_later_predictions(taxonomy, fresh_model_dir):
    from tidings.enrichment.stages.categories.stage import CategoryStage
    from tidings.enrichment.stages.categories.training import train_categories
    from tidings.taxonomy.linking import correct_category

    stage = CategoryStage()
    before = _score(stage, NEW_GAME, ARTS_AND_ENTERTAINMENT)
    for headline, body in GAME_STORIES:  # filed under the sub-category only: its parent is implied
        correct_category(_article(headline, body).pk, ARTS_AND_ENTERTAINMENT, belongs=True)
    for headline, body in SPORT_STORIES:
        correct_category(_article(headline, body).pk, "medtop:20001108", belongs=True)  # sport > sport event

    report = train_categories()
    after = _score(stage, NEW_GAME, ARTS_AND_ENTERTAINMENT)

    assert {ARTS_AND_ENTERTAINMENT, ARTS} <= set(report.categories)
    assert after > before + 0.1


def test_second_level_positive_is_a_positive_for_its_parent():
    parents = {"medtop:20001108": SPORT}
    model = train_model(examples({0: frozenset({"medtop:20001108"}), 1: frozenset({ECONOMY})}), parents=parents)
    assert model.predict(near(0))[SPORT] > 0.8


def test_rejecting_a_parent_is_a_negative_for_its_children():
    parents = {"medtop:20001108": SPORT}
    rejected = [TrainingExample(v, frozenset(), frozenset({SPORT})) for v in cluster(2, 8, seed=2)]
    model = train_model(examples({0: frozenset({"medtop:20001108"})}) + rejected, parents=parents)
    assert model.predict(near(2))["medtop:20001108"] < 0.2


@pytest.mark.django_db
def test_training_without_labels_is_a_clear_error(taxonomy, fresh_model_dir):
    from tidings.enrichment.stages.categories.training import train_categories
    from tidings.lib.errors import InvalidInput

    with pytest.raises(InvalidInput, match="no labelled articles"):
        train_categories()


@pytest.mark.django_db
def test_editor_rejection_hides_the_article_from_the_category(taxonomy):
    from tidings.articles.models import Article
    from tidings.taxonomy.linking import correct_category, store_category_links
    from tidings.taxonomy.models import Category

    kept, rejected = _article("Cup final tonight", "The final starts at eight."), _article("Match", "A match.")
    for article in (kept, rejected):
        store_category_links(article.pk, [{"qcode": "medtop:15000000", "score": 0.9, "origin": "model"}])
    correct_category(rejected.pk, "medtop:15000000", belongs=False)
    sport = Category.objects.get(qcode="medtop:15000000")
    assert list(Article.objects.in_category(sport.pk)) == [kept]


@pytest.mark.django_db
def test_correcting_an_unknown_category_is_invalid_input(taxonomy):
    from tidings.lib.errors import InvalidInput
    from tidings.taxonomy.linking import correct_category

    with pytest.raises(InvalidInput, match="no category with the code"):
        correct_category(_article("A", "B").pk, "medtop:99999999", belongs=True)


@pytest.mark.django_db
def test_editor_rejects_a_category_in_the_article_admin(admin_client, taxonomy):
    from django.urls import reverse

    from tidings.taxonomy.models import ArticleCategory, Category

    article = _article("Cup final tonight", "The final starts at eight.")
    sport = Category.objects.get(qcode="medtop:15000000")
    form = {
        "source": article.source_id,
        "url": article.url,
        "guid": article.guid,
        "headline": article.headline,
        "standfirst": "",
        "body_text": article.body_text,
        "body_html": article.body_html,
        "author": "",
        "language": "en",
        "published_at_0": "2026-11-25",
        "published_at_1": "10:00:00",
        "category_links-TOTAL_FORMS": "1",
        "category_links-INITIAL_FORMS": "0",
        "category_links-0-category": sport.pk,
        "category_links-0-verdict": "not",
        "category_links-2-TOTAL_FORMS": "0",
        "category_links-2-INITIAL_FORMS": "0",
        "topic_links-TOTAL_FORMS": "0",
        "topic_links-INITIAL_FORMS": "0",
        "topic_links-2-TOTAL_FORMS": "0",  # the editor's "add topics" rows
        "topic_links-2-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    link = ArticleCategory.objects.get(article=article, category=sport)
    assert (link.origin, link.score) == ("editor", 0.0)
