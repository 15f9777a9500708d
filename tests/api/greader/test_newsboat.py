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
                "feedhq-min-items 50",
                "feedhq-show-special-feeds no",
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


class Tmux:
    """One tmux server of this test's own (its socket in the test's directory), stopped at the end."""

    def __init__(self, socket: Path) -> None:
        assert TMUX is not None
        self.base = [TMUX, "-S", str(socket)]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=10, check=False)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "nb").stdout

    def running(self) -> bool:
        return self.run("has-session", "-t", "nb").returncode == 0

    def wait_for(self, condition: Any, what: str, seconds: float = TIMEOUT) -> str:
        """Poll the screen until `condition(screen)` holds; fails with the last screen shown."""
        deadline = time.monotonic() + seconds
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            time.sleep(0.2)
        pytest.fail(f"newsboat never showed {what} in {seconds}s; last screen:\n{screen}")

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "nb", *keys)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    server = Tmux(tmp_path / "tmux.sock")
    yield server
    server.run("kill-server")


def test_article_opened_in_newsboat_is_read_in_tidings(newsboat, nora, tmux):
    profile = profile_for_user(nora)
    assert newsboat.print_unread() == 7  # fills newsboat's cache unattended
    env = [f"{name}={value}" for name, value in newsboat.env().items() if name in ("HOME", "TERM", "LANG", "PATH")]
    command = ["env", *env, *newsboat.command()]
    started = tmux.run("new-session", "-d", "-s", "nb", "-x", "160", "-y", "40", *command)
    assert started.returncode == 0, started.stderr
    tmux.wait_for(lambda s: "Town Crier" in s and "World Wire" in s, "the feed list")
    tmux.keys("Enter")  # the first feed
    listing = tmux.wait_for(lambda s: "Town Crier 0" in s or "World Wire 0" in s, "an item list")
    tmux.keys("Enter")  # its first article
    article = tmux.wait_for(lambda s: "Title:" in s and "Feed:" in s, "an article")
    tmux.keys("q")
    tmux.wait_for(lambda s: "Title:" not in s, "the item list again")
    tmux.keys("q")
    tmux.keys("q")
    deadline = time.monotonic() + TIMEOUT
    while tmux.running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.running(), f"newsboat did not quit; screen:\n{tmux.screen()}"

    read = list(ArticleState.objects.filter(profile=profile, read_at__isnull=False).select_related("article"))
    assert [state.article.headline in article for state in read] == [True], (
        f"expected the one opened article to be read in Tidings; read: {[s.article.headline for s in read]}\n"
        f"item list:\n{listing}\narticle screen:\n{article}"
    )
    assert reading_state.unread_count(profile) == 6
    assert newsboat.print_unread() == 6


def test_feed_marked_read_in_newsboat_is_read_in_tidings(newsboat, nora, tmux):
    profile = profile_for_user(nora)
    assert newsboat.print_unread() == 7
    env = [f"{name}={value}" for name, value in newsboat.env().items() if name in ("HOME", "TERM", "LANG", "PATH")]
    started = tmux.run("new-session", "-d", "-s", "nb", "-x", "160", "-y", "40", "env", *env, *newsboat.command())
    assert started.returncode == 0, started.stderr
    feeds = tmux.wait_for(lambda s: "Town Crier" in s and "World Wire" in s, "the feed list")
    [first_line] = [line for line in feeds.splitlines() if line.strip().startswith("1 ")]
    tmux.keys("A")  # mark the selected (first) feed read
    tmux.wait_for(lambda s: "(0/" in s, "a feed with no unread articles")
    tmux.keys("q")
    deadline = time.monotonic() + TIMEOUT
    while tmux.running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.running(), f"newsboat did not quit; screen:\n{tmux.screen()}"

    unread_by_source = {c.source_id: c.count for c in reading_state.unread_counts(profile)}
    sources = {s.name: s for s in reading_state.followed_sources(profile)}
    marked = "Town Crier" if "Town Crier" in first_line else "World Wire"
    other = "World Wire" if marked == "Town Crier" else "Town Crier"
    assert sources[marked].pk not in unread_by_source, f"feed list was:\n{feeds}"
    assert unread_by_source[sources[other].pk] == sources[other].articles.count()
