"""`tidings create_fever_password USERNAME`: print a new app password for Fever apps (shown once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.accounts.tokens import user_called
from tidings.api.fever.keys import issue_fever_password
from tidings.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Issue an app password for Fever apps (replacing the user's previous one); it is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_called(options["username"])
            password = issue_fever_password(user)
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(password)
        self.stderr.write(
            f"In the app: server <site>/fever/, username {user.get_username()!r}, this password. "
            "It is listed as 'Fever client' with the user's tokens and revoked like them."
        )
