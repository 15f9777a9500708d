"""News-like text written by the farm's own grammar: stories, coverage in different words, rewrites.

Pure and deterministic: every function takes a `random.Random` and returns frozen values. The truth
(entities, attributions) is recorded while the text is composed, never recovered from it afterwards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from . import lexicon as lx
from .blueprints import BLUEPRINTS

SECTIONS = tuple(slug for _, _, slug in lx.CATEGORIES)
CATEGORY_BY_SECTION = {slug: (qcode, name) for qcode, name, slug in lx.CATEGORIES}
_SHORT = {"Holdings": "the company", "Technology": "the institute", "Finance": "the ministry"}


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str
    cue: str
    content: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Story:
    story_id: str
    section: str
    event: int
    org: str
    person: str
    role: str
    analyst: str
    analyst_role: str
    firm: str
    city: str
    city2: str
    num: int
    topic: str
    quotes: tuple[str, str]
    reported: tuple[str, str]
    weekday: str
    site: str  # a street or place in the city where the story happens
    photographer: str
    agency: str


@dataclass(frozen=True, slots=True)
class ArticleText:
    headline: str
    standfirst: str
    paragraphs: tuple[str, ...]
    caption: str
    credit: str
    entities: tuple[tuple[str, str], ...]  # (text, "person" | "organisation" | "place")
    attributions: tuple[Attribution, ...]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(lx.FIRST_NAMES)} {rng.choice(lx.LAST_NAMES)}"


def org_short(org: str) -> str:
    """How a second mention names an organisation: "the council", "the ministry"."""
    if org.startswith("Ministry"):
        return "the ministry"
    if org.startswith(("University", "United Nations")):
        return "the university" if org.startswith("University") else "the mission"
    last = org.split()[-1]
    return _SHORT.get(last, f"the {last.lower()}")


def write_story(rng: random.Random, story_id: str, section: str) -> Story:
    bp = BLUEPRINTS[section]
    city, city2 = rng.sample(lx.CITIES, 2)
    org = str(bp["org"]).format(stem=rng.choice(lx.COMPANY_STEMS), city=city)
    topic = rng.choice(bp["topics"])  # type: ignore[arg-type]
    quotes = rng.sample(lx.QUOTES, 2)
    reported = rng.sample(lx.REPORTED, 2)
    site = f"{rng.choice(lx.LAST_NAMES + lx.COMPANY_STEMS)} {rng.choice(lx.STREET_KINDS)}"
    fill = {"topic": topic, "site": site}
    person, analyst = _name(rng), _name(rng)
    while analyst == person:
        analyst = _name(rng)
    return Story(
        story_id=story_id,
        section=section,
        event=rng.randrange(len(bp["events"])),  # type: ignore[arg-type]
        org=org,
        person=person,
        role=str(bp["role"]),
        analyst=analyst,
        analyst_role=str(bp["analyst"]),
        firm=f"{rng.choice(lx.COMPANY_STEMS)} Research",
        city=city,
        city2=city2,
        num=rng.randint(12, 940),
        topic=topic,
        quotes=(quotes[0].format(**fill), quotes[1].format(**fill)),
        reported=(reported[0].format(**fill), reported[1].format(**fill)),
        weekday=rng.choice(lx.WEEKDAYS),
        site=site,
        photographer=_name(rng),
        agency=rng.choice(lx.AGENCIES),
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _entities(story: Story, paragraphs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    body = "\n".join(paragraphs)
    candidates = (
        (story.person, "person"),
        (story.analyst, "person"),
        (story.org, "organisation"),
        (story.firm, "organisation"),
        (story.city, "place"),
        (story.city2, "place"),
    )
    return tuple((text, kind) for text, kind in candidates if text in body)


def cover(story: Story, rng: random.Random, variant: int = 0) -> ArticleText:
    """One outlet's article about `story`, in its own words.

    `variant` is the coverage's number within the story: templates rotate with it (periods 3, 4, 5 and 6),
    so two outlets covering one story never share their lede, figure line and background together.
    """
    bp = BLUEPRINTS[story.section]
    head, lede, noun = bp["events"][story.event]  # type: ignore[index]
    fill = {"org": story.org, "num": story.num, "topic": story.topic, "city": story.city}
    head, lede, noun = head.format(**fill), lede.format(**fill), noun.format(**fill)
    short = org_short(story.org)

    def pick(options: tuple[str, ...], offset: int) -> str:
        return options[(story.num + offset + variant) % len(options)]

    headline = pick(
        (
            f"{story.org} {head}",
            f"{story.city}: {story.org} {head}",
            f"{story.org} {head}, {story.role} says",
            f"What {noun} means for {story.city}",
        ),
        0,
    )
    standfirst = pick(
        (
            f"{_cap(noun)} puts {story.topic} back at the centre of debate in {story.city}.",
            f"The {story.role} defended the decision as critics questioned its cost.",
            "Supporters called it overdue; opponents said it went too far.",
        ),
        1,
    )
    paragraphs: list[str] = []
    attributions: list[Attribution] = []

    def quote(speaker: str, cue: str, content: str, text: str) -> None:
        attributions.append(Attribution(speaker, cue, content, len(paragraphs)))
        paragraphs.append(text)

    paragraphs.append(
        pick(
            (
                f"{story.org} {lede} on {story.weekday}, a move expected to shape {story.topic} around {story.site}.",
                f"On {story.weekday}, {story.org} {lede} at {story.site} in {story.city}.",
                f"In {story.city}, {story.org} {lede} on {story.weekday} after weeks of speculation about {story.site}.",
                f"{story.org} {lede}, the first such step at {story.site} for years.",
                f"{story.city} woke up to the news on {story.weekday}: {story.org} {lede} near {story.site}.",
            ),
            2,
        )
    )
    q0 = story.quotes[0]
    form = (story.num + variant) % 3
    if form == 0:
        quote(story.person, "said", q0, f"“{q0},” said {story.person}, the {story.role}.")
    elif form == 1:
        quote(story.person, "told reporters", q0, f"“{q0},” {story.person}, the {story.role}, told reporters.")
    else:
        quote(story.person, "said", q0, f"{story.person}, the {story.role}, said: “{q0}.”")
    r0 = story.reported[0]
    if variant % 2 == 0:
        quote(story.org, "according to", r0, f"According to {story.org}, {r0}.")
    else:
        quote(short, "said", r0, f"{_cap(short)} said {r0}.")
    num2 = max(1, story.num - 1 - rng.randrange(max(1, story.num // 3)))
    paragraphs.append(
        pick(
            (
                f"The figure of {story.num} {bp['unit']} compares with {num2} a year earlier.",
                f"A year ago the comparable number stood at {num2} {bp['unit']}.",
                f"That is up from {num2} {bp['unit']} twelve months ago.",
                f"Twelve months earlier, {num2} {bp['unit']} were recorded.",
            ),
            3,
        )
    )
    window = (story.num + variant) % (len(lx.BACKGROUND) // 2) * 2
    for line in lx.BACKGROUND[window : window + rng.randint(1, 2)]:
        paragraphs.append(_cap(line.format(topic=story.topic, city=story.city, city2=story.city2, site=story.site)))
    r1, q1 = story.reported[1], story.quotes[1]
    if variant % 2 == 1:
        quote(
            story.analyst, "warned", r1, f"{story.analyst}, {_a(story.analyst_role)} at {story.firm}, warned that {r1}."
        )
    else:
        quote(story.analyst, "said", q1, f"“{q1},” said {story.analyst}, {_a(story.analyst_role)} at {story.firm}.")
    closer, said = lx.CLOSERS[(story.num + variant) % len(lx.CLOSERS)]
    if said:
        attributions.append(Attribution(short, "said", said, len(paragraphs)))
    paragraphs.append(closer.format(org_short=_cap(short), weekday=rng.choice(lx.WEEKDAYS)))
    body = tuple(paragraphs)
    caption = rng.choice(
        (
            f"{story.person}, the {story.role}, in {story.city} on {story.weekday}.",
            f"{story.person} speaks to reporters in {story.city}.",
            f"A view of {story.city} on {story.weekday}.",
        )
    )
    return ArticleText(
        headline,
        standfirst,
        body,
        caption,
        f"{story.photographer} / {story.agency}",
        _entities(story, body),
        tuple(attributions),
    )


def rewrite(text: ArticleText, rng: random.Random) -> ArticleText:
    """A near-duplicate: the same article lightly edited (headline, one phrase, an update line at the end)."""
    attributed = {a.paragraph for a in text.attributions}
    paragraphs = list(text.paragraphs)
    editable = [
        i
        for i in range(1, len(paragraphs))
        if i not in attributed and any(old in paragraphs[i] for old, _ in lx.SYNONYMS)
    ]
    if editable:
        i = rng.choice(editable)
        old, new = next((o, n) for o, n in lx.SYNONYMS if o in paragraphs[i])
        paragraphs[i] = paragraphs[i].replace(old, new, 1)
    paragraphs.append(
        f"This article was updated at {rng.randrange(24):02d}:{rng.randrange(60):02d} with additional details."
    )
    body = tuple(paragraphs)
    headline = rng.choice((f"Update: {text.headline}", f"{text.headline}, latest", f"{text.headline} (report)"))
    entities = tuple(e for e in text.entities if e[0] in "\n".join(body))
    return replace(
        text,
        headline=headline,
        paragraphs=body,
        entities=entities,
        attributions=tuple(a for a in text.attributions if a.paragraph < len(body)),
    )


def brief(story: Story, number: int) -> ArticleText:
    """A two-paragraph news brief (fills the 5,000-item feed): no figure; `number` keeps it unique."""
    bp = BLUEPRINTS[story.section]
    head, lede, _ = bp["events"][story.event]  # type: ignore[index]
    fill = {"org": story.org, "num": story.num, "topic": story.topic, "city": story.city}
    said = story.reported[0]
    body = (
        f"{story.org} {lede.format(**fill)} at {story.site} on {story.weekday}, in bulletin {number}.",
        f"{story.person}, the {story.role}, said {said}.",
    )
    return ArticleText(
        f"Bulletin {number}: {story.org} {head.format(**fill)}",
        "",
        body,
        "",
        "",
        _entities(story, body),
        (Attribution(story.person, "said", said, 1),),
    )
