"""`tidings create_user USERNAME [--editor] [--staff]`: create a reader account (for TIDINGS_SIGNUP=closed)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tidings.accounts.editors import make_editor


class Command(BaseCommand):
    help = "Create an account; the password is asked twice (or read as one line from standard input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--editor",
            action="store_true",
            help="An editor (as `tidings create_editor`): signs in to the admin, curates sources, topics, stories",
        )
        parser.add_argument("--staff", action="store_true", help="Staff: may use the admin (and is an editor)")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()
        username = options["username"].strip()
        if not username:
            raise CommandError("the username is empty")
        if users.objects.filter(username=username).exists():
            raise CommandError(f"an account named {username!r} already exists")
        password = self._password()
        user = users(username=username, email=options["email"], is_staff=options["staff"])
        try:
            password_validation.validate_password(password, user)
        except ValidationError as err:
            raise CommandError("the password was refused: " + " ".join(err.messages)) from None
        user.set_password(password)
        with transaction.atomic():
            user.save()
            if options["editor"]:
                make_editor(user)
        kind = "staff account" if options["staff"] else "editor account" if options["editor"] else "account"
        self.stdout.write(f"Created the {kind} {username!r}.")

    def _password(self) -> str:
        if not sys.stdin.isatty():
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the two passwords differ")
        return first
