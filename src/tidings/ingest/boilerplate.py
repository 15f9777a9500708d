"""Pure: boilerplate a source repeats across its articles, learned from the articles themselves.

A source's pages (or text dumps) carry the same lines around every story: "Sign up for our
newsletter", "Follow us on…", a standard closing paragraph. The state remembers, for the last
`window` articles of one source, which normalised lines each contained (as short hashes). A line
is boilerplate once it has appeared in at least `min_articles` of those articles (or in more than
half of them, while the window is small) and in at least two in five of them (MIN_SHARE). A line seen
in only one article is never boilerplate, and nothing is while the window knows fewer than
`min_articles` articles.

    state = BoilerplateState()
    state = learn(state, article.paragraphs)      # once per stored article of the source
    paragraphs = strip(state, article.paragraphs)  # the article without the learned lines

The state is a frozen value; `to_json`/`from_json` turn it into plain data for storage.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

DEFAULT_WINDOW = 50
DEFAULT_MIN_ARTICLES = 3
# …and in at least this share of the remembered articles: a stock sentence a newsroom reuses now and
# then ("did not respond to a request for comment") is story text; a site's boilerplate is on most pages.
MIN_SHARE = 0.4
MAX_LINE_CHARS = 400  # longer blocks are story text, not boilerplate, in practice; they are not tracked
_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_ASCII_NON_WORD = {code: " " for code in range(128) if not chr(code).isalnum()}  # [\W_] within ASCII


@dataclass(frozen=True, slots=True)
class BoilerplateState:
    """The last `window` articles of one source, each as the set of its line hashes (oldest first)."""

    articles: tuple[frozenset[str], ...] = ()
    window: int = DEFAULT_WINDOW
    min_articles: int = DEFAULT_MIN_ARTICLES

    def __post_init__(self) -> None:
        if self.window < 1 or self.min_articles < 2:
            raise ValueError("window must be at least 1 and min_articles at least 2")

    @property
    def counts(self) -> Counter[str]:
        """In how many of the remembered articles each line hash appears."""
        counts: Counter[str] = Counter()
        for lines in self.articles:
            counts.update(lines)
        return counts

    def repeated(self) -> frozenset[str]:
        """Hashes of the lines that count as boilerplate now."""
        seen = len(self.articles)
        if seen < self.min_articles:
            return frozenset()
        needed = max(2, min(self.min_articles, seen // 2 + 1), math.ceil(MIN_SHARE * seen))
        return frozenset(key for key, count in self.counts.items() if count >= needed)


def normalise(line: str) -> str:
    """Case, accents, punctuation, spacing and numbers do not make two boilerplate lines different."""
    if line.isascii():  # the same result by a faster road: NFKC changes no ASCII text, and casefold is lower
        text = line.lower().translate(_ASCII_NON_WORD)
        if _DIGIT.search(text):
            text = _DIGITS.sub("0", text)
        return " ".join(text.split())
    text = unicodedata.normalize("NFKC", line).casefold()
    text = _DIGITS.sub("0", text)
    return " ".join(_NON_WORD.sub(" ", text).split())


def line_key(line: str) -> str:
    """A short stable hash of the normalised line ("" for lines too short or too long to track)."""
    if len(line) > MAX_LINE_CHARS:
        return ""
    text = normalise(line)
    if not text:
        return ""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def article_keys(paragraphs: Iterable[str]) -> frozenset[str]:
    keys = (line_key(line) for paragraph in paragraphs for line in _lines(paragraph))
    return frozenset(key for key in keys if key)


def learn(state: BoilerplateState, paragraphs: Iterable[str]) -> BoilerplateState:
    """The state after one more article of the source (the oldest is forgotten past the window).

    Learning an article the window already holds (a refetch, a reprocessing) changes nothing, so an
    article never turns its own lines into boilerplate by being seen again.
    """
    return learn_keys(state, article_keys(paragraphs))


def learn_keys(state: BoilerplateState, keys: frozenset[str]) -> BoilerplateState:
    """`learn` for an article whose `article_keys` are already known (computed once, e.g. off the store)."""
    if not keys or keys in state.articles:
        return state
    articles = (*state.articles, keys)[-state.window :]
    return BoilerplateState(articles=articles, window=state.window, min_articles=state.min_articles)


def strip(state: BoilerplateState, paragraphs: Iterable[str]) -> tuple[str, ...]:
    """The paragraphs without learned boilerplate lines; a paragraph left empty is dropped."""
    return strip_repeated(state.repeated(), paragraphs)


def strip_repeated(
    repeated: frozenset[str], paragraphs: Iterable[str], line_keys: Sequence[Sequence[str]] | None = None
) -> tuple[str, ...]:
    """`strip` with the state's `repeated()` worked out once for many articles; `line_keys` (from
    `paragraph_line_keys`, one tuple per paragraph) saves hashing the lines again."""
    if not repeated:
        return tuple(paragraphs)
    kept: list[str] = []
    for n, paragraph in enumerate(paragraphs):
        keys = line_keys[n] if line_keys is not None else [line_key(line) for line in _lines(paragraph)]
        if not any(key in repeated for key in keys):
            kept.append(paragraph)
            continue
        remaining = [line for line, key in zip(_lines(paragraph), keys, strict=True) if key not in repeated]
        if remaining:
            kept.append("\n".join(remaining))
    return tuple(kept)


def paragraph_line_keys(paragraphs: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each paragraph's line keys, in order ("" for an untracked line); their non-empty union is `article_keys`."""
    return tuple(tuple(line_key(line) for line in _lines(paragraph)) for paragraph in paragraphs)


def keys_of(line_keys: Iterable[Iterable[str]]) -> frozenset[str]:
    """`article_keys` from `paragraph_line_keys` output."""
    return frozenset(key for keys in line_keys for key in keys if key)


def to_json(state: BoilerplateState) -> dict[str, object]:
    return {
        "window": state.window,
        "min_articles": state.min_articles,
        "articles": [sorted(lines) for lines in state.articles],
    }


def from_json(data: object) -> BoilerplateState:
    """A state from `to_json` output; anything unreadable gives a fresh state rather than an error."""
    if not isinstance(data, Mapping):
        return BoilerplateState()
    window, min_articles, raw = data.get("window"), data.get("min_articles"), data.get("articles")
    if not isinstance(window, int) or not isinstance(min_articles, int) or not isinstance(raw, list):
        return BoilerplateState()
    if not all(isinstance(lines, list) for lines in raw):
        return BoilerplateState()
    articles = tuple(frozenset(str(key) for key in lines) for lines in raw)
    try:
        return BoilerplateState(articles=articles[-max(1, window) :], window=window, min_articles=min_articles)
    except ValueError:
        return BoilerplateState()


def _lines(paragraph: str) -> list[str]:
    return [line.strip() for line in paragraph.split("\n") if line.strip()]
