"""A plural common noun starting a sentence ("Friends said…") is a speaker text, no new speaker topic; real names
that start a sentence still are. Texts written for these tests."""

from __future__ import annotations

import pytest

from tidings.enrichment.stage import ArticleText
from tidings.stories.ledger import SpeakerRef, match_speaker
from tidings.stories.stage import ClaimsStage

SHELL = SpeakerRef("Shell", "organisation")


def test_a_common_noun_speaker_makes_no_new_topic_but_still_names_a_known_entity() -> None:
    assert match_speaker("Friends", {}, "ORG", common_noun=True) is None
    assert match_speaker("Friends", {}, "ORG") == SpeakerRef("Friends", "organisation", new=True)
    assert match_speaker("Shell", {"shell": SHELL}, "ORG", common_noun=True) == SHELL


@pytest.mark.models
def test_the_stage_keeps_common_noun_claims_without_a_topic_and_names_with_one() -> None:
    text = ArticleText(
        1,
        "Harbour plan",
        (
            "Friends said she had always loved the harbour. Neighbours said the noise had gone on for weeks.",
            "Charities said the cuts would hurt families. Reuters said the figures were right.",
            "Hamas said the talks had failed. The plan was first reported by Apple News, and Apple said it agreed.",
        ),
        facts={"entities": []},
    )
    [output] = ClaimsStage().process_batch([text])
    refs = {c["speaker"]["text"]: c["speaker_ref"] for c in output.values["claims"] if c["speaker"]}
    for common in ("Friends", "Neighbours", "Charities"):
        assert common in refs and refs[common] is None, (common, refs)
    for name in ("Reuters", "Hamas", "Apple"):
        assert refs.get(name) and refs[name]["name"] == name, (name, refs)
