"""An RQ worker loads the enrichment models once: its work horses (one forked per job) share them.

Before, every enrichment job's horse loaded spaCy and the embedding model again. Run on PostgreSQL with
redis-server (skipped otherwise, saying why), as tests/ops/test_scale_out.py.
"""

from __future__ import annotations

import pytest
from django_tasks.base import TaskResultStatus

from tests.articles.factories import ArticleFactory
from tests.ops.stack import app_env, require_postgresql, rq_settings, start_worker
from tidings.articles.models import Article
from tidings.enrichment.tasks import enrich_articles

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("app_connections_closed")]


def test_two_enrichment_jobs_load_the_models_once_in_the_worker(redis_server, tmp_path):
    require_postgresql()
    first, second = ArticleFactory(), ArticleFactory()
    with rq_settings(redis_server):
        results = [enrich_articles.enqueue([first.pk]), enrich_articles.enqueue([second.pk])]
    env = {**app_env(tmp_path, redis_server), "TIDINGS_LOG_LEVEL": "INFO"}
    worker = start_worker(env, "default", "low")
    _, errors = worker.communicate(timeout=600)
    log = errors.decode(errors="replace")
    assert worker.returncode == 0, log[-2000:]
    with rq_settings(redis_server):
        for result in results:
            result.refresh()
            assert result.status == TaskResultStatus.SUCCESSFUL, log[-2000:]
    assert Article.objects.filter(enriched_at__isnull=False).count() == 2
    assert log.count("worker_models_preloaded") == 1, log[-3000:]
    assert log.count("embedding_model_loaded") == 1, log[-3000:]  # in the worker, not in each job's horse
    # the entity recogniser, the claims stage's full pipeline and the lemmatizer's noun index (entities/nouns.py),
    # each once, in the worker before its horses fork (loaded per job they would count twice as many)
    assert log.count("spacy_model_loaded") == 3, log[-3000:]
