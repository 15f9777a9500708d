import datetime as dt
import logging
from dataclasses import replace
from io import StringIO
from typing import ClassVar

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.enrichment import registry, runner
from tidings.enrichment.models import StageResult
from tidings.enrichment.runner import enrich_articles
from tidings.enrichment.stage import StageOutput, contract_problem
from tidings.enrichment.stages.entities.stage import EntityStage
from tidings.enrichment.stages.language import LanguageStage
from tidings.enrichment.tasks import enrich_articles as enrich_task
from tidings.lib.errors import InvalidInput
from tidings.taxonomy.models import ArticleTopic

pytestmark = pytest.mark.django_db

HERE = "tests.enrichment.test_runner"
calls: list[tuple[str, list[int]]] = []


class FakeLanguage(LanguageStage):
    """The real stage's store() (Article.language), with a fake detector."""

    setups: ClassVar[int] = 0

    def __init__(self, *, batch_size: int = 2) -> None:
        self.batch_size = batch_size

    def setup(self) -> None:
        type(self).setups += 1

    def process_batch(self, items):
        calls.append((self.name, [item.article_id for item in items]))
        return [
            StageOutput(item.article_id, error="no text")
            if "EMPTY" in item.headline
            else StageOutput(item.article_id, {"language": "de" if "Zeitung" in item.headline else "en"})
            for item in items
        ]


class FakeEntities(EntityStage):
    """The real stage's store() (topic links), with fake entities."""

    version: ClassVar[int] = 1

    def __init__(self, *, batch_size: int = 10) -> None:
        self.batch_size = batch_size

    def setup(self) -> None:
        pass

    def process_batch(self, items):
        calls.append((self.name, [item.article_id for item in items]))
        if any("CRASH" in item.headline for item in items):
            raise RuntimeError("the model fell over")
        return [
            StageOutput(
                item.article_id,
                {
                    "entities": [
                        {
                            "name": f"Lang {item.facts.get('language')}",
                            "kind": "keyword",
                            "aliases": [],
                            "mentions": 1,
                            "score": 1.0,
                            "parent": None,
                        }
                    ],
                    "stray": 1,
                },
            )
            for item in items
        ]


class FakeEntitiesV2(FakeEntities):
    version: ClassVar[int] = 2


class RecordingStore(FakeLanguage):
    """Provides a "blob" it keeps apart from StageResult's JSON, and records what store() is given."""

    provides: ClassVar[frozenset[str]] = frozenset({"language", "blob"})
    stored_apart: ClassVar[frozenset[str]] = frozenset({"blob"})
    stored: ClassVar[list[dict[int, dict[str, object]]]] = []

    def process_batch(self, items):
        return [
            replace(output, values={**output.values, "blob": b"bytes"}) if output.error is None else output
            for output in super().process_batch(items)
        ]

    def store(self, values):
        type(self).stored.append({pk: dict(found) for pk, found in values.items()})
        if any(found["language"] == "de" for found in values.values()):
            raise RuntimeError("the other table is gone")


class FakeSilentLanguage(FakeLanguage):
    """Breaks the contract: nothing at all for a "SILENT" headline, a blank error for a "BLANK" one."""

    def process_batch(self, items):
        outputs = super().process_batch(items)
        return [
            StageOutput(item.article_id)
            if "SILENT" in item.headline
            else StageOutput(item.article_id, error="  ")
            if "BLANK" in item.headline
            else output
            for item, output in zip(items, outputs, strict=True)
        ]


STAGES = [(f"{HERE}.FakeLanguage", {}), (f"{HERE}.FakeEntities", {})]


@pytest.fixture(autouse=True)
def fake_pipeline(settings):
    settings.TIDINGS_ENRICHMENT_STAGES = list(STAGES)
    registry.reset()
    calls.clear()
    FakeLanguage.setups = 0
    yield
    registry.reset()


def use_stages(settings, stages):
    settings.TIDINGS_ENRICHMENT_STAGES = stages
    registry.reset()


