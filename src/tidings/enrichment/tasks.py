"""Task wrappers: article ids in, one runner call."""

from __future__ import annotations

from django_tasks import task

from tidings.enrichment import runner


# Below the default priority: a backlog of enrichment never delays a source refresh.
@task(priority=-10)
def enrich_articles(article_ids: list[int]) -> dict[str, object]:
    """Run every configured stage over these articles (enqueued by ingest after each commit)."""
    report = runner.enrich_articles(article_ids)
    return {"articles": report.articles, "ran": report.ran, "errors": report.errors, "missing": report.missing}
