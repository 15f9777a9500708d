"""Pure category scoring: cosine similarities in, calibrated multi-label IPTC categories out.

Each category is represented by short prototype phrases cut from our description ("Sport: matches,
football, ..." → "matches", "football", ...) and by a few example news sentences of our own ("The
striker scored twice in the league game."); its similarity to a text is the mean of its best few
phrase similarities mixed with its closest example sentence (mixed_prototype_scores). Phrases alone
missed stories told through events rather than topic words (a 100th birthday read as lifestyle).
Each top-level category also gets an offset fitted on those example sentences (example_bias), so a broadly worded
description does not win more often for its breadth alone.
A top-level category's score mixes two distributions over the 17 top-level categories: a softmax
of the opening text's similarities (the gist) and the mean of per-sentence softmaxes (what else
the article covers). The best is always kept, others when enough of the sentences lean to them.
Second-level categories follow a chosen parent (choose_children), learned ones with the supervised model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import numpy as np

MODEL = "model"
PUBLISHER = "publisher"

_PHRASE_SPLIT = re.compile(r",\s*|\s+and\s+|;\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019']?\s+(?=[\"\u201c\u2018']?[A-Z0-9])")
_WORD = re.compile(r"[a-z]+")
_TRAILING_ID = re.compile(r"[-_]?\d+$")


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    temperature: float = 0.03  # softmax temperature over the opening text's cosine similarities
    top_k: int = 5  # phrases averaged for a top-level category
    child_top_k: int = 3  # phrases averaged for a second-level category
    # The prefix and these two weights were re-chosen in issue 12 on bench/categorize.py's tuning 30 % only
    # (bench/_category_tuning.py: tuning macro-F1 0.868 → 0.886; neighbours 0.876-0.887).
    sentence_weight: float = 0.7  # weight of the sentence-vote share against the opening-text softmax
    max_sentences: int = 8  # sentences read per article (headline included); each costs an embedding
    example_weight: float = 0.15  # weight of a category's example sentences against its description phrases
    example_top_k: int = 1  # example sentences averaged per category: the closest one
    phrase_prefix: str = "a news story about "  # prototype phrases read as news (tuning 30 %: +0.03 macro-F1)
    min_sentence_words: int = 4
    min_score: float = 0.04  # a further top-level category needs this score ...
    min_sentence_share: float = 0.08  # ... and this share of the sentences
    max_top_level: int = 3
    child_min_share: float = 0.45  # the best child must hold this share among its siblings ...
    child_min_similarity: float = 0.25  # ... be this similar to the opening text ...
    child_min_margin: float = 0.02  # ... and this much more similar than the next sibling
    max_children: int = 2  # second-level categories kept under one parent
    publisher_weight: float = 0.5  # a publisher-labelled category scores at least this
    # Short texts (a headline and a sentence or two, as many feeds carry): see for_length(). The three settings
    # were chosen on bench/categorize.py --short's 30 % tuning split (a plateau: neighbours within 0.003-0.005);
    # the two lengths were set by reasoning, not tuned (BBC's short texts hold 20-50 words, its articles 89+).
    short_words: int = 60  # an opening text up to this many words uses the short-text settings below ...
    long_words: int = 120  # ... one of at least this many the settings above; in between, a linear mix
    short_temperature: float = 0.04  # softer: one or two sentences are weaker evidence than a whole opening
    short_sentence_weight: float = 0.5  # two votes (headline, sentence) say little more than the opening text
    short_headline_vote: float = 0.1  # a headline's wordplay ("storms to win") counts a tenth of the plain sentence
    # A per-category offset learned from our own example sentences (example_bias), added to every top-level
    # similarity at this weight. Chosen with short_temperature 0.04 and short_headline_vote 0.1 on the tuning 30 % only
    # (bench/categorize.py's split; docs/design.md lists the figures): 0.5-0.75 is a plateau, 1.0 falls back.
    example_bias_weight: float = 0.7


@dataclass(frozen=True, slots=True)
class ScoredCategory:
    qcode: str
    score: float
    origin: str  # MODEL or PUBLISHER

    def as_value(self) -> dict[str, object]:
        return {"qcode": self.qcode, "score": round(self.score, 4), "origin": self.origin}


def for_length(config: ScoringConfig, words: int) -> ScoringConfig:
    """The settings for an opening text of `words` words: the short-text ones up to short_words, the long ones from
    long_words, a linear mix in between (so one more word never flips a result)."""
    if words >= config.long_words:
        return config
    span = max(1, config.long_words - config.short_words)
    t = min(1.0, max(0.0, (words - config.short_words) / span))  # 0: short, 1: long

    def mix(short: float, long: float) -> float:
        return short + t * (long - short)

    return replace(
        config,
        temperature=mix(config.short_temperature, config.temperature),
        sentence_weight=mix(config.short_sentence_weight, config.sentence_weight),
        short_headline_vote=mix(config.short_headline_vote, 1.0),
    )


def description_phrases(name: str, description: str) -> tuple[str, ...]:
    """Prototype phrases for one category: the parts of its description after the colon."""
    _, colon, rest = description.partition(":")
    body = rest if colon else description
    phrases = [p.strip(" .") for p in _PHRASE_SPLIT.split(body)]
    kept = tuple(dict.fromkeys(p for p in phrases if len(p) > 2))
    return kept or (name,)


def article_input_text(headline: str, standfirst: str, paragraphs: Sequence[str], max_words: int = 200) -> str:
    """Headline, standfirst and opening paragraphs, cut to what the model reads (~256 word pieces)."""
    words: list[str] = []
    for part in (headline, standfirst, *paragraphs):
        words.extend(part.split())
        if len(words) >= max_words:
            break
    return " ".join(words[:max_words])


def split_sentences(text: str) -> list[str]:
    """A paragraph cut into sentences: one ends at . ! or ? (and a closing quote) before a capital or a digit."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def article_sentences(
    headline: str, standfirst: str, paragraphs: Sequence[str], config: ScoringConfig = ScoringConfig()
) -> list[str]:
    """The first distinct sentences worth a vote: the headline, then sentences of at least a few words."""
    sentences: dict[str, None] = {}  # ordered set: a repeated headline or caption votes once
    for part in (headline, standfirst, *paragraphs):
        for sentence in split_sentences(part):
            if len(sentence.split()) >= config.min_sentence_words:
                sentences[sentence] = None
                if len(sentences) >= config.max_sentences:
                    return list(sentences)
    return list(sentences)


