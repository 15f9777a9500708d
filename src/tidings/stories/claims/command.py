"""`tidings claims FILE|-`: one JSON line per claim found in a plain text, through the pipeline's own code path.

Handled by tidings/cli.py before Django's command dispatch, so it needs no database and no installed app.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from tidings.enrichment.nlp import ModelMissing
from tidings.stories.claims.extract import extract_claims
from tidings.stories.claims.model import claims_nlp


def main(argv: Sequence[str], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Run the command; returns the exit status (0 done, 1 the model is missing, 2 bad arguments or input)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    parser = argparse.ArgumentParser(
        prog="tidings claims",
        description="Print one JSON line per attributed statement (speaker, cue, content, quote, kind, attributed, "
        "via: the speaker reporting it when it is made inside another statement's content, else null) found in a "
        "plain text; offsets are characters into the text.",
    )
    parser.add_argument("file", help="a UTF-8 text file, or - for standard input")
    parser.add_argument("--model", help="spaCy model (default: the TIDINGS_SPACY_MODEL setting)")
    args = parser.parse_args(list(argv))
    try:
        text = read_text(args.file, stdin)
    except OSError as exc:
        print(f"tidings claims: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        nlp = claims_nlp(args.model or _settings_model())
    except ModelMissing as exc:
        print(f"tidings claims: {exc}", file=sys.stderr)
        return 1
    try:
        for claim in extract_claims(text, nlp):
            stdout.write(json.dumps(claim.as_dict(), ensure_ascii=False) + "\n")
        stdout.flush()
    except BrokenPipeError:  # `tidings claims x | head`: the reader has all it wanted
        _silence_stdout()
    return 0


def read_text(name: str, stdin: TextIO) -> str:
    """The text of `name` (or standard input for "-") exactly as written, so offsets point into it; undecodable
    bytes become U+FFFD."""
    if name == "-":
        buffer = getattr(stdin, "buffer", None)
        return buffer.read().decode("utf-8", errors="replace") if buffer is not None else stdin.read()
    with open(name, encoding="utf-8", errors="replace", newline="") as handle:
        return handle.read()


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _settings_model() -> str:
    from django.conf import settings

    return str(settings.SPACY_MODEL)