def test_each_stage_stores_one_result_per_article():
    article = ArticleFactory()
    enrich_articles([article.pk])
    assert sorted(StageResult.objects.values_list("stage", "version")) == [("entities", 1), ("language", 1)]


def test_stages_run_in_batches_of_their_batch_size():
    ids = [ArticleFactory().pk for _ in range(5)]
    enrich_articles(ids)
    assert [len(batch) for name, batch in calls if name == "language"] == [2, 2, 1]


def test_articles_are_loaded_in_one_query():
    ids = [ArticleFactory().pk for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        enrich_articles(ids)
    sqls = [q["sql"] for q in queries.captured_queries]
    # Rows loaded (their text); trending's counts read only times of the articles whose topic links were written
    # (taxonomy.trend_counts), which is no loading of articles.
    reads = [sql for sql in sqls if sql.startswith("SELECT") and '"articles_article"."body_text"' in sql]
    assert len(reads) == 1


def test_later_stage_sees_earlier_facts():
    article = ArticleFactory(headline="Die Zeitung berichtet")
    enrich_articles([article.pk])
    assert StageResult.objects.get(stage="entities").values["entities"][0]["name"] == "Lang de"


def test_values_outside_provides_are_not_stored():
    article = ArticleFactory()
    enrich_articles([article.pk])
    assert set(StageResult.objects.get(stage="entities").values) == {"entities"}


def test_current_results_are_skipped():
    article = ArticleFactory()
    enrich_articles([article.pk])
    calls.clear()
    report = enrich_articles([article.pk])
    assert calls == []
    assert report.skipped == {"language": 1, "entities": 1}


def test_force_runs_current_results_again():
    article = ArticleFactory()
    enrich_articles([article.pk])
    calls.clear()
    enrich_articles([article.pk], force=True)
    assert [name for name, _ in calls] == ["language", "entities"]


def test_version_bump_reruns_only_that_stage(settings):
    article = ArticleFactory()
    enrich_articles([article.pk])
    use_stages(settings, [(f"{HERE}.FakeLanguage", {}), (f"{HERE}.FakeEntitiesV2", {})])
    calls.clear()
    enrich_articles([article.pk])
    assert [name for name, _ in calls] == ["entities"]
    assert StageResult.objects.get(stage="entities").version == 2


def test_stage_run_alone_uses_stored_facts():
    article = ArticleFactory(headline="Die Zeitung berichtet")
    enrich_articles([article.pk], stages=["language"])
    enrich_articles([article.pk], stages=["entities"])
    assert StageResult.objects.get(stage="entities").values["entities"][0]["name"] == "Lang de"


def test_item_error_is_recorded_and_the_batch_goes_on():
    bad, good = ArticleFactory(headline="EMPTY"), ArticleFactory(headline="Die Zeitung")
    report = enrich_articles([bad.pk, good.pk])
    assert StageResult.objects.get(article=bad, stage="language").error == "no text"
    good.refresh_from_db()
    assert good.language == "de"
    assert report.errors == {"language": 1}


@pytest.mark.parametrize(
    ("output", "problem"),
    [
        (StageOutput(1, {"language": "en"}), None),
        (StageOutput(1, error="no text"), None),
        (StageOutput(1, {"entities": []}), None),  # an empty list is an answer: nothing found
        (StageOutput(1), "neither values nor an error"),
        (StageOutput(1, {}, error=None), "neither values nor an error"),
        (StageOutput(1, error=""), "an error without a message"),
        (StageOutput(1, error="   "), "an error without a message"),
    ],
)
def test_contract_problem_rejects_an_output_with_neither_values_nor_a_message(output, problem):
    found = contract_problem(output)
    assert found is None if problem is None else problem in found


def test_output_breaking_the_contract_is_stored_as_an_item_error(settings, caplog):
    use_stages(settings, [(f"{HERE}.FakeSilentLanguage", {})])
    silent = ArticleFactory(headline="SILENT", language="")
    blank = ArticleFactory(headline="BLANK", language="")
    good = ArticleFactory(headline="Die Zeitung", language="")
    with caplog.at_level(logging.WARNING):
        report = enrich_articles([silent.pk, blank.pk, good.pk])
    assert report.errors == {"language": 2}
    errors = dict(StageResult.objects.values_list("article_id", "error"))
    assert errors == {
        silent.pk: "the stage gave neither values nor an error",
        blank.pk: "the stage gave an error without a message",
        good.pk: "",
    }
    assert StageResult.objects.get(article=silent).values == {}
    languages = dict(Article.objects.filter(pk__in=[silent.pk, blank.pk, good.pk]).values_list("pk", "language"))
    assert languages == {silent.pk: "", blank.pk: "", good.pk: "de"}
    assert f"stage_contract_broken stage=language article={silent.pk}" in caplog.text


def test_output_left_empty_by_dropping_stray_values_breaks_the_contract(settings):
    class OnlyStray(FakeLanguage):
        def process_batch(self, items):
            return [StageOutput(item.article_id, {"stray": 1}) for item in items]

    article = ArticleFactory()
    outputs = runner._run_batch(OnlyStray(), [runner.article_text(article, {})])
    assert outputs == [StageOutput(article.pk, error="the stage gave neither values nor an error")]


def test_batch_exception_is_logged_and_raised(caplog):
    article = ArticleFactory(headline="CRASH now")
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="fell over"):
        enrich_articles([article.pk])
    assert "stage_batch_failed stage=entities" in caplog.text


