"""Every configured stage keeps the stage contract (enrichment/stage.py) on awkward input."""

import json

import pytest
from django.conf import settings

from tidings.enrichment.registry import build_pipeline
from tidings.enrichment.stage import ArticleText, StageOutput, contract_problem

pytestmark = pytest.mark.models

CONFIGURED = [path for path, _ in settings.TIDINGS_ENRICHMENT_STAGES]

ITEMS = [
    ArticleText(
        11,
        "Parliament passes the water bill",
        (
            "Lawmakers in Lisbon approved the bill on Thursday after the European Commission raised concerns.",
            "The minister said farmers in the south would get help first.",
        ),
        standfirst="The vote was close.",
    ),
    ArticleText(12, "Regierung beschließt neues Klimagesetz", ("Der Bundestag stimmte am Freitag in Berlin zu.",)),
    ArticleText(13, "", ()),
    ArticleText(14, "2024 — 12:30", ("45 / 7",)),
]


@pytest.fixture(scope="session")
def configured_stages():
    """The configured stages, each set up once for the whole test session."""
    pipeline = build_pipeline(settings.TIDINGS_ENRICHMENT_STAGES)
    for stage in pipeline.stages:
        stage.setup()
    return pipeline.stages


@pytest.fixture(scope="session")
def stage_inputs(configured_stages):
    """For each stage, the items with the facts its earlier stages found."""
    facts = {item.article_id: {} for item in ITEMS}
    inputs = {}
    for stage in configured_stages:
        batch = [
            ArticleText(i.article_id, i.headline, i.paragraphs, i.standfirst, facts=dict(facts[i.article_id]))
            for i in ITEMS
        ]
        inputs[stage.name] = batch
        for output in stage.process_batch(batch):
            facts[output.article_id].update(output.values)
    return inputs


def stage_for(configured_stages, path):
    [stage] = [s for s in configured_stages if f"{type(s).__module__}.{type(s).__name__}" == path]
    return stage


@pytest.mark.parametrize("path", CONFIGURED)
def test_one_output_per_item_in_order(configured_stages, stage_inputs, path):
    stage = stage_for(configured_stages, path)
    outputs = stage.process_batch(stage_inputs[stage.name])
    assert [o.article_id for o in outputs] == [item.article_id for item in ITEMS]


@pytest.mark.parametrize("path", CONFIGURED)
def test_values_stay_within_provides(configured_stages, stage_inputs, path):
    stage = stage_for(configured_stages, path)
    for output in stage.process_batch(stage_inputs[stage.name]):
        assert set(output.values) <= set(stage.provides)


@pytest.mark.parametrize("path", CONFIGURED)
def test_values_can_be_stored_as_json(configured_stages, stage_inputs, path):
    stage = stage_for(configured_stages, path)
    for output in stage.process_batch(stage_inputs[stage.name]):
        # Facts the stage stores apart (embeddings) never go to the JSON column.
        values = {k: v for k, v in output.values.items() if k not in stage.stored_apart}
        assert json.loads(json.dumps(values)) == values


@pytest.mark.parametrize("path", CONFIGURED)
def test_batch_size_is_a_positive_integer(configured_stages, path):
    size = stage_for(configured_stages, path).batch_size
    assert type(size) is int
    assert size > 0


@pytest.mark.parametrize("path", CONFIGURED)
def test_facts_stored_apart_are_provided_and_it_can_store(configured_stages, path):
    stage = stage_for(configured_stages, path)
    assert stage.stored_apart <= stage.provides
    assert callable(stage.store)


@pytest.mark.parametrize("path", CONFIGURED)
def test_an_output_has_values_or_an_error_for_a_person(configured_stages, stage_inputs, path):
    stage = stage_for(configured_stages, path)
    outputs = stage.process_batch(stage_inputs[stage.name])
    assert len(outputs) == len(ITEMS)
    assert [contract_problem(output) for output in outputs] == [None] * len(ITEMS), outputs


def test_the_contract_check_rejects_an_output_with_neither_values_nor_an_error():
    """The check the test above relies on fails an empty output (more cases in test_runner.py)."""
    assert contract_problem(StageOutput(11)) == "the stage gave neither values nor an error"
    assert contract_problem(StageOutput(11, error=" ")) == "the stage gave an error without a message"


@pytest.mark.parametrize("path", CONFIGURED)
def test_empty_batch_gives_an_empty_list(configured_stages, path):
    assert stage_for(configured_stages, path).process_batch([]) == []
