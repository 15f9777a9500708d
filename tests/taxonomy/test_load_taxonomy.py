"""`tidings load_taxonomy` and the committed IPTC taxonomy file."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tidings.lib.errors import InvalidInput
from tidings.taxonomy import iptc
from tidings.taxonomy.iptc import parse_categories
from tidings.taxonomy.models import Category


def run_load(*args: str) -> str:
    out = StringIO()
    call_command("load_taxonomy", *args, stdout=out)
    return out.getvalue()


def test_committed_file_has_17_top_level_and_120_second_level_categories():
    categories = iptc.load_categories()
    assert sum(c.level == 1 for c in categories) == 17
    assert sum(c.level == 2 for c in categories) == 120


def test_every_committed_category_has_a_description_of_its_own():
    descriptions = [c.description for c in iptc.load_categories()]
    assert all(len(d.split()) >= 6 for d in descriptions)
    assert len(set(descriptions)) == len(descriptions)


def test_parse_rejects_a_child_whose_parent_is_missing():
    raw = json.dumps({"categories": [{"qcode": "medtop:2", "name": "child", "parent": "medtop:1", "level": 2}]})
    with pytest.raises(InvalidInput, match="parent medtop:1 of medtop:2 is not in the file"):
        parse_categories(raw)


def test_parse_rejects_a_repeated_qcode():
    entry = {"qcode": "medtop:1", "name": "sport", "parent": None, "level": 1}
    with pytest.raises(InvalidInput, match="medtop:1 appears twice"):
        parse_categories(json.dumps({"categories": [entry, entry]}))


@pytest.mark.django_db
def test_load_creates_all_categories_with_parents_and_prints_a_summary():
    output = run_load()
    assert "137 categories (17 top level): 137 added" in output
    assert Category.objects.count() == 137
    war = Category.objects.get(qcode="medtop:16000000")
    assert war.name == "conflict, war and peace"
    assert war.slug == "conflict-war-and-peace"
    assert war.children.count() == 9
    assert Category.objects.get(qcode="medtop:20000574").parent.name == "politics and government"


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    run_load()
    ids = dict(Category.objects.values_list("qcode", "id"))
    output = run_load()
    assert "0 added, 0 updated, 137 unchanged" in output
    assert dict(Category.objects.values_list("qcode", "id")) == ids


@pytest.mark.django_db
def test_reload_restores_an_edited_description(taxonomy):
    Category.objects.filter(qcode="medtop:15000000").update(description="edited")
    output = run_load()
    assert "1 updated" in output
    assert Category.objects.get(qcode="medtop:15000000").description.startswith("Sport:")


@pytest.mark.django_db
def test_load_keeps_categories_that_are_not_in_the_file(taxonomy):
    Category.objects.create(qcode="medtop:99999999", name="local news", slug="local-news")
    run_load()
    assert Category.objects.filter(qcode="medtop:99999999").exists()


@pytest.mark.django_db
def test_slug_taken_by_another_category_gets_the_qcode_appended():
    Category.objects.create(qcode="medtop:99999999", name="Sport (local)", slug="sport")
    run_load()
    assert Category.objects.get(qcode="medtop:15000000").slug == "sport-15000000"


@pytest.mark.django_db
def test_bad_file_is_a_command_error_and_stores_nothing(tmp_path):
    path = tmp_path / "taxonomy.json"
    path.write_text("{not json")
    with pytest.raises(CommandError, match="is not valid JSON"):
        run_load("--file", str(path))
    assert not Category.objects.exists()
