"""One shared farm for the farm's own tests: 60 feeds, 45% faulty, so every fault kind is present."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.feedfarm import RunningFarm, running_farm


@pytest.fixture(scope="package")
def farm() -> Iterator[RunningFarm]:
    with running_farm(feeds=60, seed=7, faulty=0.45, trickle_interval=0.1) as running:
        yield running


@pytest.fixture(scope="package")
def truth(farm: RunningFarm) -> dict:
    return farm.truth


def clean_feeds(truth: dict, fmt: str | None = None) -> list[dict]:
    return [f for f in truth["feeds"] if f["fault"] is None and f["items"] and (fmt is None or f["format"] == fmt)]
