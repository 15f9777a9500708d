"""The `tidings` console script: Django's manage.py with Tidings' settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidings.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["tidings", *argv])
    if len(args) > 1 and args[1] == "claims":
        # A pure text-in, JSON-out command: no database, and no need for the stories app to be installed.
        from tidings.stories.claims.command import main as claims_main

        sys.exit(claims_main(args[2:]))
    # `tidings import-text` and `tidings import_text` are the same command.
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
