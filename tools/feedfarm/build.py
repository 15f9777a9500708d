"""The farm's web as served: laid out (web.py), then its faulty feeds assigned (faults.py)."""

from __future__ import annotations

import random

from .faults import assign
from .web import FarmConfig, Web, lay_out


def build_web(config: FarmConfig) -> Web:
    """Hosts, feeds and articles laid out from the seed, then the faults, also from the seed."""
    web = lay_out(config)
    assign(web, random.Random(f"{config.seed}:faults"))
    return web
