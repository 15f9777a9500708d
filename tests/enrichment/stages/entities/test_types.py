"""The model's entity type checked against a world gazetteer and against how the article uses the name."""

from tests.enrichment.stages.entities.test_stage import by_name, spans
from tidings.enrichment.stages.entities.rules import Line, extract_entities
from tidings.taxonomy.gazetteer import build_gazetteer
from tidings.taxonomy.world_places import known_place

EMPTY = build_gazetteer({})


def kinds(*lines_and_spans, is_place=None):
    lines = [Line("Weekly briefing", "headline")] + [Line(text, "body") for text, _ in lines_and_spans]
    found = extract_entities(lines, [[]] + [s for _, s in lines_and_spans], EMPTY, is_place=is_place)
    return {name: e["kind"] for name, e in by_name(found).items()}


def test_a_person_named_like_a_known_city_is_the_city():
    text = "Crowds gathered in the centre of Perth on Saturday."
    assert kinds((text, spans(text, ("Perth", "PERSON"))), is_place=known_place) == {"Perth": "place"}


def test_without_the_world_gazetteer_the_model_decides():
    text = "Crowds gathered in the centre of Perth on Saturday."
    assert kinds((text, spans(text, ("Perth", "PERSON")))) == {"Perth": "person"}


def test_a_full_name_is_not_a_place():
    text = "Marta Valencia won the race on Saturday."
    assert kinds((text, spans(text, ("Marta Valencia", "PERSON"))), is_place=known_place) == {
        "Marta Valencia": "person"
    }


def test_a_name_written_after_in_is_a_place():
    first = "Flooding closed roads in Wexley Point overnight."
    second = "Residents in Wexley Point were told to stay home."
    found = kinds((first, spans(first, ("Wexley Point", "ORG"))), (second, spans(second, ("Wexley Point", "ORG"))))
    assert found == {"Wexley Point": "place"}


def test_an_organisation_mostly_named_as_an_actor_stays_one():
    first = "Wexley Holdings said profits fell."
    second = "Wexley Holdings will cut jobs, and shares fell in Wexley Holdings too."
    found = kinds(
        (first, spans(first, ("Wexley Holdings", "ORG"))),
        (second, spans(second, ("Wexley Holdings", "ORG"), ("Wexley Holdings", "ORG"))),
    )
    assert found == {"Wexley Holdings": "organisation"}


def test_a_club_or_company_ending_makes_an_organisation():
    text = "Durban Rovers beat the champions, and Quantix Labs paid for the shirts."
    found = kinds((text, spans(text, ("Durban Rovers", "PERSON"), ("Quantix Labs", "PERSON"))))
    assert found == {"Durban Rovers": "organisation", "Quantix Labs": "organisation"}


def test_a_named_storm_is_an_event():
    text = "Storm Anselmo brought down trees across the north."
    assert kinds((text, spans(text, ("Storm Anselmo", "ORG")))) == {"Storm Anselmo": "event"}
