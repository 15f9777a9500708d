"""Load the enrichment models once in a task worker's parent process, before it forks a work horse per job.

RQ's worker forks a work horse for each job; without this, every enrichment job's horse loaded spaCy and the
sentence-transformers model again (seconds of CPU per job, most of an enrichment job's time). Loaded in the
parent (ops.rq_backend.MaintainedWorker: as it starts, before taking a job), each horse shares them copy-on-write
(their weights are only read).

Threads and fork: the parent runs torch with one thread while it loads (and embeds the category phrases), so it
never starts an OpenMP thread pool, which a forked child could not use; each horse sets torch's thread count back
(`in_work_horse`). The tokenizers library's own thread pool is turned off for the same reason.
"""

from __future__ import annotations

import logging
import os
import time

from django.db import connections

logger = logging.getLogger(__name__)

_horse_threads: int | None = None  # torch threads a work horse runs with; None: nothing was preloaded


def preload_models() -> bool:
    """Set up every configured enrichment stage in this process (models, gazetteers, category vectors); False,
    with a warning, if that fails: the horses then load what they need themselves, as before."""
    global _horse_threads
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    started = time.perf_counter()
    try:
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        from tidings.enrichment.registry import get_pipeline

        pipeline = get_pipeline()
        for stage in pipeline.stages:
            pipeline.ensure_ready(stage)
    except Exception as exc:  # a missing model must not stop the worker: each job reports it instead
        logger.warning("worker_preload_failed error=%s", exc)
        return False
    finally:
        connections.close_all()  # a forked horse must not share the parent's database connection
    _horse_threads = threads
    logger.info("worker_models_preloaded seconds=%.2f torch_threads=%d", time.perf_counter() - started, threads)
    return True


def in_work_horse() -> None:
    """In a freshly forked work horse: torch's thread count back to what it was before preload_models()."""
    if _horse_threads is not None:
        import torch

        torch.set_num_threads(_horse_threads)
