"""The feed farm: a deterministic simulated news web on 127.0.0.1 for testing and benchmarking ingest.

    from tools.feedfarm import running_farm
    with running_farm(feeds=50, seed=1, faulty=0.1) as farm:
        farm.base_url, farm.feed_urls, farm.truth, farm.stats()

Command line: `python -m tools.feedfarm --feeds 1000 --port 8765`. See README.md for the faults.
"""

from .build import build_web
from .faults import KINDS as FAULT_KINDS
from .server import FarmServer, RunningFarm, running_farm
from .web import FarmConfig

__all__ = ["FAULT_KINDS", "FarmConfig", "FarmServer", "RunningFarm", "build_web", "running_farm"]
