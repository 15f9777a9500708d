"""A many-source refresh fetches and parses in a forked process: the same outcomes as in a thread."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tidings.articles.models import Article
from tidings.ingest import engine
from tidings.ingest.offload import DONE, ForkedProducer
from tidings.ingest.refresh import refresh_sources
from tidings.lib.http import HttpStatusError
from tidings.sources.models import Source
from tools.feedfarm import running_farm

pytestmark = pytest.mark.django_db
FAULTS = ("http_404", "http_410", "http_500")


@pytest.fixture(scope="module")
def farm() -> Iterator[Any]:
    with running_farm(feeds=20, seed=5, faulty=0.3, faults=FAULTS) as running:
        yield running


@pytest.fixture(autouse=True)
def engine_settings(settings) -> None:
    settings.FETCH_TIMEOUT_SECONDS = 5
    settings.FETCH_HOST_KEY_PATH_SEGMENTS = 2
    settings.FETCH_FULL_TEXT = False


@pytest.fixture(params=["process", "thread"])
def fetch_side(request, monkeypatch) -> list[str]:
    """Which side fetched: the forked process (20 sources are enough) or, with the threshold out of reach, a thread."""
    used: list[str] = []
    if request.param == "thread":
        monkeypatch.setattr(engine, "FETCH_PROCESS_MIN_SOURCES", 10**6)
    forked = engine.ForkedFetchSide

    class Spy(forked):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            used.append("process")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(engine, "ForkedFetchSide", Spy)
    return used


def test_every_source_gets_its_outcome_on_either_side(farm, fetch_side):
    truth = {feed["url"]: feed for feed in farm.truth["feeds"]}
    sources = {Source.objects.create(url=url, name=f"f{n}").pk: url for n, url in enumerate(farm.feed_urls)}
    outcomes = {o.source_id: o for o in refresh_sources(list(sources))}
    assert fetch_side == (["process"] if engine.FETCH_PROCESS_MIN_SOURCES == 16 else [])
    for pk, url in sources.items():
        source, outcome, fault = Source.objects.get(pk=pk), outcomes[pk], truth[url]["fault"]
        if fault is None:
            assert (outcome.status, outcome.created) == ("ok", Article.objects.filter(source=source).count())
            assert outcome.created > 0
        else:  # the error's own fields (the status code) came through
            assert source.last_status == int(fault.removeprefix("http_"))
            assert outcome.status == ("paused" if fault == "http_410" else "failed")


def produce_then_fail(put, credits_fd) -> None:
    for n in range(3):
        os.read(credits_fd, 1)  # one credit per value
        put(n)
    raise HttpStatusError("the server answered 404 Not Found", status_code=404)


def test_forked_values_come_in_order_and_the_childs_error_is_raised_here():
    producer = ForkedProducer(produce_then_fail)
    try:
        producer.give(3)
        assert [producer.get(), producer.get(), producer.get()] == [0, 1, 2]
        with pytest.raises(HttpStatusError) as raised:
            producer.get()
        assert raised.value.status_code == 404
    finally:
        producer.close()


def test_the_forked_child_ends_with_done():
    producer = ForkedProducer(lambda put, credits_fd: put("only"))
    try:
        assert (producer.get(), producer.get()) == ("only", DONE)
    finally:
        producer.close()


@pytest.fixture(scope="module")
def clean_farm() -> Iterator[Any]:
    with running_farm(feeds=20, seed=7) as running:
        yield running


EXTRACTED_BY = "EXTRACTED_BY_FILE"


def extract_and_note_process(content: bytes, url: str) -> Any:
    """engine._extract_page, noting which process ran it (a file: it runs in another process)."""
    with open(os.environ[EXTRACTED_BY], "a", encoding="utf-8") as out:
        out.write(multiprocessing.current_process().name + "\n")
    return real_extract_page(content, url)


real_extract_page = engine._extract_page


def test_summary_only_feeds_get_their_pages_text_from_the_extraction_workers(
    clean_farm, settings, monkeypatch, tmp_path
):
    settings.FETCH_FULL_TEXT = True
    monkeypatch.setenv(EXTRACTED_BY, str(tmp_path / "extracted-by.txt"))
    monkeypatch.setattr(engine, "_extract_page", extract_and_note_process)
    summary_feeds = [feed["url"] for feed in clean_farm.truth["feeds"] if not feed["full_content"]]
    assert summary_feeds, "the farm should serve summary-only feeds"
    sources = [Source.objects.create(url=url, name=f"f{n}").pk for n, url in enumerate(clean_farm.feed_urls)]
    assert len(sources) >= engine.FETCH_PROCESS_MIN_SOURCES  # the forked side, which has extraction workers
    outcomes = refresh_sources(sources)
    assert all(o.status == "ok" for o in outcomes)
    texts = Article.objects.filter(source__url__in=summary_feeds).values_list("body_text", flat=True)
    # The pages' text, not the feeds' one-line summaries (engine.SUMMARY_MAX_CHARS).
    assert texts and all(len(text) >= engine.SUMMARY_MAX_CHARS for text in texts)
    # Extracted in the workers the fetching process forked, not in its own threads.
    extracted_by = set((tmp_path / "extracted-by.txt").read_text().split())
    assert extracted_by and "tidings-fetch" not in extracted_by


ORPHAN_SCRIPT = """
import os, signal, sys, time
from tidings.ingest.offload import ForkedProducer

def produce(put, credits_fd):
    with open(sys.argv[1], "w") as out:
        out.write(str(os.getpid()))
    while os.read(credits_fd, 1):  # until the storing side is gone
        put(b"x" * 1_000_000)

producer = ForkedProducer(produce)
producer.give(8)  # eight 1 MB values: more than the pipe holds, and nobody reads them
time.sleep(1.0)
os.kill(os.getpid(), signal.SIGKILL)
"""


def alive(pid: int) -> bool:
    """Running and not a zombie waiting for its reaper."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_fetching_process_ends_when_the_storing_process_is_killed_with_results_unread(tmp_path):
    pid_file = tmp_path / "child.pid"
    # This checkout's code, not whichever one the environment installed.
    env = {**os.environ, "PYTHONPATH": str(Path(engine.__file__).resolve().parents[2])}
    script = subprocess.run([sys.executable, "-c", ORPHAN_SCRIPT, str(pid_file)], env=env, timeout=60, check=False)
    assert script.returncode == -signal.SIGKILL
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 15
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the fetching process was still running 15 s after the storing process was killed")
