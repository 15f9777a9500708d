"""A key=value ("logfmt") log formatter, chosen with TIDINGS_LOG_FORMAT=keyvalue.

Each line: ts, level, logger, then the message. The app's messages are mostly already `event key=value ...`;
such a message becomes `event=<event> key=value ...`, any other is quoted as msg="...". Values given with
`extra={...}` are added as key=value too, and an exception as exc="...".
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

# The attributes every LogRecord has: anything else on a record came from `extra`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_EVENT_MESSAGE = re.compile(r'^[a-z][a-z0-9_]*( [A-Za-z_][\w.]*=("[^"]*"|\'[^\']*\'|\S*))*$')
_BARE = re.compile(r"^[^\s\"=\\]+$")


def quote(value: object) -> str:
    text = str(value)
    if text and _BARE.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        stamp = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        parts = [f"ts={stamp}", f"level={record.levelname.lower()}", f"logger={quote(record.name)}"]
        if _EVENT_MESSAGE.match(message):
            parts.append(f"event={message}")
        else:
            parts.append(f"msg={quote(message)}")
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                parts.append(f"{key}={quote(value)}")
        if record.exc_info:
            parts.append(f"exc={quote(self.formatException(record.exc_info))}")
        return " ".join(parts)
