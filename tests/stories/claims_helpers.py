"""Shared by the claims tests: the parsed pipeline once per session, and claims as plain dicts."""

from __future__ import annotations

import pytest

from tidings.stories.claims import claims_nlp, extract_claims


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return claims_nlp()


def claims_of(text: str, nlp) -> list[dict]:  # type: ignore[no-untyped-def]
    found = [claim.as_dict() for claim in extract_claims(text, nlp)]
    for claim in found:  # every span is where it says it is
        for part in ("speaker", "cue", "content"):
            span = claim[part]
            if span is not None:
                assert text[span["start"] : span["end"]] == span["text"]
    return found


def by_cue(claims: list[dict], cue: str) -> dict:
    matches = [c for c in claims if c["cue"]["text"] == cue]
    assert len(matches) == 1, f"expected one claim with cue {cue!r}, got {claims}"
    return matches[0]


def speaker_text(claim: dict) -> str | None:
    return claim["speaker"]["text"] if claim["speaker"] else None
