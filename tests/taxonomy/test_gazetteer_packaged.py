"""The packaged gazetteer: names, demonyms and aliases it knows, cities in countries, matching in text."""

import pytest

from tidings.taxonomy.gazetteer import default_gazetteer, match_gazetteer


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Syrian", "Syria"),
        ("Türkiye", "Turkey"),
        ("Turkish", "Turkey"),
        ("U.S.", "United States"),
        ("USA", "United States"),
        ("American", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("British", "United Kingdom"),
        ("Russian", "Russia"),
        ("Iranian", "Iran"),
        ("Israeli", "Israel"),
        ("UN", "United Nations"),
        ("NATO", "NATO"),
        ("EU", "European Union"),
        ("WHO", "World Health Organization"),
        ("Hezbollah", "Hezbollah"),
        ("Gaza", "Gaza Strip"),
        ("Kharkiv", "Kharkiv"),
        ("Kharkov", "Kharkiv"),  # a GeoNames spelling variant
        ("Idleb", "Idlib"),
        ("New York", "New York City"),  # the city; the state is "New York State"
        ("New York State", "New York State"),
        ("Texas", "Texas"),
        ("Lagos", "Lagos"),
        ("Medellín", "Medellín"),
        ("Middle East", "Middle East"),
        ("European", "Europe"),
    ],
)
def test_gazetteer_knows(written, name):
    form = default_gazetteer().lookup(written)
    assert form is not None and form.entry.name == name


@pytest.mark.parametrize(
    ("city", "country"),
    [
        ("Aleppo", "Syria"),
        ("Damascus", "Syria"),
        ("Homs", "Syria"),
        ("Idlib", "Syria"),
        ("Moscow", "Russia"),
        ("Ankara", "Turkey"),
    ],
)
def test_gazetteer_city_lies_in_its_country(city, country):
    assert default_gazetteer().entry(city).parent == country


@pytest.mark.parametrize(
    "name",
    [
        "HTS",
        "YPG",
        "SDF",
        "Hayat Tahrir al-Sham",
        "People's Protection Units",
        "Syrian Civil Defense",
        "Syrian Civil Defence",
        "Marat al-Numan",
        "Syrian Observatory for Human Rights",
    ],
)
def test_gazetteer_has_no_entry_made_for_the_seed(name):
    assert default_gazetteer().lookup(name) is None


def test_gazetteer_cities_come_from_geonames_above_the_floor():
    from tidings.taxonomy.world_cities import GAZETTEER_CITY_FLOOR

    gazetteer = default_gazetteer()
    assert GAZETTEER_CITY_FLOOR == 50_000
    assert sum(entry.group == "city" for entry in gazetteer.entries) > 10_000
    assert gazetteer.lookup("Syria").entry.group == "country"  # a country beats a city of the same name
    assert gazetteer.entry("Kuwait").group == "country"


def test_gazetteer_city_named_like_a_common_word_needs_the_model():
    gazetteer = default_gazetteer()
    assert gazetteer.entry("Reading").confirm and gazetteer.entry("Nice").confirm
    assert not gazetteer.entry("Aleppo").confirm and not gazetteer.entry("London").confirm


def test_gazetteer_has_every_country():
    assert sum(entry.group == "country" for entry in default_gazetteer().entries) >= 195


def test_gazetteer_cities_name_known_countries():
    gazetteer = default_gazetteer()
    countries = {e.name for e in gazetteer.entries if e.group == "country"}
    assert {e.parent for e in gazetteer.entries if e.group == "city"} <= countries


def matched(text):
    return [(text[m.start : m.end], m.form.entry.name) for m in match_gazetteer(text, default_gazetteer())]


def test_gazetteer_match_leaves_out_the_article_word():
    assert matched("The Syrian army left.") == [("Syrian", "Syria")]


def test_gazetteer_match_takes_the_longest_name():
    assert matched("Voters in New Mexico") == [("New Mexico", "New Mexico")]


def test_gazetteer_match_accepts_names_written_in_lower_case():
    assert matched("a statement by al-Qaeda") == [("al-Qaeda", "Al-Qaeda")]


def test_gazetteer_match_leaves_off_a_possessive():
    assert matched("Syria\u2019s war") == [("Syria", "Syria")]


# The spaCy stage.