def test_language_is_applied_to_the_article():
    article = ArticleFactory(headline="Die Zeitung", language="")
    enrich_articles([article.pk])
    article.refresh_from_db()
    assert article.language == "de"


def test_entities_become_topic_links():
    article = ArticleFactory()
    enrich_articles([article.pk])
    assert [link.topic.name for link in ArticleTopic.objects.filter(article=article)] == ["Lang en"]


def test_enriched_at_is_set():
    article = ArticleFactory()
    enrich_articles([article.pk])
    article.refresh_from_db()
    assert article.enriched_at is not None


def test_setup_runs_once_for_many_runs():
    enrich_articles([ArticleFactory().pk])
    enrich_articles([ArticleFactory().pk])
    assert FakeLanguage.setups == 1


def test_unknown_stage_name_is_invalid_input():
    with pytest.raises(InvalidInput, match="unknown enrichment stage colour; configured stages: language, entities"):
        enrich_articles([ArticleFactory().pk], stages=["colour"])


def test_missing_articles_are_reported():
    report = enrich_articles([987654])
    assert (report.articles, report.missing) == (0, [987654])


def test_store_gets_the_good_outputs_and_facts_kept_apart_stay_out_of_the_json(settings):
    use_stages(settings, [(f"{HERE}.RecordingStore", {"batch_size": 5})])
    RecordingStore.stored.clear()
    bad, good = ArticleFactory(headline="EMPTY"), ArticleFactory(headline="English news")
    enrich_articles([bad.pk, good.pk])
    assert RecordingStore.stored == [{good.pk: {"language": "en", "blob": b"bytes"}}]
    assert StageResult.objects.get(article=good).values == {"language": "en"}
    assert StageResult.objects.get(article=bad).error == "no text"


def test_a_failing_store_leaves_no_result_for_its_batch(settings):
    use_stages(settings, [(f"{HERE}.RecordingStore", {"batch_size": 1})])
    stored, failing = ArticleFactory(headline="English news"), ArticleFactory(headline="Die Zeitung")
    enrich_articles([stored.pk])
    with pytest.raises(RuntimeError, match="the other table is gone"):
        enrich_articles([failing.pk])
    assert list(StageResult.objects.values_list("article_id", flat=True)) == [stored.pk]


def test_task_enriches_the_articles():
    article = ArticleFactory()
    result = enrich_task.enqueue([article.pk])
    assert result.return_value["articles"] == 1
    assert StageResult.objects.filter(article=article).count() == 2


