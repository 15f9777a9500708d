"""`tidings create_api_token USERNAME`: print a new API token for the user (shown once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.accounts.tokens import issue_token
from tidings.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Issue an API token for a user; the token is printed once and only its hash is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="API client", help="A label to tell tokens apart")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            token, raw = issue_token(options["username"], name=options["name"])
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(raw)
        self.stderr.write(f"Token {token.prefix}… issued; send it as 'Authorization: Bearer <token>'.")
