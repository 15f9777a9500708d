"""A real Google Reader client: Debian's newsboat in FeedHQ mode, pointed at a live Tidings.

`newsboat -x reload print-unread` must report Tidings' own unread count, follow read marks made in Tidings,
and an article opened in newsboat (driven in tmux) must show as read in Tidings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.api.greader.conftest import PASSWORD, articles_of
from tests.sources.factories import SourceFactory
from tidings.personalization import reading_state
from tidings.personalization.models import ArticleState
from tidings.personalization.services import profile_for_user, set_follow

NEWSBOAT = shutil.which("newsboat")
TMUX = shutil.which("tmux")
TIMEOUT = 60

pytestmark = [
    pytest.mark.skipif(NEWSBOAT is None, reason="newsboat is not installed (`make system-deps` installs it)"),
    pytest.mark.django_db(transaction=True),
]


@dataclass
class Newsboat:
    home: Path
    config: Path
    cache: Path
    urls: Path

    def command(self, *extra: str) -> list[str]:
        assert NEWSBOAT is not None
        return [NEWSBOAT, "-C", str(self.config), "-c", str(self.cache), "-u", str(self.urls), *extra]

    def env(self) -> dict[str, str]:
        return {**os.environ, "HOME": str(self.home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}

    def print_unread(self) -> int:
        """Reload from Tidings unattended and return the unread count newsboat prints."""
        done = subprocess.run(
            self.command("-x", "reload", "print-unread"),
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"newsboat failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        lines = [line for line in done.stdout.splitlines() if "unread articles" in line]
        assert lines, f"no unread count in newsboat's output:\n{done.stdout}\n{done.stderr}\n{self.log()}"
        return int(lines[-1].split()[0])

    def log(self) -> str:
        path = self.home / "newsboat.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else "(no log)"


@pytest.fixture
def newsboat(tmp_path: Path, live_server: Any) -> Newsboat:
    home = tmp_path / "home"
    home.mkdir()
    password_file = home / "password"
    password_file.write_text(PASSWORD + "\n")
    config = home / "config"
    config.write_text(
        "\n".join(
            [
                'urls-source "feedhq"',
                f'feedhq-url "{live_server.url}/"',
                'feedhq-login "nora"',
                f'feedhq-passwordfile "{password_file}"',
                'feedhq-min-items 50',
                "show-read-feeds yes",
                "show-read-articles yes",
                "confirm-exit no",
                "reload-threads 1",
                "",
            ]
        )
    )
    urls = home / "urls"
    urls.write_text("")
    return Newsboat(home=home, config=config, cache=home / "cache.db", urls=urls)


@pytest.fixture
def nora(db: None) -> Any:
    user = UserFactory(username="nora")
    world = SourceFactory(name="World Wire", folder="World")
    local = SourceFactory(name="Town Crier")
    unfollowed = SourceFactory(name="Not Followed")
    set_follow(profile_for_user(user), world)
    set_follow(profile_for_user(user), local)
    articles_of(world, 4, 0)
    articles_of(local, 3, 10)
    articles_of(unfollowed, 2, 20)
    return user


def test_unread_count_in_newsboat_is_tidings_count_and_follows_reads_made_in_tidings(newsboat, nora):
    profile = profile_for_user(nora)
    assert reading_state.unread_count(profile) == 7
    assert newsboat.print_unread() == 7

    first_two = list(reading_state.reading_list(profile).newest_first().values_list("pk", flat=True)[:2])
    reading_state.mark_read(profile, first_two, timezone.now())
    assert reading_state.unread_count(profile) == 5
    assert newsboat.print_unread() == 5

    reading_state.mark_unread(profile, first_two[:1])
    assert newsboat.print_unread() == 6
