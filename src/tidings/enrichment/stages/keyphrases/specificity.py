"""Whether a common word is specific enough to be a topic: "ceasefire" is, "government" and "rise" are not.

Pure apart from the word-frequency table (wordfreq, read once per process). The measure is general English
usage (wordfreq's Zipf scale), not this site's own articles, so one busy story cannot make its words generic:
a word used about 20 times per million words or more (Zipf 4.3) says too little about an article to follow.
"""

from __future__ import annotations

from functools import lru_cache

# Zipf frequency (log10 of uses per billion words) at or above which one word is too common to be a topic.
# Chosen on the demo corpus (seed 1851): "inflation" 4.14, "refugees" 4.26 and "tourism" 4.28 stay;
# "flood" 4.34, "protest" 4.45, "offensive" 4.46, "conflict" 4.64, "rise" 4.81, "government" 5.57 go.
SPECIFIC_ZIPF = 4.3
# An agent noun ("rescuer", "forecaster", "conservationist") names people, not what the article is about;
# it is told by its ending and by its stem being an English word in its own right.
_AGENT_ENDINGS = ("ists", "ist", "ers", "er", "ors")  # not a singular "-or": "reactor", "motor"
_STEM_ZIPF = 3.0


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common `word` is in English (0 for unknown words)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def is_specific_word(word: str) -> bool:
    """A single common noun rare enough in general English to name a subject ("ceasefire", not "rise")."""
    return zipf(word.casefold()) < SPECIFIC_ZIPF


def is_agent_noun(word: str) -> bool:
    """A word for people by what they do: "rescuers" (rescue), "economist" (economy), "worshippers" (worship)."""
    word = word.casefold()
    for ending in _AGENT_ENDINGS:
        if not word.endswith(ending) or len(word) - len(ending) < 4:
            continue
        stem = word[: -len(ending)]
        candidates = {stem, stem + "e", stem + "y", stem + "s", stem + "ics"}
        if len(stem) >= 2 and stem[-1] == stem[-2]:
            candidates.add(stem[:-1])  # "worshipp" → "worship"
        if stem.endswith("i"):
            candidates.add(stem[:-1] + "y")  # "economi"(st) → "economy"
        if any(zipf(candidate) >= _STEM_ZIPF for candidate in candidates):
            return True
    return False