def prototype_scores(similarities: np.ndarray, owners: np.ndarray, n_groups: int, top_k: int) -> np.ndarray:
    """(texts, phrases) similarities → (texts, groups): mean of each group's best top_k phrases."""
    scores = np.zeros((similarities.shape[0], n_groups), dtype=np.float32)
    for group in range(n_groups):
        columns = similarities[:, owners == group]
        if columns.shape[1] == 0:
            continue
        k = min(top_k, columns.shape[1])
        scores[:, group] = np.sort(columns, axis=1)[:, -k:].mean(axis=1)
    return scores


def mixed_prototype_scores(
    vectors: np.ndarray,
    phrases: tuple[np.ndarray, np.ndarray],
    examples: tuple[np.ndarray, np.ndarray],
    n_groups: int,
    top_k: int,
    config: ScoringConfig = ScoringConfig(),
) -> np.ndarray:
    """(texts, dimensions) unit vectors → (texts, groups): description phrases mixed with example sentences.

    phrases and examples are (unit vectors, owner group per row). A group with example sentences scores
    (1 - example_weight) * its phrase score + example_weight * the mean of its best example_top_k examples;
    a group without any keeps its phrase score.
    """
    phrase_vectors, phrase_owners = phrases
    scores = prototype_scores(vectors @ phrase_vectors.T, phrase_owners, n_groups, top_k)
    example_vectors, example_owners = examples
    if len(example_owners) == 0 or config.example_weight <= 0 or len(vectors) == 0:
        return scores
    example = prototype_scores(vectors @ example_vectors.T, example_owners, n_groups, config.example_top_k)
    has_examples = np.isin(np.arange(n_groups), example_owners)
    mixed = (1 - config.example_weight) * scores + config.example_weight * example
    return np.where(has_examples[None, :], mixed, scores).astype(np.float32)


