"""People the model tags as organisations, and short forms of a full name (people.py), on short texts written for
these tests with the model's spans given by hand (no model)."""

from __future__ import annotations

import pytest

from tests.enrichment.stages.entities.test_stage import spans
from tidings.enrichment.stages.entities.people import (
    after_title,
    person_evidence,
    reads_as_person_name,
    titled_name,
    without_titles,
)
from tidings.enrichment.stages.entities.rules import Line, extract_entities
from tidings.taxonomy.gazetteer import build_gazetteer

GAZETTEER = build_gazetteer(
    {"countries": [], "cities": [], "regions": [], "organisations": [{"name": "Rowan Brandt", "aliases": []}]}
)


def entities(*lines: tuple[str, list[tuple[str, str]]]) -> dict[str, str]:
    found = extract_entities(
        [Line(text, "body") for text, _ in lines], [spans(text, *labels) for text, labels in lines], GAZETTEER
    )
    return {str(e["name"]): str(e["kind"]) for e in found}


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Tomasz Desrosiers", True),
        ("Marta Iwasaki", True),
        ("Ana de la Fuente", True),
        ("Morgan Stanley", False),  # the last word is a given name too
        ("General Motors", False),  # "general" is a common English word
        ("Naples Tourism Board", False),  # no given name first
        ("Philippine Red Cross", False),  # everyday words after a given name
        ("Bergen Stock Exchange", False),
        ("Bergen Philharmonic", False),  # an organisation head (an orchestra)
        ("Thandiwe Holdings", False),  # an organisation head
        ("Tomasz", False),  # one word is no full name
    ],
)
def test_a_personal_name_reads_by_its_shape(name: str, person: bool) -> None:
    assert reads_as_person_name(name) is person


def test_titles_before_a_name() -> None:
    assert after_title("Health minister Okoro Brightwater said", len("Health minister "))
    assert after_title("Dr. Okoro Brightwater", 4)
    assert not after_title("The port of Okoro Brightwater", len("The port of "))
    assert titled_name("Dr Okoro Brightwater") and titled_name("Minister Okoro Brightwater")
    assert not titled_name("General Motors") and not titled_name("Dr Brightwater Holdings")
    assert without_titles("Dr Ana Ruiz") == "Ana Ruiz" and without_titles("Minister") == "Minister"


def test_person_evidence_needs_a_title_a_known_surname_or_the_shape() -> None:
    assert person_evidence("Okoro Brightwater", True, ())  # "Dr Okoro Brightwater"
    assert person_evidence("Okoro Brightwater", False, {"brightwater"})  # "Brightwater" is a person elsewhere
    assert not person_evidence("Okoro Brightwater", False, {"okoro"})
    assert person_evidence("Brightwater", False, {"brightwater"})
    assert not person_evidence("Okoro Brightwater Group", True, ())


def test_a_full_name_the_model_tagged_as_an_organisation_is_a_person() -> None:
    text = "Tomasz Desrosiers said the port would close."
    assert entities((text, [("Tomasz Desrosiers", "ORG")])) == {"Tomasz Desrosiers": "person"}


def test_a_firm_named_like_people_stays_an_organisation() -> None:
    text = "Morgan Stanley said rates would rise, and the Naples Tourism Board agreed."
    found = entities((text, [("Morgan Stanley", "ORG"), ("Naples Tourism Board", "ORG")]))
    assert found == {"Morgan Stanley": "organisation", "Naples Tourism Board": "organisation"}


def test_a_title_before_an_organisation_tagged_name_makes_it_a_person() -> None:
    text = "Health minister Okoro Brightwater opened the clinic."
    assert entities((text, [("Okoro Brightwater", "ORG")])) == {"Okoro Brightwater": "person"}
    titled = "Dr Okoro Brightwater opened the clinic."
    assert entities((titled, [("Dr Okoro Brightwater", "ORG")])) == {"Okoro Brightwater": "person"}


def test_a_surname_the_article_uses_for_a_person_makes_the_full_name_one() -> None:
    first = "Okoro Brightwater opened the clinic."
    second = "Brightwater thanked the staff."
    found = entities((first, [("Okoro Brightwater", "ORG")]), (second, [("Brightwater", "PERSON")]))
    assert found == {"Okoro Brightwater": "person"}  # and the surname joined it


