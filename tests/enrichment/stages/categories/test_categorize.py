"""`tidings categorize FILE`: JSON lines in, one {id, categories} line out per item, errors on stderr."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tidings.enrichment.stage import ArticleText, StageOutput
from tidings.enrichment.stages.categories.categorize import LineError, parse_line, run_stages

SPORT = "medtop:15000000"
STAGES = [
    ("tidings.enrichment.stages.language.LanguageStage", {}),
    ("tidings.enrichment.stages.embedding.EmbeddingStage", {}),
    ("tidings.enrichment.stages.categories.stage.CategoryStage", {"supervised": False}),
]
MATCH = {
    "id": "a1",
    "title": "Late winner sends United top of the league",
    "text": "A stoppage-time header gave United a 2-1 win over City on Saturday.\nThe manager praised his side.",
}
RATES = {
    "id": 7,
    "title": "Central bank raises interest rates",
    "text": "The central bank lifted its benchmark rate to curb inflation; bond yields rose.",
}


@pytest.fixture
def category_pipeline(settings):
    from tidings.enrichment import registry

    settings.TIDINGS_ENRICHMENT_STAGES = STAGES
    registry.reset()
    yield
    registry.reset()


def run(tmp_path, lines: list[str]) -> tuple[list[dict], str, CommandError | None]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("categorize", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), error


@pytest.mark.models
def test_each_line_gets_its_id_and_categories_best_first(category_pipeline, tmp_path):
    results, _, error = run(tmp_path, [json.dumps(MATCH), json.dumps(RATES)])
    assert error is None
    assert [r["id"] for r in results] == ["a1", 7]
    first = results[0]["categories"][0]
    assert (first["qcode"], first["name"]) == (SPORT, "sport")
    assert set(first) == {"qcode", "name", "score"}


@pytest.mark.models
def test_bad_line_is_reported_with_its_number_and_the_rest_go_on(category_pipeline, tmp_path):
    results, stderr, error = run(tmp_path, [json.dumps(MATCH), "{not json", json.dumps(RATES)])
    assert [r["id"] for r in results] == ["a1", 7]
    assert "line 2: not valid JSON" in stderr
    assert error is not None and error.returncode == 1


@pytest.mark.models
def test_standard_input_is_read_with_a_dash(category_pipeline, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(MATCH) + "\n"))
    out = io.StringIO()
    call_command("categorize", "-", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["id"] == "a1"


def test_missing_file_is_a_command_error(category_pipeline, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("categorize", str(tmp_path / "missing.jsonl"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[1, 2]", "expected a JSON object"),
        ('{"title": "x", "text": "y"}', "missing 'id'"),
        ('{"id": 1, "title": "", "text": " "}', "both 'title' and 'text' are empty"),
        ('{"id": 1, "title": 5, "text": "y"}', "must be strings"),
    ],
    ids=["not-an-object", "no-id", "empty", "not-strings"],
)
def test_malformed_lines_become_line_errors(line, message):
    result = parse_line(3, line)
    assert isinstance(result, LineError) and result.line == 3
    assert message in result.message


def test_blank_lines_are_skipped():
    assert parse_line(1, "   ") is None


class _SilentStage:
    name = "categories"

    def process_batch(self, items):
        return [
            StageOutput(item.article_id) if item.headline == "silent" else StageOutput(item.article_id, {"x": 1})
            for item in items
        ]


def test_output_with_neither_values_nor_an_error_becomes_an_item_error():
    outputs = run_stages([_SilentStage()], [ArticleText(1, "silent", ()), ArticleText(2, "spoken", ())])
    assert outputs == [
        StageOutput(1, error="the stage gave neither values nor an error"),
        StageOutput(2, {"x": 1}),
    ]


# Headline + one sentence, as many feeds carry a story; written for this test (no item from any labelled set).
SHORT_ITEMS = [
    (
        "Rovers hold leaders to goalless draw",
        "The league leaders dropped two points at home after their striker missed a late penalty.",
        SPORT,
    ),
    (
        "Chipmaker profits beat forecasts",
        "Quarterly profit rose 12% to $2.1bn on strong sales, and the company's shares climbed in early trading.",
        "medtop:04000000",
    ),
    (
        "Opposition wins snap election",
        "The opposition party took a clear majority of seats in parliament, and its leader is set to become prime"
        " minister.",
        "medtop:11000000",
    ),
    (
        "New phone runs for a week on one charge",
        "The handset uses a low-power processor and a new battery chemistry, its engineers said.",
        "medtop:13000000",
    ),
    (
        "Debut novel wins literary prize",
        "The author's first book, a family saga set in a fishing town, was named best novel by the judges.",
        "medtop:01000000",
    ),
]


@pytest.mark.models
@pytest.mark.parametrize(("title", "text", "expected"), SHORT_ITEMS, ids=[t for t, _, _ in SHORT_ITEMS])
def test_a_headline_and_one_sentence_get_the_obvious_category_first(category_pipeline, tmp_path, title, text, expected):
    results, _, error = run(tmp_path, [json.dumps({"id": 1, "title": title, "text": text})])
    assert error is None
    assert results[0]["categories"][0]["qcode"] == expected