def example_bias(
    examples: tuple[np.ndarray, np.ndarray],
    phrases: tuple[np.ndarray, np.ndarray],
    n_groups: int,
    config: ScoringConfig = ScoringConfig(),
    steps: int = 2000,
    rate: float = 0.001,
) -> np.ndarray:
    """One offset per group (mean 0) that makes our own example sentences score as their own category.

    Categories differ in how close any news text sits to their phrases (a broad description pulls everything a
    little); this calibrates that from the taxonomy's own text, not from labelled news. Each example sentence is
    scored as a text would be (its phrase score mixed with its closest example, itself left out), and the offsets
    are fitted by gradient descent on the softmax log-loss at config.temperature. Groups without examples get 0.
    """
    example_vectors, example_owners = examples
    keep = example_owners < n_groups
    vectors, owners = example_vectors[keep], example_owners[keep]
    bias = np.zeros(n_groups)
    if len(owners) == 0:
        return bias
    phrase_vectors, phrase_owners = phrases
    phrase = prototype_scores(vectors @ phrase_vectors.T, phrase_owners, n_groups, config.top_k)
    others = vectors @ vectors.T
    np.fill_diagonal(others, -1.0)  # leave the example itself out
    closest = prototype_scores(others, owners, n_groups, config.example_top_k)
    has_examples = np.isin(np.arange(n_groups), owners)
    w = config.example_weight
    scores = np.where(has_examples[None, :], (1 - w) * phrase + w * closest, phrase).astype(np.float64)
    truth = np.eye(n_groups)[owners]
    for _ in range(steps):
        logits = (scores + bias) / config.temperature
        probabilities = np.exp(logits - logits.max(axis=1, keepdims=True))
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        bias -= rate * (probabilities - truth).mean(axis=0) / config.temperature
    return np.where(has_examples, bias - bias[has_examples].mean(), 0.0)


def softmax(values: Sequence[float], temperature: float) -> list[float]:
    array = np.asarray(values, dtype=np.float64) / temperature
    exp = np.exp(array - array.max())
    return [float(x) for x in exp / exp.sum()]


def top_level_scores(
    opening_similarity: Mapping[str, float],
    sentence_share: Mapping[str, float],
    config: ScoringConfig = ScoringConfig(),
) -> dict[str, float]:
    """Score per top-level qcode, summing to 1: the opening text's softmax mixed with the sentence shares.

    sentence_share comes from sentence_shares(); when it is empty the opening text decides alone.
    """
    codes = list(opening_similarity)
    if not codes:
        return {}
    gist = softmax([opening_similarity[c] for c in codes], config.temperature)
    weight = config.sentence_weight if sentence_share else 0.0
    return {c: (1 - weight) * g + weight * sentence_share.get(c, 0.0) for c, g in zip(codes, gist, strict=True)}


