"""ingest.offload: a many-source refresh reads documents in a worker process, with the same results as threads."""

from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from tidings.ingest.offload import DocumentReader
from tidings.ingest.parse.document import read_and_key
from tidings.ingest.types import FetchResult, ReadDocument
from tidings.lib.errors import ParseError

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Times</title>
<item><title>Pier reopens</title><link>https://harbour.example.org/pier</link><guid>pier-1</guid>
<description>The pier reopened on Friday.</description></item></channel></rss>"""


def fetched(content: bytes) -> FetchResult:
    return FetchResult(url="https://harbour.example.org/feed", status_code=200, content=content)


def read_with(reader: DocumentReader, document: FetchResult) -> ReadDocument:
    async def run() -> ReadDocument:
        with ThreadPoolExecutor(max_workers=1) as threads:
            return await reader.read(threads, document)

    try:
        return asyncio.run(run())
    finally:
        reader.close()


def test_a_large_refresh_reads_in_a_worker_process():
    reader = DocumentReader(sources=20, min_sources=16)
    assert reader.in_process
    assert read_with(reader, fetched(RSS)) == read_and_key(fetched(RSS))


def test_a_small_refresh_reads_in_threads():
    reader = DocumentReader(sources=3, min_sources=16)
    assert not reader.in_process
    assert read_with(reader, fetched(RSS)) == read_and_key(fetched(RSS))


def test_a_parse_error_in_the_worker_is_the_same_parse_error():
    reader = DocumentReader(sources=20, min_sources=16)
    with pytest.raises(ParseError, match="empty document"):
        read_with(reader, fetched(b"   "))


def test_documents_are_read_in_threads_after_the_worker_dies():
    reader = DocumentReader(sources=20, min_sources=16)
    assert reader._pool is not None
    os.kill(reader._pool.submit(os.getpid).result(), signal.SIGKILL)
    assert read_with(reader, fetched(RSS)) == read_and_key(fetched(RSS))


def test_a_reader_told_not_to_leaves_the_store_keys_out():
    read = read_with(DocumentReader(sources=3, keys=False), fetched(RSS))
    assert read.keys == () and [item.headline for item in read.items] == ["Pier reopens"]


def test_a_reader_asks_before_each_document_whether_to_work_out_the_keys():
    answers = iter([False, True])
    reader = DocumentReader(sources=3, keys=lambda: next(answers))
    first, second = read_with(reader, fetched(RSS)), read_with(reader, fetched(RSS))
    assert first.keys == ()
    assert second == read_and_key(fetched(RSS))


class NoThreads(ThreadPoolExecutor):
    def submit(self, *args, **kwargs):
        raise AssertionError("a small document was handed to a thread")


def test_a_small_document_is_read_in_the_calling_thread_when_allowed():
    reader = DocumentReader(sources=3, inline_bytes=len(RSS) + 1)

    async def run() -> ReadDocument:
        with NoThreads(max_workers=1) as threads:
            return await reader.read(threads, fetched(RSS))

    assert asyncio.run(run()) == read_and_key(fetched(RSS))


def test_a_document_over_the_inline_size_goes_to_a_thread():
    reader = DocumentReader(sources=3, inline_bytes=len(RSS))

    async def run() -> ReadDocument:
        with NoThreads(max_workers=1) as threads:
            return await reader.read(threads, fetched(RSS))

    with pytest.raises(AssertionError, match="handed to a thread"):
        asyncio.run(run())


def run_extract(reader: DocumentReader) -> int:
    async def run() -> int:
        with ThreadPoolExecutor(max_workers=1) as threads:
            return await reader.extract(threads, os.getpid)

    try:
        return asyncio.run(run())
    finally:
        reader.close()


def test_pages_are_extracted_in_worker_processes_when_asked_for():
    assert run_extract(DocumentReader(sources=3, extract_workers=1)) != os.getpid()


def test_without_extraction_workers_pages_are_extracted_in_this_process():
    assert run_extract(DocumentReader(sources=3)) == os.getpid()
