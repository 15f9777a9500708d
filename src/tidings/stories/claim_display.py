"""How a stored claim reads in a "Who says what" line: the cue with the words that tie it to its content, and the
speaker's name as a label. Pure: values in, strings out.

A line is shown as `<kind> <cue phrase> <content>` under its speaker. The stored cue is the verb alone ("calls" in
"calls for action on …", the bench's convention), so the line would read "calls action on …"; the cue phrase takes
back the particle or preposition between the cue and its content. When the content does not follow the cue closely
("'…,' she said"; "told reporters in Halden that …"), the phrase ends with a colon instead.

A cue that is not a verb never takes the colon: "according to" names its speaker after it, so a line shows it with
the speaker ("according to the ministry, rents rose"; alone, "according to: rents rose" reads as if the speaker were
missing), and with no speaker as "reportedly"; a hedging adverb ("reportedly", "allegedly") reads as it stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from tidings.stories.ledger import Part, part_at

# Words that may stand between a cue and its content and belong with the cue: "called for", "called on", "pointed
# to", "warned of", "complained about", "warned against", "said that", "agreed with", "pointed out that".
LINK_WORDS = frozenset("for on upon to of about against that with out".split())
_QUOTES = "\"'\u201c\u201d\u2018\u2019"
# Cues whose speaker follows them ("according to the ministry"), and cues that stand for a speaker nobody names.
SPEAKER_AFTER = frozenset({"according to"})
ADVERB_CUES = frozenset("reportedly allegedly purportedly supposedly reputedly".split())


def cue_phrase(cue: str, between: str | None, speaker: str | None = None) -> str:
    """The cue as a ledger line shows it. `between` is the text from the cue's end to its content's start, None
    when the content comes first or lies elsewhere. `speaker` (the claim's speaker as written, "" for none) is
    given where the line is read as a sentence: "according to" then carries it; None leaves it out (a title that
    names the speaker already)."""
    word = " ".join(cue.split())
    if word[:1].isupper() and word[1:] == word[1:].lower():
        word = word[:1].lower() + word[1:]  # "According to" opening its sentence
    if word.lower() in SPEAKER_AFTER:
        if speaker is None:
            return word.lower()
        named = " ".join(speaker.split())
        return f"{word.lower()} {named}," if named else "reportedly"
    if word.lower() in ADVERB_CUES:
        return word.lower()
    if between is None:
        return f"{word}:"
    words = between.strip().strip(_QUOTES).split()
    if not words:
        return word
    if len(words) <= 2 and all(w.lower() in LINK_WORDS for w in words):
        return " ".join([word, *words])
    return f"{word}:"


def text_between(parts: Sequence[Part], cue_end: int, content_start: int) -> str | None:
    """The article text from a cue's end to its content's start (offsets into the article text), when both lie in
    one part and the content follows the cue; else None."""
    if content_start < cue_end:
        return None
    part = part_at(parts, cue_end, content_start)
    if part is None:
        return None
    return part.text[cue_end - part.start : content_start - part.start]


def speaker_label(text: str) -> str:
    """A speaker as a group's label: one space between words, the first letter capitalised ("housing campaigner
    Marta Aldana" → "Housing campaigner Marta Aldana", "the ministry" → "The ministry"); names are kept as written."""
    label = " ".join(text.split())
    return label[:1].upper() + label[1:] if label[:1].islower() else label
