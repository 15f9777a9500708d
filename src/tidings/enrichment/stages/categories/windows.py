"""The rest of a long article, cut into windows the embedding model reads whole (issue 11.12).

The opening text (headline and first ~200 words) is one embedding, truncated at the model's 256 word pieces, so a
long article was categorised from its opening alone (the sentence votes read its first 8 sentences). Packing the
whole text into windows of about window_words words (at paragraph bounds where a paragraph fits, a longer one
cut) lets the category stage average a category's similarity over the article: the first window is the opening,
already embedded, so the stage embeds the later ones only (scoring.ScoringConfig.window_words, max_windows).
"""

from __future__ import annotations

from collections.abc import Sequence


def article_windows(headline: str, standfirst: str, paragraphs: Sequence[str], words: int, limit: int) -> list[str]:
    """Headline, standfirst and paragraphs packed into at most `limit` windows of up to `words` words, in order.

    A paragraph that does not fit in the current window starts the next one when it fits in a window of its own;
    a longer one is cut at the window size.
    """
    if words <= 0 or limit <= 0:
        return []
    windows: list[str] = []
    current: list[str] = []
    for part in (headline, standfirst, *paragraphs):
        rest = part.split()
        while rest:
            room = words - len(current)
            if len(rest) > room and current and len(rest) <= words:
                windows.append(" ".join(current))
                current = []
                continue
            current.extend(rest[:room])
            rest = rest[room:]
            if len(current) >= words:
                windows.append(" ".join(current))
                current = []
        if len(windows) >= limit:
            break
    if current and len(windows) < limit:
        windows.append(" ".join(current))
    return windows[:limit]


def later_windows(headline: str, standfirst: str, paragraphs: Sequence[str], words: int, limit: int) -> list[str]:
    """The windows after the first (which the opening-text embedding already covers): at most limit - 1 of them."""
    return article_windows(headline, standfirst, paragraphs, words, limit)[1:]