def test_command_enriches_only_articles_with_stale_results():
    done, fresh = ArticleFactory(), ArticleFactory()
    enrich_articles([done.pk])
    calls.clear()
    call_command("enrich", "--all", stdout=StringIO(), stderr=StringIO())
    assert {pk for _, batch in calls for pk in batch} == {fresh.pk}


def test_command_with_force_enriches_everything():
    done = ArticleFactory()
    enrich_articles([done.pk])
    calls.clear()
    call_command("enrich", "--all", "--force", "--stage", "language", stdout=StringIO(), stderr=StringIO())
    assert calls == [("language", [done.pk])]


def test_command_since_selects_by_publication_date():
    old = ArticleFactory(published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    new = ArticleFactory(published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    call_command("enrich", "--since", "2025-06-01", stdout=StringIO(), stderr=StringIO())
    assert StageResult.objects.filter(article=new).exists()
    assert not StageResult.objects.filter(article=old).exists()


def test_command_source_selects_one_source():
    mine, other = ArticleFactory(), ArticleFactory()
    call_command("enrich", "--source", str(mine.source_id), stdout=StringIO(), stderr=StringIO())
    assert StageResult.objects.filter(article=mine).exists()
    assert not StageResult.objects.filter(article=other).exists()


def test_command_bad_date_is_an_error_line():
    with pytest.raises(CommandError, match="--since 'yesterday' is not a date"):
        call_command("enrich", "--since", "yesterday", stdout=StringIO(), stderr=StringIO())


def test_command_unknown_stage_is_an_error_line():
    with pytest.raises(CommandError, match="unknown enrichment stage"):
        call_command("enrich", "--all", "--stage", "colour", stdout=StringIO(), stderr=StringIO())


def test_command_says_when_nothing_is_left():
    article = ArticleFactory()
    enrich_articles([article.pk])
    out = StringIO()
    call_command("enrich", "--all", stdout=out, stderr=StringIO())
    assert "Nothing to enrich" in out.getvalue()


def test_command_date_range_includes_the_whole_last_day():
    before = ArticleFactory(published_at=dt.datetime(2026, 1, 9, 23, 0, tzinfo=dt.UTC))
    inside = ArticleFactory(published_at=dt.datetime(2026, 1, 31, 22, 0, tzinfo=dt.UTC))
    after = ArticleFactory(published_at=dt.datetime(2026, 2, 1, 1, 0, tzinfo=dt.UTC))
    call_command("enrich", "--since", "2026-01-10", "--until", "2026-01-31", stdout=StringIO(), stderr=StringIO())
    enriched = set(StageResult.objects.values_list("article_id", flat=True))
    assert inside.pk in enriched
    assert not enriched & {before.pk, after.pk}


def test_command_source_and_since_combine():
    mine = ArticleFactory(published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    mine_old = ArticleFactory(source=mine.source, published_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    other = ArticleFactory(published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    call_command(
        "enrich", "--source", str(mine.source_id), "--since", "2025-01-01", stdout=StringIO(), stderr=StringIO()
    )
    enriched = set(StageResult.objects.values_list("article_id", flat=True))
    assert enriched == {mine.pk}
    assert not enriched & {mine_old.pk, other.pk}


def test_command_until_before_since_is_an_error_line():
    with pytest.raises(CommandError, match="--until 2026-01-01 is before --since 2026-02-01"):
        call_command("enrich", "--since", "2026-02-01", "--until", "2026-01-01", stdout=StringIO(), stderr=StringIO())


def test_command_needs_a_selection():
    with pytest.raises(CommandError, match="say which articles"):
        call_command("enrich", stdout=StringIO(), stderr=StringIO())


def test_command_all_with_a_filter_is_an_error_line():
    with pytest.raises(CommandError, match="say which articles"):
        call_command("enrich", "--all", "--since", "2026-01-01", stdout=StringIO(), stderr=StringIO())