def test_a_later_surname_or_given_name_alone_joins_the_full_name() -> None:
    found = entities(
        ("Labour minister Marta Iwasaki spoke on Monday.", [("Marta Iwasaki", "PERSON")]),
        ("Iwasaki said talks would resume.", [("Iwasaki", "ORG")]),
        ("Marta said she was hopeful.", [("Marta", "GPE")]),
    )
    assert found == {"Marta Iwasaki": "person"}


def test_a_given_name_two_people_share_stays_apart() -> None:
    found = entities(
        ("Marta Iwasaki and Marta Olsen spoke.", [("Marta Iwasaki", "PERSON"), ("Marta Olsen", "PERSON")]),
        ("Marta said she was hopeful.", [("Marta", "PERSON")]),
    )
    assert found == {"Marta Iwasaki": "person", "Marta Olsen": "person", "Marta": "person"}


def test_a_gazetteer_organisation_keeps_its_kind() -> None:
    text = "Rowan Brandt said profits fell."
    assert entities((text, [("Rowan Brandt", "ORG")])) == {"Rowan Brandt": "organisation"}


def test_a_role_word_the_model_took_into_a_name_is_dropped_or_joins_the_person() -> None:
    text = "Archbishop Ayesha Novak led the service."
    assert entities((text, [("Archbishop Ayesha Novak", "PERSON")])) == {"Ayesha Novak": "person"}
    found = entities(
        ("Astrophysicist Okoro Brightwater said the comet was bright.", [("Astrophysicist Okoro Brightwater", "ORG")]),
        ("Okoro Brightwater, who led the study, agreed.", [("Okoro Brightwater", "PERSON")]),
    )
    assert found == {"Okoro Brightwater": "person"}


@pytest.mark.parametrize(
    ("text", "model_span", "name"),
    [
        ("Fire chief Emeka Aldana told reporters the fire was out.", "Aldana", "Emeka Aldana"),
        ("Lead researcher Rafael Obi said the robot worked.", "Rafael", "Rafael Obi"),
        (
            "Crews were tired. Epidemiologist Okoro Brightwater said cases rose.",
            "Okoro Brightwater",
            "Okoro Brightwater",
        ),
        ("On Tuesday Aldana said the fire was out.", "Aldana", "Aldana"),  # a common word is no name
        ("The Brightwater Group and Aldana agreed.", "Aldana", "Aldana"),  # nothing beside it to take
        ("Residents of Okoro Hill said the road flooded.", "Okoro", "Okoro"),  # "Hill" ends place names
        ("Baron Okoro spoke in the Lords.", "Okoro", "Okoro"),  # a title is not a name word
    ],
)
def test_a_person_span_takes_in_the_name_words_the_model_left_out(text: str, model_span: str, name: str) -> None:
    assert entities((text, [(model_span, "PERSON")])) == {name: "person"}


def test_a_person_span_does_not_grow_into_a_gazetteer_name() -> None:
    text = "Volunteers in Rowan Hill cleared the road."  # the model tags "Hill"; "Rowan" is no gazetteer entry
    assert entities((text, [("Hill", "PERSON")])) == {"Rowan Hill": "place"}  # widened, then read as a place
    named = "Staff at Rowan Brandt Hallorann met."
    assert entities((named, [("Hallorann", "PERSON")]))["Hallorann"] == "person"  # "Rowan Brandt" is a gazetteer name


def test_a_person_span_does_not_grow_into_another_entity() -> None:
    text = "Delegates met Aldana Brightwater Holdings staff."
    found = entities((text, [("Aldana", "PERSON"), ("Brightwater Holdings", "ORG")]))
    assert found == {"Aldana": "person", "Brightwater Holdings": "organisation"}


def test_role_words_the_model_took_into_a_persons_span_are_dropped() -> None:
    text = "Neighbour Tariq Varga said the village helped."
    assert entities((text, [("Neighbour Tariq Varga", "PERSON")])) == {"Tariq Varga": "person"}
    text = "Jean Paul Sartre wrote the play."  # a given name first is kept
    assert entities((text, [("Jean Paul Sartre", "PERSON")])) == {"Jean Paul Sartre": "person"}
