"""Run enrichment stages over stored articles: load → stage batches → store results → each stage stores its facts."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.utils import timezone

from tidings.articles.models import Article
from tidings.articles.signals import articles_enriched
from tidings.enrichment.models import StageResult
from tidings.enrichment.registry import Pipeline, get_pipeline
from tidings.enrichment.stage import ArticleText, Stage, StageOutput, contract_problem
from tidings.lib.db_retry import atomic_with_retry
from tidings.lib.errors import InvalidInput
from tidings.taxonomy.trend_counts import recount_deferred

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class EnrichReport:
    """What one run did, for a log line or a CLI summary."""

    articles: int = 0
    ran: dict[str, int] = field(default_factory=dict)  # stage → articles processed
    skipped: dict[str, int] = field(default_factory=dict)  # stage → articles already current
    errors: dict[str, int] = field(default_factory=dict)  # stage → item errors
    missing: list[int] = field(default_factory=list)  # ids with no article


def article_text(article: Article, facts: Mapping[str, object] | None = None) -> ArticleText:
    return ArticleText(
        article_id=article.pk,
        headline=article.headline,
        standfirst=article.standfirst,
        paragraphs=tuple(article.paragraphs),
        publisher_categories=tuple(str(c) for c in article.publisher_categories or ()),
        url=article.url,
        facts=dict(facts or {}),
    )


def select_stages(pipeline: Pipeline, names: Iterable[str] | None) -> list[Stage]:
    """The pipeline's stages to run, in pipeline order; an unknown name is an InvalidInput."""
    if names is None:
        return list(pipeline.stages)
    wanted = list(dict.fromkeys(names))
    unknown = [name for name in wanted if name not in pipeline.names]
    if unknown:
        raise InvalidInput(
            f"unknown enrichment stage {', '.join(unknown)}; configured stages: {', '.join(pipeline.names)}"
        )
    return [stage for stage in pipeline.stages if stage.name in wanted]


def enrich_articles(
    article_ids: Sequence[int], *, stages: Iterable[str] | None = None, force: bool = False
) -> EnrichReport:
    """Run the (selected) stages over these articles, skipping results already at the stage's version.

    An item error is stored at the current version too (so a resumed run does not loop on it); `force` retries it.
    """
    pipeline = get_pipeline()
    selected = select_stages(pipeline, stages)
    report = EnrichReport()
    articles = {a.pk: a for a in Article.objects.filter(pk__in=list(article_ids))}
    report.missing = [pk for pk in article_ids if pk not in articles]
    report.articles = len(articles)
    if not articles:
        return report
    stored = _stored_results(articles)
    # Facts start from what earlier runs stored, so one stage can re-run alone.
    facts: dict[int, dict[str, object]] = {
        pk: {k: v for r in stored[pk].values() if not r.error for k, v in (r.values or {}).items()} for pk in articles
    }
    touched: set[int] = set()
    for stage in selected:
        todo = [pk for pk in articles if force or _is_stale(stored[pk].get(stage.name), stage)]
        report.skipped[stage.name] = len(articles) - len(todo)
        if not todo:
            continue
        pipeline.ensure_ready(stage)
        for start in range(0, len(todo), stage.batch_size):
            batch = [article_text(articles[pk], facts[pk]) for pk in todo[start : start + stage.batch_size]]
            outputs = _run_batch(stage, batch)
            _store(stage, outputs)
            for output in outputs:
                if output.error is None:
                    facts[output.article_id].update(output.values)
                else:
                    report.errors[stage.name] = report.errors.get(stage.name, 0) + 1
                touched.add(output.article_id)
            report.ran[stage.name] = report.ran.get(stage.name, 0) + len(outputs)
    if touched:
        Article.objects.filter(pk__in=touched).update(enriched_at=timezone.now())
        articles_enriched.send(sender=enrich_articles, article_ids=sorted(touched))
    logger.info(
        "articles_enriched articles=%d ran=%s skipped=%s errors=%s missing=%d",
        report.articles,
        _fmt(report.ran),
        _fmt(report.skipped),
        _fmt(report.errors),
        len(report.missing),
    )
    return report


def _fmt(counts: Mapping[str, int]) -> str:
    return ",".join(f"{name}:{n}" for name, n in counts.items()) or "-"


def _stored_results(articles: Mapping[int, Article]) -> dict[int, dict[str, StageResult]]:
    stored: dict[int, dict[str, StageResult]] = defaultdict(dict)
    for result in StageResult.objects.filter(article_id__in=list(articles)):
        stored[result.article_id][result.stage] = result
    return stored


def _is_stale(result: StageResult | None, stage: Stage) -> bool:
    return result is None or result.version != stage.version


def _run_batch(stage: Stage, batch: list[ArticleText]) -> list[StageOutput]:
    """One stage over one batch; the outputs are checked against the stage contract."""
    try:
        outputs = stage.process_batch(batch)
    except Exception:
        logger.exception("stage_batch_failed stage=%s articles=%s", stage.name, [item.article_id for item in batch])
        raise
    if len(outputs) != len(batch) or [o.article_id for o in outputs] != [item.article_id for item in batch]:
        raise RuntimeError(
            f"stage {stage.name!r} returned {len(outputs)} outputs for {len(batch)} articles, or out of order"
        )
    return [_keeps_contract(stage, _within_provides(stage, output)) for output in outputs]


def _keeps_contract(stage: Stage, output: StageOutput) -> StageOutput:
    """An output with neither values nor a readable error becomes an item error, so it is stored and retried."""
    problem = contract_problem(output)
    if problem is None:
        return output
    logger.warning("stage_contract_broken stage=%s article=%s problem=%s", stage.name, output.article_id, problem)
    return StageOutput(output.article_id, error=problem)


def _within_provides(stage: Stage, output: StageOutput) -> StageOutput:
    extra = set(output.values) - set(stage.provides)
    if not extra:
        return output
    logger.warning("stage_extra_values stage=%s article=%s keys=%s", stage.name, output.article_id, sorted(extra))
    return replace(output, values={k: v for k, v in output.values.items() if k in stage.provides})


def _store(stage: Stage, outputs: list[StageOutput]) -> None:
    """StageResult rows in bulk, then the stage stores its facts where they belong, in one transaction.

    What several jobs share (topics named by the batch) is made first, each in its own short transaction, by
    the stage's optional `prepare(values)`; trending's hour counts are recounted once at the end, in a fixed
    order (taxonomy.trend_counts.recount_deferred). So concurrent jobs do not wait for each other in opposite
    orders; a deadlock that happens anyway runs the transaction again (lib.db_retry).
    """
    now = timezone.now()
    rows = [
        StageResult(
            article_id=o.article_id,
            stage=stage.name,
            version=stage.version,
            values={k: v for k, v in o.values.items() if k not in stage.stored_apart} if o.error is None else {},
            error=o.error or "",
            updated_at=now,
        )
        for o in sorted(outputs, key=lambda o: o.article_id)
    ]
    good = {o.article_id: o.values for o in sorted(outputs, key=lambda o: o.article_id) if o.error is None}
    prepare = getattr(stage, "prepare", None)
    if good and prepare is not None:
        prepare(good)

    def write() -> None:
        with recount_deferred():
            StageResult.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["article", "stage"],
                update_fields=["version", "values", "error", "updated_at"],
            )
            if good:
                stage.store(good)

    atomic_with_retry(write, what=f"enrichment_store stage={stage.name}")
