"""`tidings import-text`: files in, one text source and one article per file, bad files reported."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.articles.factories import ArticleFactory
from tidings.articles.models import Article
from tidings.ingest.parse.decode import decode_text
from tidings.ingest.text_import import import_text_files
from tidings.lib.errors import InvalidInput
from tidings.sources.models import Source, SourceKind

pytestmark = pytest.mark.django_db

GOOD_DUMP = """Night Trains Return to the Northern Line

Passenger numbers have doubled since the service was cut, the operator said

The first night train in ten years left the capital on Friday with every sleeper berth sold.

The operator plans three departures a week until the end of the year.

Northern Rail Review
Subscribe for unlimited access
"""

SECOND_DUMP = """Museum Opens Its Storerooms to Visitors

For one weekend a year the city museum lets visitors walk through its storerooms.

Curators said more than four thousand people booked tickets within an hour.
"""


def run_import(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_text", *args, "--no-enrich", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing_import(*args: str) -> tuple[str, str, CommandError]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_text", *args, "--no-enrich", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), raised.value


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "night-trains.txt"
    path.write_text(GOOD_DUMP, encoding="utf-8")
    return path


@pytest.fixture
def second_file(tmp_path: Path) -> Path:
    path = tmp_path / "museum.txt"
    path.write_text(SECOND_DUMP, encoding="utf-8")
    return path


def test_seed_import_creates_one_text_source(seed_path: Path):
    run_import(str(seed_path), "--source", "The Media Line")
    source = Source.objects.get()
    assert (source.name, source.kind, source.url) == ("The Media Line", SourceKind.TEXT, "")


def test_seed_import_stores_article_fields(seed_path: Path):
    run_import(str(seed_path), "--source", "The Media Line")
    article = Article.objects.get()
    assert article.headline == "Rebel Forces Gain Ground in Aleppo as Syrian Army Faces Setbacks"
    assert article.image_caption.startswith("Anti-government fighters hold an opposition flag")
    assert article.image_credit == "MUHAMMAD HAJ KADOUR/AFP via Getty Images"
    assert article.standfirst.startswith("Rebels led by HTS claim to have entered Aleppo")
    assert article.body_text.startswith("The Syrian army reported on Saturday")
    assert article.body_text.endswith("to destabilize the Middle East.")
    assert article.body_text.count("\n\n") == 5
    assert "Personalize" not in article.body_text
    assert article.body_html.count("<p>") == 6


def test_seed_import_twice_does_not_duplicate(seed_path: Path):
    run_import(str(seed_path), "--source", "The Media Line")
    out, _ = run_import(str(seed_path), "--source", "The Media Line")
    assert Article.objects.count() == 1
    assert Source.objects.count() == 1
    assert "already stored" in out


def test_existing_text_source_with_same_name_is_reused(good_file: Path, second_file: Path):
    run_import(str(good_file), "--source", "Desk Imports")
    run_import(str(second_file), "--source", "  Desk   Imports ")
    assert Source.objects.count() == 1
    assert Source.objects.get().articles.count() == 2


def test_several_files_in_one_call_each_get_a_progress_line(good_file: Path, second_file: Path):
    out, err = run_import(str(good_file), str(second_file), "--source", "Desk Imports")
    assert Article.objects.count() == 2
    lines = out.splitlines()
    assert any(str(good_file) in line and "Night Trains Return" in line for line in lines)
    assert any(str(second_file) in line and "Museum Opens" in line for line in lines)
    assert lines[-1].startswith("2 imported, 0 already stored, 0 failed")
    assert err == ""


def test_text_source_is_not_created_when_every_file_fails(tmp_path: Path):
    run_failing_import(str(tmp_path / "missing.txt"), "--source", "Desk Imports")
    assert not Source.objects.exists()


def test_cp1252_file_is_decoded(tmp_path: Path):
    text = (
        "Seaside Caf\u00e9 Wins Regional Prize\n\n"
        "The judges praised the caf\u00e9\u2019s \u201chonest food\u201d and its na\u00efve, cheerful d\u00e9cor.\n\n"
        "Owner Zo\u00eb Martin opened the caf\u00e9 in 2019 after a career as a nurse.\n"
    )
    path = tmp_path / "cafe.txt"
    path.write_bytes(text.encode("cp1252"))
    run_import(str(path), "--source", "Coast Weekly")
    article = Article.objects.get()
    assert article.headline == "Seaside Caf\u00e9 Wins Regional Prize"
    assert "caf\u00e9\u2019s \u201chonest food\u201d and its na\u00efve" in article.body_text


def test_latin1_file_is_decoded(tmp_path: Path):
    text = "R\u00e9sum\u00e9 Scheme Expands\n\nThe r\u00e9sum\u00e9 clinic at the library now opens on Saturdays too.\n"
    path = tmp_path / "resume.txt"
    path.write_bytes(text.encode("latin-1"))
    run_import(str(path), "--source", "Coast Weekly")
    assert Article.objects.get().headline == "R\u00e9sum\u00e9 Scheme Expands"


# --- bad input -----------------------------------------------------------------------------------


@pytest.fixture
def stored_articles() -> int:
    ArticleFactory.create_batch(2)
    return Article.objects.count()


def _bad_file(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A file that cannot be imported, and a word its error line must contain."""
    if kind == "empty":
        path = tmp_path / "empty.txt"
        path.write_bytes(b"  \n\n")
        return path, "empty"
    if kind == "binary":
        path = tmp_path / "image.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
        return path, "binary"
    if kind == "invalid-utf8":
        path = tmp_path / "noise.txt"
        path.write_bytes(bytes(range(128, 256)) * 20)
        return path, "binary"
    if kind == "huge":
        from django.conf import settings

        path = tmp_path / "huge.txt"
        line = b"A line of perfectly ordinary text that repeats until the file is too large.\n"
        path.write_bytes(line * (settings.IMPORT_TEXT_MAX_BYTES // len(line) + 2))
        return path, "limit"
    if kind == "missing":
        return tmp_path / "no-such-file.txt", "no such file"
    if kind == "directory":
        path = tmp_path / "a-folder"
        path.mkdir()
        return path, "directory"
    raise AssertionError(kind)


BAD_KINDS = ["empty", "binary", "invalid-utf8", "huge", "missing", "directory"]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_file_gives_one_error_line_naming_file_and_reason(tmp_path: Path, kind: str):
    bad, reason = _bad_file(tmp_path, kind)
    _, err, _ = run_failing_import(str(bad), "--source", "Desk Imports")
    [line] = err.strip().splitlines()
    assert line.startswith(f"error: {bad}: ")
    assert reason in line


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_file_does_not_stop_good_files(tmp_path: Path, good_file: Path, second_file: Path, kind: str):
    bad, _ = _bad_file(tmp_path, kind)
    _, _, error = run_failing_import(str(good_file), str(bad), str(second_file), "--source", "Desk Imports")
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "Night Trains Return to the Northern Line",
        "Museum Opens Its Storerooms to Visitors",
    }
    assert "2 imported, 0 already stored, 1 failed" in str(error)


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_bad_file_leaves_stored_articles_intact(tmp_path: Path, stored_articles: int, kind: str):
    bad, _ = _bad_file(tmp_path, kind)
    run_failing_import(str(bad), "--source", "Desk Imports")
    assert Article.objects.count() == stored_articles


def test_failed_import_exits_non_zero(tmp_path: Path):
    bad, _ = _bad_file(tmp_path, "missing")
    _, _, error = run_failing_import(str(bad), "--source", "Desk Imports")
    assert error.returncode == 1


def test_headline_only_file_is_refused(tmp_path: Path):
    path = tmp_path / "headline.txt"
    path.write_text("Only a headline here\n", encoding="utf-8")
    _, err, _ = run_failing_import(str(path), "--source", "Desk Imports")
    assert "no article body" in err
    assert not Article.objects.exists()


def test_blank_source_name_is_refused(good_file: Path):
    with pytest.raises(CommandError, match="source name is empty"):
        call_command("import_text", str(good_file), "--source", "   ", "--no-enrich", stdout=StringIO())
    assert not Article.objects.exists()


# --- the service and decoder directly ------------------------------------------------------------


def test_service_reports_each_file_in_order(good_file: Path, tmp_path: Path):
    seen = []
    results = import_text_files(
        [good_file, tmp_path / "missing.txt"], source_name="Desk Imports", enrich=False, on_result=seen.append
    )
    assert seen == results
    assert [r.ok for r in results] == [True, False]
    assert results[0].article_id == Article.objects.get().pk


def test_utf16_with_bom_is_decoded():
    text = "Headline\n\nA paragraph of text.\n"
    assert decode_text(text.encode("utf-16")) == text


def test_utf8_bom_is_removed():
    assert decode_text("\ufeffHeadline\n".encode()) == "Headline\n"


def test_nul_bytes_are_refused_as_binary():
    with pytest.raises(InvalidInput, match="binary"):
        decode_text(b"Headline\x00\x01\x02 more")
