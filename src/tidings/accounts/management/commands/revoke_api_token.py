"""`tidings revoke_api_token USERNAME (TOKEN_ID | --all)`: revoke API tokens; without either, list them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.accounts.tokens import describe_token, revoke_all_tokens, revoke_token, tokens_of, user_called
from tidings.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Revoke one API token of a user (by id) or all of them; programs using it then get HTTP 401."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("token_id", nargs="?", type=int, help="The token's id (shown on the settings page)")
        parser.add_argument("--all", action="store_true", help="Revoke every token of the user")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_called(options["username"])
            if options["all"] and options["token_id"] is not None:
                raise InvalidInput("give a token id or --all, not both")
            if options["all"]:
                count = revoke_all_tokens(user)
                self.stdout.write(f"Revoked {count} token{'' if count == 1 else 's'} of {user.get_username()}.")
                return
            if options["token_id"] is None:
                listing = "\n".join(describe_token(t) for t in tokens_of(user)) or "(none)"
                raise InvalidInput(f"give a token id or --all; {user.get_username()}'s tokens:\n{listing}")
            token = revoke_token(user, options["token_id"])
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Revoked token {options['token_id']} ({token.name}) of {user.get_username()}.")
