"""The systemd units of deploy/ start the web servers with the options tidings.ops.stack gives them (the shape the
fault and scale-out tests run), so the deployed servers do not drift from the tested ones."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tidings.ops import stack

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
# Sizes and addresses a deployment chooses for itself; every other option must match the tested command.
PER_NODE = {"--bind", "--host", "--port", "--workers", "--threads", "--blocking-threads", "--graceful-timeout"}


def _exec_start(unit: str) -> list[str]:
    text = (UNITS / unit).read_text().replace("\\\n", " ")
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


def _options(argv: list[str]) -> dict[str, str | None]:
    """--flag value pairs (None for a flag without a value), the sizing ones left out."""
    found: dict[str, str | None] = {}
    for i, word in enumerate(argv):
        if word.startswith("--") and word not in PER_NODE:
            following = argv[i + 1] if i + 1 < len(argv) else "--"
            found[word] = None if following.startswith("--") else following
    return found


@pytest.mark.parametrize(
    ("unit", "server", "program"),
    [("tidings-web.service", "gunicorn", "gunicorn"), ("tidings-web-granian.service", "granian", "granian")],
)
def test_each_web_unit_runs_its_server_as_the_tests_do(unit, server, program):
    deployed = _exec_start(unit)
    tested = stack.web_command("127.0.0.1", 8000, server=server)
    assert Path(deployed[0]).name == program
    assert deployed[1] == "tidings.wsgi:application" == tested[3]
    assert _options(deployed) == _options(tested)


def test_the_two_web_units_exclude_each_other():
    assert "Conflicts=tidings-web.service" in (UNITS / "tidings-web-granian.service").read_text()


def test_options_reads_flags_with_and_without_values():
    assert _options(["x", "--http", "1", "--no-ws", "--workers", "4", "--respawn-failed-workers"]) == {
        "--http": "1",
        "--no-ws": None,
        "--respawn-failed-workers": None,
    }
