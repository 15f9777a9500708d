"""Deterministic demo corpus: invented news from invented outlets, covering every IPTC top-level category.

Pure: takes a seed, a count and `now`, returns values. Several stories are told by 2-4 outlets in
different words (same event, entities and figures) so that story clustering has something to find.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from tidings.demo.vocabulary import (
    ATTRIBUTIONS,
    CAPTIONS,
    CATEGORIES,
    DISTRICTS,
    FIRST_NAMES,
    GENERIC,
    LAST_NAMES,
    NATIONALITIES,
    OUTLETS,
    PHOTO_AGENCIES,
    PLACES,
    STANDFIRSTS,
    CategoryVocabulary,
)
from tidings.ingest.types import ExtractedArticle
from tidings.lib.errors import InvalidInput

DEFAULT_COUNT = 600
DEFAULT_SEED = 1851
MAX_COUNT = 20_000
WINDOW = timedelta(days=14)
MULTI_OUTLET_SHARE = 0.07  # share of stories told by 2-4 outlets
_PICK_ATTEMPTS = 12
MIN_PARAGRAPHS = 4
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
_SLOT = re.compile(r"\{(\w+)\}")
# A sentence filled only from these slots reads the same in many stories; an article gets one at most.
_COMMON_SLOTS = frozenset({"country", "nation", "thing", "n2", "day", "role", "role2", "price"})


@dataclass(frozen=True, slots=True)
class DemoOutlet:
    name: str
    slug: str

    @property
    def site_url(self) -> str:
        return f"https://{self.slug}.example/"

    @property
    def feed_url(self) -> str:
        return f"https://{self.slug}.example/feed.xml"


@dataclass(frozen=True, slots=True)
class DemoItem:
    """One generated article plus what the generator meant it to be, for tests."""

    article: ExtractedArticle
    outlet: DemoOutlet
    qcode: str
    story_id: str


@dataclass(slots=True)
class _Story:
    story_id: str
    category: CategoryVocabulary
    facts: dict[str, str]
    speakers: tuple[str, ...]
    published: datetime
    own_figures: list[str]  # one figure template reserved for each outlet telling the story
    spare_figures: tuple[str, ...]
    used: set[str] = field(default_factory=set)  # sentences already written by any outlet


def slugify_text(text: str, max_length: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")[:max_length].rstrip("-") or "item"


def demo_outlets() -> tuple[DemoOutlet, ...]:
    return tuple(DemoOutlet(name=name, slug=slugify_text(name)) for name in OUTLETS)


def generate_demo_corpus(
    now: datetime, *, count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED
) -> tuple[DemoItem, ...]:
    """`count` articles published in the 14 days before `now`; the same seed and `now` give the same corpus."""
    if not 1 <= count <= MAX_COUNT:
        raise InvalidInput(f"the demo corpus needs between 1 and {MAX_COUNT} articles, not {count}")
    rng = random.Random(seed)
    outlets = demo_outlets()
    items: list[DemoItem] = []
    decks: dict[str, _Decks] = {}
    for index, coverage in enumerate(_plan_coverage(rng, count)):
        category = CATEGORIES[index % len(CATEGORIES)]
        deck = decks.setdefault(category.qcode, _Decks())
        story = _new_story(rng, index, category, deck.place(rng), deck.district(rng), now)
        figures = rng.sample(category.figures, len(category.figures))
        story.own_figures, story.spare_figures = figures[:coverage], tuple(figures[coverage:])
        headlines = rng.sample(category.headlines, coverage)
        for outlet, headline in zip(rng.sample(outlets, coverage), headlines, strict=True):
            items.append(_write_article(rng, story, outlet, headline, seed, now))
    return tuple(items)


def _plan_coverage(rng: random.Random, count: int) -> list[int]:
    """How many outlets tell each story; the numbers add up to `count`."""
    multi: list[int] = []
    remaining = count
    for _ in range(round(count * MULTI_OUTLET_SHARE)):
        size = min(rng.randint(2, 4), remaining)
        if size < 2:
            break
        multi.append(size)
        remaining -= size
    plan = multi + [1] * remaining
    rng.shuffle(plan)
    return plan


@dataclass(slots=True)
class _Decks:
    """Places and districts dealt without repeats within a category, so its stories differ."""

    places: list[tuple[str, str, str]] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)

    def place(self, rng: random.Random) -> tuple[str, str, str]:
        if not self.places:
            self.places = rng.sample(PLACES, len(PLACES))
        return self.places.pop()

    def district(self, rng: random.Random) -> str:
        if not self.districts:
            self.districts = rng.sample(DISTRICTS, len(DISTRICTS))
        return self.districts.pop()


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _new_story(
    rng: random.Random,
    index: int,
    category: CategoryVocabulary,
    where: tuple[str, str, str],
    district: str,
    now: datetime,
) -> _Story:
    place, country, currency = where
    published = now - timedelta(seconds=rng.uniform(6 * 3600, WINDOW.total_seconds()))
    role, role2 = rng.sample(category.roles, 2)
    person, person2 = _person(rng), _person(rng)
    while person2 == person:
        person2 = _person(rng)
    facts = {
        "place": place,
        "country": country,
        "district": district,
        "person": person,
        "role": role,
        "person2": person2,
        "role2": role2,
        "thing": rng.choice(category.things),
        "n": f"{rng.randrange(120, 9800):,}",
        "n2": str(rng.randint(3, 38)),
        "pct": f"{rng.uniform(1.5, 38.0):.1f}",
        "money": f"{rng.uniform(1.2, 950.0):.1f} million {currency}",
        "day": published.strftime("%A"),
        "nation": NATIONALITIES[country],
    }
    facts["price"] = f"{int(facts['n2']) * 6 + 30} {currency}"  # from n2, so the random draws stay as they were
    for slot, options in sorted(category.extras.items()):
        facts[slot] = rng.choice(options).format_map(facts)
    facts["org"] = rng.choice(category.orgs).format_map(facts)
    speakers = (
        f"{role} {person}",
        f"{role2} {person2}",
        f"a spokesperson for {facts['org']}",
        facts["org"],
        *category.voices,
    )
    return _Story(f"demo-{index:05d}", category, facts, speakers, published, [], ())


def _sentence(template: str, facts: dict[str, str]) -> str:
    text = template.format_map(facts)
    return text[:1].upper() + text[1:]


@dataclass(slots=True)
class _ArticleDraft:
    """What one outlet has already used, so that an article never repeats itself."""

    story: _Story
    claims_left: list[str]
    templates_used: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)
    common_used: bool = False

    def accept(self, sentence: str) -> bool:
        if sentence in self.story.used or sentence in self.sentences:
            return False
        self.sentences.add(sentence)
        self.story.used.add(sentence)
        return True


def _statement(rng: random.Random, draft: _ArticleDraft) -> str | None:
    facts = draft.story.facts
    for _ in range(_PICK_ATTEMPTS):
        if not draft.claims_left:
            return None
        claim = rng.choice(draft.claims_left)
        values = {**facts, "speaker": rng.choice(draft.story.speakers), "claim": claim.format_map(facts)}
        sentence = _sentence(rng.choice(ATTRIBUTIONS), values)
        if draft.accept(sentence):
            draft.claims_left.remove(claim)
            return sentence
    return None


def _from_pool(
    rng: random.Random, draft: _ArticleDraft, pool: tuple[str, ...], *, limit_common: bool = True
) -> str | None:
    fresh = [t for t in pool if t not in draft.templates_used]
    rng.shuffle(fresh)
    for template in fresh[:_PICK_ATTEMPTS]:
        common = set(_SLOT.findall(template)) <= _COMMON_SLOTS
        if common and draft.common_used and limit_common:
            continue
        sentence = _sentence(template, draft.story.facts)
        if draft.accept(sentence):
            draft.templates_used.add(template)
            draft.common_used = draft.common_used or common
            return sentence
    return None


def _next_sentence(rng: random.Random, draft: _ArticleDraft) -> str | None:
    category = draft.story.category
    roll = rng.random()
    if roll < 0.5:
        first = _statement(rng, draft)
    elif roll < 0.7:
        first = _from_pool(rng, draft, draft.story.spare_figures)
    elif roll < 0.87:
        first = _from_pool(rng, draft, category.context)
    else:
        first = _from_pool(rng, draft, GENERIC)
    # Fall back through the other kinds when a pool has run dry for this story.
    return (
        first
        or _statement(rng, draft)
        or _from_pool(rng, draft, GENERIC)
        or _from_pool(rng, draft, category.context)
        or _from_pool(rng, draft, draft.story.spare_figures)
    )


def _write_body(rng: random.Random, draft: _ArticleDraft) -> tuple[str, ...]:
    lede = _from_pool(rng, draft, draft.story.category.ledes) or _statement(rng, draft)
    opening = [s for s in (lede, _statement(rng, draft) if rng.random() < 0.5 else None) if s]
    groups = [opening] if opening else []
    # Every version gives at least one figure: the one reserved for this outlet opens the second paragraph.
    figure = _from_pool(rng, draft, (draft.story.own_figures.pop(),), limit_common=False)
    for _ in range(rng.randint(3, 7)):
        sentences = [s for s in (_next_sentence(rng, draft) for _ in range(rng.randint(2, 3))) if s]
        if figure:
            sentences, figure = [figure, *sentences], None
        if sentences:
            groups.append(sentences)
    if len(groups) < MIN_PARAGRAPHS:
        # The story's pools ran dry for a late outlet: spread its sentences over shorter paragraphs.
        flat = [s for group in groups for s in group]
        size = max(1, len(flat) // MIN_PARAGRAPHS)
        groups = [flat[i * size : (i + 1) * size] for i in range(MIN_PARAGRAPHS - 1)]
        groups.append(flat[(MIN_PARAGRAPHS - 1) * size :])
    return tuple(" ".join(group) for group in groups if group)


def _write_standfirst(rng: random.Random, draft: _ArticleDraft) -> str:
    facts = draft.story.facts
    for _ in range(_PICK_ATTEMPTS):
        claim = rng.choice(draft.story.category.claims).format_map(facts)
        speaker = rng.choice(draft.story.speakers)
        text = _sentence(rng.choice(STANDFIRSTS), {**facts, "speaker": speaker, "claim": claim})
        if text not in draft.story.used:
            draft.story.used.add(text)
            return text
    return _sentence("{role} {person} comments on events in {place}.", facts)


def _skip_image_draws(rng: random.Random, story: _Story, outlet: DemoOutlet) -> None:
    """The demo ships no pictures: its outlets' hosts do not exist, so a picture would never load and its caption
    would describe nothing. The draws that once chose an image, caption and credit are still made, so the rest of
    the corpus (which the clustering benchmarks measure) comes out exactly as before."""
    if rng.random() < 0.45:
        _sentence(rng.choice(CAPTIONS), story.facts)
        rng.choice((f"{_person(rng)}/{outlet.name}", rng.choice(PHOTO_AGENCIES)))


def _write_article(
    rng: random.Random, story: _Story, outlet: DemoOutlet, headline_template: str, seed: int, now: datetime
) -> DemoItem:
    category = story.category
    draft = _ArticleDraft(story=story, claims_left=list(category.claims))
    headline = _sentence(headline_template, story.facts)
    standfirst = _write_standfirst(rng, draft)
    paragraphs = _write_body(rng, draft)
    published = min(now, story.published + timedelta(minutes=rng.randint(0, 300)))
    label = rng.choice((category.name, *category.sections))
    labels = (label,) if rng.random() < 0.6 else ()
    section = slugify_text(label if labels else rng.choice(category.sections), 30)
    # The URL depends on the seed, story and outlet only, so a re-run on another day finds the same articles.
    digest = hashlib.sha1(f"{seed}:{story.story_id}:{outlet.slug}".encode(), usedforsecurity=False).hexdigest()
    path_slug = f"{slugify_text(headline)}-{digest[:6]}"
    _skip_image_draws(rng, story, outlet)
    author = _person(rng) if rng.random() < 0.85 else f"{_person(rng)} and {_person(rng)}"
    article = ExtractedArticle(
        headline=headline,
        paragraphs=paragraphs,
        standfirst=standfirst,
        url=f"https://{outlet.slug}.example/{section}/{path_slug}",
        guid=f"urn:tidings-demo:{outlet.slug}:{story.story_id}",
        author=author,
        published_at=published,
        image_url="",  # no pictures: see _skip_image_draws
        image_caption="",
        image_credit="",
        outlet=outlet.name,
        language="en",
        publisher_categories=labels,
    )
    return DemoItem(article=article, outlet=outlet, qcode=category.qcode, story_id=story.story_id)


def without_category_hints(article: ExtractedArticle) -> ExtractedArticle:
    """The same article with no publisher labels and a URL path that names no section, only a digest of the URL.

    A demo article's URL carries its category's section ("/sport/...") and most carry a section label as well;
    the category stage reads both (stages/categories/scoring.publisher_qcodes), so a test of what it reads in the text
    stores this version.
    """
    digest = hashlib.sha1(article.url.encode(), usedforsecurity=False).hexdigest()[:16]
    url = f"https://{urlsplit(article.url).netloc}/a{digest}"
    return replace(article, url=url, publisher_categories=())