def select_categories(
    scores: Mapping[str, float],
    sentence_share: Mapping[str, float],
    child_similarity: Mapping[str, Mapping[str, float]],
    publisher: Iterable[str] = (),
    parents: Mapping[str, str] | None = None,
    config: ScoringConfig = ScoringConfig(),
    learned: Mapping[str, float] | None = None,
    learned_weight: float = 0.0,
) -> list[ScoredCategory]:
    """Calibrated multi-label choice, best first.

    scores come from top_level_scores(), sentence_share from sentence_shares(); child_similarity: top-level qcode →
    {child qcode → cosine}; publisher: qcodes the publisher's labels or URL point at; parents:
    child qcode → top-level qcode. learned: the supervised model's probabilities (second-level qcodes are
    used here; top-level ones are blended into scores by the caller) with their blend weight.
    """
    parents = parents or {}
    publisher_codes = set(publisher)
    publisher_top = {parents.get(q, q) for q in publisher_codes}
    scored: dict[str, ScoredCategory] = {}

    if scores:
        ranked = sorted(scores, key=lambda c: scores[c], reverse=True)
        chosen = [ranked[0]] + [
            c
            for c in ranked[1 : config.max_top_level]
            if scores[c] >= config.min_score and sentence_share.get(c, 0.0) >= config.min_sentence_share
        ]
        for code in chosen:
            scored[code] = ScoredCategory(code, scores[code], MODEL)
        for code in publisher_top & set(scores):
            score = config.publisher_weight + (1 - config.publisher_weight) * scores[code]
            scored[code] = ScoredCategory(code, score, PUBLISHER)
    else:
        for code in publisher_top:
            scored[code] = ScoredCategory(code, config.publisher_weight, PUBLISHER)

    for parent in list(scored):
        parent_score = scored[parent].score
        labelled = [q for q in publisher_codes if parents.get(q) == parent]
        if labelled:
            for code in labelled:
                scored[code] = ScoredCategory(code, parent_score * config.publisher_weight, PUBLISHER)
            continue
        for code, share in choose_children(child_similarity.get(parent, {}), learned or {}, learned_weight, config):
            scored[code] = ScoredCategory(code, parent_score * share, MODEL)
    return sorted(scored.values(), key=lambda s: s.score, reverse=True)


def choose_children(
    similarity: Mapping[str, float],
    learned: Mapping[str, float],
    weight: float,
    config: ScoringConfig = ScoringConfig(),
) -> list[tuple[str, float]]:
    """The second-level categories kept under a chosen parent, with their share of it, best first.

    Zero-shot: the best sibling when it is clearly ahead (see _best_child). With a supervised model, each child
    it has learned mixes its probability into the child's softmax share, as blend_scores does at the top level;
    a learned child is kept when the mix reaches child_min_share, so corrections can add or remove children.
    """
    if not similarity:
        return []
    codes = list(similarity)
    shares = dict(zip(codes, softmax([similarity[c] for c in codes], config.temperature), strict=True))
    zero_shot = _best_child(similarity, config)
    known = {c: learned[c] for c in codes if c in learned}
    if weight <= 0 or not known:
        return [zero_shot] if zero_shot else []
    chosen: dict[str, float] = {}
    for code in codes:
        if code in known:
            mixed = (1 - weight) * shares[code] + weight * known[code]
            if mixed >= config.child_min_share:
                chosen[code] = mixed
        elif zero_shot is not None and code == zero_shot[0]:
            chosen[code] = shares[code] * (1 - weight / 2)
    return sorted(chosen.items(), key=lambda pair: pair[1], reverse=True)[: config.max_children]


def sentence_shares(
    sentence_scores: np.ndarray, codes: Sequence[str], temperature: float, weights: Sequence[float] | None = None
) -> dict[str, float]:
    """(sentences, categories) scores → each category's mean softmax share over the sentences.

    A soft vote: a sentence that is nearly as close to a second category gives it a real share. weights: one per
    sentence (a weighted mean); None or all zero counts every sentence alike.
    """
    if len(sentence_scores) == 0:
        return {}
    scaled = np.asarray(sentence_scores, dtype=np.float64) / temperature
    exp = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    votes = exp / exp.sum(axis=1, keepdims=True)
    w = np.ones(len(votes)) if weights is None else np.clip(np.asarray(weights, dtype=np.float64), 0.0, None)
    shares = votes.mean(axis=0) if w.sum() <= 0 else (w[:, None] * votes).sum(axis=0) / w.sum()
    return {code: float(share) for code, share in zip(codes, shares, strict=True)}


