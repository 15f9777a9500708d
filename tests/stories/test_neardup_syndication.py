"""Near-duplicates on invented news texts: a syndicated copy (bench/_syndication.py's edits) is linked; another
outlet's own article on the same event (same names, places and figures, other words) is not."""

from __future__ import annotations

import random

import pytest
from bench._syndication import KINDS, syndicate

from tidings.stories.neardup import Entry, fingerprint, plan_links

HEADLINE = "Floodwater forces evacuation of Carrow Bridge care home"
PARAGRAPHS = (
    "Residents of the Saint Aldric care home in Carrow Bridge were moved to the town's sports hall on "
    "Wednesday night after the river Wend burst its banks for the second time this winter.",
    "Fire crews carried 42 residents, some in wheelchairs, through knee-deep water to waiting buses, said "
    "Imogen Farrant, who manages the home, adding that nobody had been hurt.",
    "The Environment Office had issued a severe warning for the lower Wend valley on Tuesday afternoon, "
    "but the water rose faster than its gauges had suggested it would.",
    "Local councillor Desmond Achebe said the town's flood wall, finished in 2019, had held along most of "
    "its length but was overtopped near the old mill where the river bends sharply.",
    "Volunteers from the parish church brought blankets and hot food to the sports hall, where the "
    "residents are expected to stay until at least the weekend while the building dries out.",
    "Farrant said the home's ground floor would need new flooring and that families had been told they "
    "could visit the hall between ten in the morning and six in the evening.",
    "The Met service expects more rain on Friday, and the Environment Office said it was keeping pumps "
    "on standby along the lower valley in case the river rises again.",
    "A meeting for residents of the streets near the mill has been called for Monday evening at the "
    "town hall, where council engineers will explain what went wrong with the wall.",
    "Achebe said he would ask the regional government for money to raise the wall by half a metre along "
    "the stretch that failed, a job he said could be done before next winter.",
)
# The same event told by another outlet in its own words: the same people, places and figures.
OTHER_HEADLINE = "Carrow Bridge care home evacuated as river Wend floods again"
OTHER_PARAGRAPHS = (
    "Forty-two elderly people spent Wednesday night in a sports hall in Carrow Bridge after the river Wend "
    "flooded the Saint Aldric care home, the second flood to hit the town this winter.",
    "Firefighters waded through the water carrying residents to buses. Imogen Farrant, the home's manager, "
    "told reporters all 42 were safe and in good spirits despite the cold.",
    "Councillor Desmond Achebe blamed a weak section of the flood wall built in 2019 beside the old mill, "
    "where the water spilled over and ran down towards the home.",
    "The Environment Office, which warned of severe flooding in the lower Wend valley on Tuesday, said its "
    "river gauges had underestimated how quickly the water would climb.",
    "Church volunteers have set up a kitchen in the hall. Farrant expects the building to be empty until "
    "the weekend at least, and the ground floor will have to be refloored.",
    "With rain forecast for Friday, pumps remain on standby. Engineers from the council will answer "
    "questions from neighbours at the town hall on Monday evening.",
    "Achebe wants the regional government to pay for raising the failed stretch of wall by half a metre "
    "before next winter arrives.",
)


def _linked(first: tuple[str, str], second: tuple[str, str]) -> bool:
    entries = []
    for key, (headline, body) in enumerate((first, second)):
        fp = fingerprint(key, headline, body)
        assert fp is not None
        entries.append(Entry(fingerprint=fp, order=(float(key), key)))
    return plan_links([], entries).links == {1: 0}


@pytest.mark.parametrize("kind", KINDS)
def test_syndicated_copy_is_linked_to_its_original(kind: str) -> None:
    headline, paragraphs = syndicate(HEADLINE, PARAGRAPHS, kind, 2, random.Random(7), OTHER_HEADLINE)
    assert (headline, paragraphs) != (HEADLINE, list(PARAGRAPHS))  # the edit changed something
    assert _linked((HEADLINE, "\n\n".join(PARAGRAPHS)), (headline, "\n\n".join(paragraphs)))


def test_curly_apostrophe_does_not_make_another_name() -> None:
    straight = "\n\n".join(p.replace("the home", "Farrant's home") for p in PARAGRAPHS)
    curly = straight.replace("'", "\u2019")
    assert curly != straight
    first, second = fingerprint(0, HEADLINE, straight), fingerprint(1, HEADLINE, curly)
    assert first is not None and second is not None
    assert first.names.tolist() == second.names.tolist()


def test_other_outlets_article_on_the_same_event_is_not_linked() -> None:
    original = (HEADLINE, "\n\n".join(PARAGRAPHS))
    assert not _linked(original, (OTHER_HEADLINE, "\n\n".join(OTHER_PARAGRAPHS)))
    # Nor once both are syndicated: the edits do not make two articles one.
    copy, copied = syndicate(OTHER_HEADLINE, OTHER_PARAGRAPHS, "mixed", 1, random.Random(7), HEADLINE)
    assert not _linked(original, (copy, "\n\n".join(copied)))
