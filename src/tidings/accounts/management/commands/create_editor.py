"""`tidings create_editor USERNAME...`: make accounts editors (admin sign-in, the Editors group's permissions).

With no username, only brings the Editors group's permissions up to date (run it after an upgrade).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tidings.accounts.editors import make_editor, sync_editors_group


class Command(BaseCommand):
    help = (
        "Make existing accounts editors: they sign in to /admin/ and curate sources, topics, categories and "
        "stories (create the account first with `tidings create_user`). Without a username, only update the "
        "Editors group's permissions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*", metavar="USERNAME")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model()
        names = [name.strip() for name in options["usernames"]]
        found = {user.get_username(): user for user in users.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            named = ", ".join(map(repr, unknown))
            raise CommandError(f"no account named {named}; create it with `tidings create_user`")
        try:
            group = sync_editors_group()
        except LookupError as err:
            raise CommandError(str(err)) from None
        for name in names:
            make_editor(found[name])
            self.stdout.write(f"{name!r} is an editor: sign in at /admin/.")
        self.stdout.write(f"The {group.name} group has {group.permissions.count()} permissions.")
