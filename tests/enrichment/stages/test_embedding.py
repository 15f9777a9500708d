"""EmbeddingStage (one vector per article) and vectors.py (ArticleEmbedding storage and nearest neighbours)."""

import numpy as np
import pytest

from tests.articles.factories import ArticleFactory
from tidings.enrichment import vectors
from tidings.enrichment.embeddings import as_vector
from tidings.enrichment.models import ArticleEmbedding
from tidings.enrichment.stage import ArticleText
from tidings.enrichment.stages.embedding import NO_TEXT, EmbeddingStage, opening_text

FOOTBALL = ArticleText(1, "Late winner sends United top", ("A stoppage-time header gave United a 2-1 win.",))
RATES = ArticleText(2, "Central bank raises interest rates", ("The bank lifted its rate to curb inflation.",))
CUP = ArticleText(3, "City knocked out of the cup", ("A late goal ended City's run in the cup on Sunday.",))


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=384).astype(np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture(scope="module")
def stage():
    loaded = EmbeddingStage()
    loaded.setup()
    return loaded


@pytest.mark.models
def test_each_article_gets_one_unit_vector_of_384(stage):
    outputs = stage.process_batch([FOOTBALL, RATES])
    assert [o.article_id for o in outputs] == [1, 2]
    assert all(o.values["embedding"].shape == (384,) for o in outputs)
    assert np.linalg.norm(outputs[0].values["embedding"]) == pytest.approx(1.0, abs=1e-5)


@pytest.mark.models
def test_similar_stories_have_closer_vectors(stage):
    football, rates, cup = (o.values["embedding"] for o in stage.process_batch([FOOTBALL, RATES, CUP]))
    assert football @ cup > football @ rates


@pytest.mark.models
def test_article_without_text_gets_an_error_and_the_batch_goes_on(stage):
    outputs = stage.process_batch([ArticleText(4, " ", ("",)), RATES])
    assert outputs[0].error == NO_TEXT
    assert outputs[1].values["embedding"].shape == (384,)


@pytest.mark.models
def test_empty_batch_gives_an_empty_list(stage):
    assert stage.process_batch([]) == []


def test_opening_text_reads_headline_standfirst_and_paragraphs():
    item = ArticleText(5, "Headline", ("First paragraph.", "Second."), standfirst="Standfirst.")
    assert opening_text(item) == "Headline Standfirst. First paragraph. Second."


def test_as_vector_rejects_wrong_sizes_and_normalises():
    assert as_vector([1.0, 2.0]) is None
    assert as_vector("not numbers") is None
    assert np.linalg.norm(as_vector(np.full(384, 3.0))) == pytest.approx(1.0)


@pytest.mark.django_db
def test_stored_embeddings_load_back_unchanged():
    article = ArticleFactory()
    vectors.store_embeddings({article.pk: unit(1)})
    loaded = vectors.load_embeddings([article.pk])
    assert np.allclose(loaded[article.pk], unit(1))


@pytest.mark.django_db
def test_storing_again_replaces_the_vector():
    article = ArticleFactory()
    vectors.store_embeddings({article.pk: unit(1)})
    vectors.store_embeddings({article.pk: unit(2)})
    assert ArticleEmbedding.objects.count() == 1
    assert np.allclose(vectors.load_embeddings([article.pk])[article.pk], unit(2))


@pytest.mark.django_db
def test_malformed_vector_is_skipped_not_stored():
    article = ArticleFactory()
    assert vectors.store_embeddings({article.pk: [0.5, 0.5]}) == 0
    assert not ArticleEmbedding.objects.exists()


@pytest.mark.django_db
def test_the_stage_stores_list_values_as_vectors():
    article = ArticleFactory()
    EmbeddingStage().store({article.pk: {"embedding": unit(3).tolist()}})
    assert np.allclose(vectors.load_embeddings([article.pk])[article.pk], unit(3), atol=1e-6)


@pytest.mark.django_db
def test_nearest_finds_the_most_similar_articles_first_without_excluded_ones():
    query, close, far, itself = ArticleFactory(), ArticleFactory(), ArticleFactory(), ArticleFactory()
    near = unit(1) + 0.2 * unit(2)
    vectors.store_embeddings({query.pk: unit(1), close.pk: near, far.pk: unit(3), itself.pk: unit(1)})
    found = vectors.nearest(unit(1), k=2, exclude_ids=[query.pk, itself.pk])
    assert [pk for pk, _ in found] == [close.pk, far.pk]
    assert found[0][1] > found[1][1]