def _best_child(similarity: Mapping[str, float], config: ScoringConfig) -> tuple[str, float] | None:
    if not similarity:
        return None
    codes = sorted(similarity, key=lambda c: similarity[c], reverse=True)
    shares = dict(zip(codes, softmax([similarity[c] for c in codes], config.temperature), strict=True))
    best = codes[0]
    margin = similarity[best] - similarity[codes[1]] if len(codes) > 1 else 1.0
    if (
        shares[best] < config.child_min_share
        or similarity[best] < config.child_min_similarity
        or margin < config.child_min_margin
    ):
        return None
    return best, shares[best]


# Publisher section words (URL path segments and the publisher's own labels) → IPTC qcodes.
_SECTION_WORDS: dict[str, str] = {
    "medtop:01000000": "art arts culture entertainment film films movies music tv television books theatre showbiz "
    "celebrity media",
    "medtop:16000000": "war conflict conflicts defence defense military terrorism",
    "medtop:02000000": "crime justice law courts legal police",
    "medtop:03000000": "disaster disasters accidents emergencies",
    "medtop:04000000": "business economy economics markets money finance companies personal-finance investing",
    "medtop:05000000": "education schools universities",
    "medtop:06000000": "environment climate nature wildlife",
    "medtop:07000000": "health medicine wellbeing coronavirus covid",
    "medtop:08000000": "offbeat oddities odd weird human-interest",
    "medtop:09000000": "jobs labour labor careers employment",
    "medtop:10000000": "lifestyle travel food style fashion leisure",
    "medtop:11000000": "politics election elections government diplomacy",
    "medtop:12000000": "religion faith belief",
    "medtop:13000000": "science tech technology sci-tech space ai gadgets",
    "medtop:14000000": "society communities immigration migration inequality",
    "medtop:15000000": "sport sports football soccer cricket tennis rugby golf nfl nba f1 formula1 athletics olympics "
    "boxing cycling",
    "medtop:17000000": "weather forecast",
    "medtop:20000418": "climate-change",
}
SECTION_QCODES: dict[str, str] = {word: qcode for qcode, words in _SECTION_WORDS.items() for word in words.split()}


def _label_key(label: str) -> str:
    return "-".join(_WORD.findall(label.casefold().replace("&", " and ")))


def publisher_qcodes(
    labels: Iterable[str],
    url: str = "",
    category_names: Mapping[str, str] | None = None,
    sections: Mapping[str, str] = SECTION_QCODES,
) -> frozenset[str]:
    """Qcodes named by the publisher's category labels or by section words in the URL path.

    category_names maps a normalised IPTC name ("politics-and-government") to its qcode, so a
    publisher that already uses IPTC names is understood as well.
    """
    names = category_names or {}
    found: set[str] = set()
    for label in labels:
        key = _label_key(label)
        if not key:
            continue
        if key in names:
            found.add(names[key])
        elif key in sections:
            found.add(sections[key])
        else:
            found.update(sections[w] for w in key.split("-") if w in sections)
    for segment in _path_segments(url):
        if segment in sections:
            found.add(sections[segment])
        elif segment.count("-") == 1:  # "uk-politics" is a section; "rebels-enter-aleppo" is a headline
            found.update(sections[w] for w in segment.split("-") if w in sections)
    return frozenset(found)


def category_name_index(names: Mapping[str, str]) -> dict[str, str]:
    """qcode → IPTC name becomes normalised name → qcode, for publisher_qcodes()."""
    return {_label_key(name): qcode for qcode, name in names.items()}


def _path_segments(url: str) -> list[str]:
    if not url:
        return []
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    segments = []
    for raw in path.split("/"):
        segment = _TRAILING_ID.sub("", raw.casefold().removesuffix(".html").removesuffix(".htm"))
        if segment and not segment.isdigit():
            segments.append(segment)
    return segments
