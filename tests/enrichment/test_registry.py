from typing import ClassVar

import pytest
from django.core.exceptions import ImproperlyConfigured

from tidings.enrichment import registry
from tidings.enrichment.checks import check_enrichment_pipeline
from tidings.enrichment.registry import build_pipeline, get_pipeline

HERE = "tests.enrichment.test_registry"


class Provider:
    name: ClassVar[str] = "provider"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"language"})
    stored_apart: ClassVar[frozenset[str]] = frozenset()
    setups: ClassVar[int] = 0

    def __init__(self, *, batch_size: int = 8) -> None:
        self.batch_size = batch_size

    def setup(self) -> None:
        type(self).setups += 1

    def process_batch(self, items):
        return []

    def store(self, values):
        pass


class Consumer(Provider):
    name: ClassVar[str] = "consumer"
    requires: ClassVar[frozenset[str]] = frozenset({"language"})
    provides: ClassVar[frozenset[str]] = frozenset({"entities"})


class NotAStage:
    def __init__(self) -> None:
        pass


class StoresNothing:
    """Everything a stage has but store()."""

    name: ClassVar[str] = "silent"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset({"language"})
    stored_apart: ClassVar[frozenset[str]] = frozenset()
    batch_size = 8

    def setup(self) -> None:
        pass

    def process_batch(self, items):
        return []


class ApartButNotProvided(Provider):
    stored_apart: ClassVar[frozenset[str]] = frozenset({"embedding"})


@pytest.fixture(autouse=True)
def fresh_registry():
    registry.reset()
    yield
    registry.reset()


def test_stages_are_built_in_order_with_their_options():
    pipeline = build_pipeline([(f"{HERE}.Provider", {"batch_size": 3}), (f"{HERE}.Consumer", {})])
    assert pipeline.names == ("provider", "consumer")
    assert pipeline.stages[0].batch_size == 3


def test_duplicate_stage_names_are_refused():
    with pytest.raises(ImproperlyConfigured, match="two enrichment stages are named 'provider'"):
        build_pipeline([(f"{HERE}.Provider", {}), (f"{HERE}.Provider", {})])


def test_unmet_requires_is_refused():
    with pytest.raises(ImproperlyConfigured, match="'consumer' requires language, which no earlier stage provides"):
        build_pipeline([(f"{HERE}.Consumer", {})])


def test_requires_met_only_by_a_later_stage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="requires language"):
        build_pipeline([(f"{HERE}.Consumer", {}), (f"{HERE}.Provider", {})])


def test_unimportable_stage_is_refused():
    with pytest.raises(ImproperlyConfigured, match="cannot be imported"):
        build_pipeline([(f"{HERE}.Missing", {})])


def test_unknown_option_is_refused():
    with pytest.raises(ImproperlyConfigured, match="does not accept options"):
        build_pipeline([(f"{HERE}.Provider", {"colour": "red"})])


def test_class_without_the_stage_interface_is_refused():
    with pytest.raises(ImproperlyConfigured, match="has no 'name'"):
        build_pipeline([(f"{HERE}.NotAStage", {})])


def test_class_without_store_is_refused():
    with pytest.raises(ImproperlyConfigured, match="has no 'store'"):
        build_pipeline([(f"{HERE}.StoresNothing", {})])


@pytest.mark.parametrize("size", [0, -1, 2.5, "8", True, None])
def test_batch_size_that_is_not_a_positive_integer_is_refused(size):
    with pytest.raises(ImproperlyConfigured, match=f"batch_size {size!r}, not a positive integer"):
        build_pipeline([(f"{HERE}.Provider", {"batch_size": size})])


def test_a_fact_stored_apart_must_be_provided():
    with pytest.raises(ImproperlyConfigured, match="stores embedding apart but does not provide it"):
        build_pipeline([(f"{HERE}.ApartButNotProvided", {})])


def test_malformed_entry_is_refused():
    with pytest.raises(ImproperlyConfigured, match="entry 1 should be"):
        build_pipeline([(f"{HERE}.Provider",)])


def test_pipeline_is_built_once_per_process(settings):
    settings.TIDINGS_ENRICHMENT_STAGES = [(f"{HERE}.Provider", {})]
    assert get_pipeline() is get_pipeline()


def test_reset_builds_a_new_pipeline(settings):
    settings.TIDINGS_ENRICHMENT_STAGES = [(f"{HERE}.Provider", {})]
    first = get_pipeline()
    registry.reset()
    assert get_pipeline() is not first


def test_setup_runs_once_per_stage():
    Provider.setups = 0
    pipeline = build_pipeline([(f"{HERE}.Provider", {})])
    pipeline.ensure_ready(pipeline.stages[0])
    pipeline.ensure_ready(pipeline.stages[0])
    assert Provider.setups == 1


def test_building_does_not_set_stages_up():
    Provider.setups = 0
    build_pipeline([(f"{HERE}.Provider", {}), (f"{HERE}.Consumer", {})])
    assert Provider.setups == 0


def test_system_check_reports_a_broken_pipeline(settings):
    settings.TIDINGS_ENRICHMENT_STAGES = [(f"{HERE}.Consumer", {})]
    [error] = check_enrichment_pipeline()
    assert error.id == "tidings.E001"
    assert "requires language" in error.msg


def test_system_check_passes_the_configured_pipeline():
    assert check_enrichment_pipeline() == []
