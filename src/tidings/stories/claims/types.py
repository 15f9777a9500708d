"""Value types of the claims ledger: who says what, with character offsets into the text read."""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of statement a cue introduces.
REPORT = "report"
CLAIM = "claim"
CONFIRMATION = "confirmation"
DENIAL = "denial"
ACCUSATION = "accusation"
CALL_TO_ACTION = "call to action"
WARNING = "warning"
PROMISE = "promise"
BELIEF = "belief"
INTENTION = "intention"
CHARACTERIZATION = "characterization"
AGREEMENT = "agreement"
KINDS = (
    REPORT,
    CLAIM,
    CONFIRMATION,
    DENIAL,
    ACCUSATION,
    CALL_TO_ACTION,
    WARNING,
    PROMISE,
    BELIEF,
    INTENTION,
    CHARACTERIZATION,
    AGREEMENT,
)


@dataclass(frozen=True, slots=True)
class TextSpan:
    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, object]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Claim:
    """One attributed (or unattributed) statement.

    `speaker` is None when nobody is named ("reportedly", "images circulating online show"); then `attributed`
    is False. A pronoun speaker is resolved to the noun phrase it stands for, which may lie earlier in the text.
    `via` is the speaker of the statement this one is reported in ("Police said the judge had ordered …": the
    judge's order, reported by police), None when the text makes it directly. A nested claim keeps its own speaker,
    as the bench annotates it; the ledger shows it as part of the outer claim, not as the inner speaker's own.
    """

    speaker: TextSpan | None
    cue: TextSpan
    content: TextSpan
    quote: bool
    kind: str
    attributed: bool
    via: TextSpan | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "speaker": self.speaker.as_dict() if self.speaker else None,
            "cue": self.cue.as_dict(),
            "content": self.content.as_dict(),
            "quote": self.quote,
            "kind": self.kind,
            "attributed": self.attributed,
            "via": self.via.as_dict() if self.via else None,
        }
