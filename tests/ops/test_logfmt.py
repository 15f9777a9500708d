"""The key=value log formatter (TIDINGS_LOG_FORMAT=keyvalue)."""

from __future__ import annotations

import logging
import sys

from tidings.ops.logfmt import KeyValueFormatter


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("tidings.ingest.refresh", logging.WARNING, __file__, 1, message, args, None)
    made.__dict__.update(extra)
    return made


def test_an_event_message_becomes_event_and_its_pairs():
    line = KeyValueFormatter().format(record("source_refreshed source=%s items=%d", 7, 3))
    assert line.startswith("ts=")
    assert line.endswith("level=warning logger=tidings.ingest.refresh event=source_refreshed source=7 items=3")


def test_a_sentence_is_quoted_and_escaped():
    line = KeyValueFormatter().format(record('Task "x" failed\nbadly'))
    assert line.endswith('msg="Task \\"x\\" failed\\nbadly"')


def test_extra_values_and_exceptions_are_added():
    try:
        raise ValueError("bad value")
    except ValueError:
        exc = sys.exc_info()
    made = record("fetch done", source_id=4, host="example.org")
    made.exc_info = exc
    line = KeyValueFormatter().format(made)
    assert 'msg="fetch done" source_id=4 host=example.org exc="Traceback' in line
    assert "\n" not in line and "ValueError: bad value" in line
