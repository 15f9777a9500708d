"""Pure parser for plain-text article dumps: headline, caption and credit, standfirst, body, outlet.

A dump is what a page looks like copied as text: the headline, often an image caption ending in a
parenthesised credit, the headline again, a standfirst, the body paragraphs, then the outlet's name
and page furniture (donation banners, newsletter boxes, "read more" lists). The end of the body is
found by structure and generic cues, never by one site's wording.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from tidings.ingest.types import ExtractedArticle

__all__ = ["parse_text_dump", "split_caption_credit"]

# How far after the headline a repeated headline or a caption may sit (in lines).
_HEADER_WINDOW = 4
# A standfirst is a short deck, not a long paragraph.
_STANDFIRST_MAX_WORDS = 80
# An unpunctuated line this long is body text (a paragraph missing its full stop), not furniture.
_LONG_PARAGRAPH_WORDS = 16
# Longer than this, a line with a boilerplate word is an article sentence that mentions it.
_BOILERPLATE_MAX_WORDS = 40
# A full sentence this long after a "read more"-style label means the body goes on (headlines are shorter).
_PROSE_RESUMES_WORDS = 12
# A "Read more: <headline>" line is dropped inside the body; longer than this it is a sentence.
_INLINE_LINK_MAX_WORDS = 25

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\ufffe"))
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Chinese and Japanese are written without spaces between words: kana and ideographs count as one word per
# two characters (about the length of a word in either language); Korean puts spaces between words.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}\u3001-\u303f\uff01-\uff60]")  # with CJK and full-width punctuation
_TERMINAL = re.compile(
    r"(?:[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*|[\u3002\uff01\uff1f\uff0e][\u300d\u300f\uff09\u3011\u3009\u300b\u201d]*)$"
)
_LATIN_LETTERS = f"(?:(?![{_CJK}])[^\\W_])+"
_WORD = re.compile(f"[{_CJK}]{{1,2}}|{_LATIN_LETTERS}(?:['\u2019\\-.]{_LATIN_LETTERS})*")
# A full-width space opening a line, or following a sentence end, starts a paragraph (Japanese and Chinese
# typesetting); the space itself is indentation.
_CJK_INDENT = re.compile(r"(?:^|(?<=[\u3002\uff01\uff1f\u300d\u300f]))\u3000+", re.MULTILINE)

_CREDIT_GROUP = re.compile(r"\(([^()]{2,160})\)[\s.]*$")
_CREDIT_WORDS = re.compile(
    r"/|\u00a9|\bvia\b|\bgetty\b|\breuters\b|\bphoto|\bcredit|\bimages?\b|\bshutterstock\b|\bxinhua\b"
    r"|\banadolu\b|\bcourtesy\b|\bpool\b|\bfile\b|\bpicture|\balamy\b|\bcorbis\b|\bpress\b",
    re.IGNORECASE,
)
_AGENCY_ACRONYM = re.compile(r"\b(?:AP|AFP|EPA|UPI|DPA|ANSA|PA|SIPA|TASS|WAFA)\b")
_UPPER_NAME = re.compile(r"\b[A-Z][A-Z'\u2019.\-]+\b")
_CREDIT_LABEL = re.compile(r"^(?:photo(?:graph)?s?|pictures?|images?|credits?)\s*(?::|by\b)\s*", re.IGNORECASE)
_TRAILING_CREDIT = re.compile(
    r"(?:^|(?<=[.!?\u2026\u201d\u2019\"])\s+|\s+[|\u2013\u2014-]\s+)"
    r"(?:photo(?:graph)?s?|pictures?|images?|credits?)\s*(?::|by\b)\s*(?P<credit>[^.!?()]{2,100})$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?i:by)\s+(?P<name>[A-Z\u00c0-\u024f][^.!?:]{1,80})$")

# Imperative openings of calls to action; they count only with a reader pronoun or without a full stop.
_CTA_START = re.compile(
    r"^(?:subscribe|sign\s*(?:up|in)|log\s*in|login|register|donate|give|support|upgrade|click|tap"
    r"|browse|personali[sz]e|customi[sz]e|follow|join|share|download|get|read|continue|see|learn"
    r"|watch|listen|enter|choose|select|become|help|discover|explore|try|unlock|start|manage|add"
    r"|don[\u2019']t\s+miss|never\s+miss|stay\s+(?:informed|updated|connected)|want|like\s+(?:this|what))\b",
    re.IGNORECASE,
)
_READER_PRONOUN = re.compile(r"\b(?:you|your|yours|us|our)\b", re.IGNORECASE)
# Words that mark page furniture rather than reporting.
_FURNITURE = re.compile(
    r"\u00a9|\b(?:newsletters?|subscri(?:be|ption|bers?)|donat(?:e|ion|ions|ing)|sign\s*up|log\s*in"
    r"|advertisement|sponsored|paywall|privacy\s+policy|terms\s+of\s+(?:use|service)|all\s+rights\s+reserved"
    r"|copyright|read\s+more|read\s+next|click\s+here|inbox|unlimited\s+access|readers\s+like\s+you"
    r"|thank\s+you\s+for\s+reading|share\s+this|follow\s+us|download\s+(?:our|the)\s+app|cookies?)\b",
    re.IGNORECASE,
)
# Labels that open a list of other stories or a widget: the body does not go on after them.
_SECTION_LABEL = re.compile(
    r"^(?:read\s+more|read\s+next|related(?:\s+(?:stories|articles|coverage|content|topics|posts))?"
    r"|more\s+(?:from|on|stories|news)\b.*|most\s+(?:read|popular|viewed|shared)|also\s+read|see\s+also"
    r"|recommended(?:\s+for\s+you)?|you\s+may\s+also\s+like|trending(?:\s+now)?|top\s+stories"
    r"|latest(?:\s+news)?|share\s+this(?:\s+article|\s+story)?|tags|topics|comments)\s*[:\-\u2013\u2014]?\s*$",
    re.IGNORECASE,
)
# Markers that stand alone between paragraphs; the body goes on after them.
_MARKER = re.compile(r"^(?:advertisement|sponsored(?:\s+content)?|ad|story\s+continues\s+below)\s*$", re.IGNORECASE)
_INLINE_LABEL = re.compile(
    r"^(?:read\s+more|read\s+next|also\s+read|see\s+also|related)\s*[:\-\u2013\u2014]\s*\S", re.IGNORECASE
)
_QUOTE_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def parse_text_dump(text: str, *, known_boilerplate: Iterable[str] = ()) -> ExtractedArticle:
    """Read one plain-text article dump; `known_boilerplate` lines (e.g. a source's banners) are dropped."""
    lines = _clean_lines(text)
    first = next((n for n, line in enumerate(lines) if line), None)
    if first is None:
        return ExtractedArticle(headline="")
    headline = lines[first]
    units = _units(lines[first + 1 :])
    known = {_key(line) for item in known_boilerplate for line in _clean_lines(item)} - {""}
    headline_key = _key(headline)

    start, caption, credit, repeated = _read_header(units, headline_key)
    rest = [u for u in units[start:] if _key(u) != headline_key and _key(u) not in known]
    body_end = _body_end(rest)
    body, trailer = rest[:body_end], rest[body_end:]
    outlet = trailer[0] if trailer and _looks_like_outlet(trailer[0]) else ""

    author = ""
    kept: list[str] = []
    for index, unit in enumerate(body):
        byline = _BYLINE.match(unit) if index < 3 and not author else None
        if byline and len(_words(unit)) <= 10:
            author = byline.group("name").strip()
        elif not _is_inline_furniture(unit):
            kept.append(unit)

    standfirst = ""
    if kept and _is_standfirst(kept[0], kept[1:], repeated, had_byline=bool(author)):
        standfirst, kept = kept[0], kept[1:]
    return ExtractedArticle(
        headline=headline,
        paragraphs=tuple(kept),
        standfirst=standfirst,
        author=author,
        image_caption=caption,
        image_credit=credit,
        outlet=outlet,
    )


def split_caption_credit(line: str) -> tuple[str, str] | None:
    """Split "caption (NAME/AGENCY via Getty Images)" into caption and credit; None without a credit."""
    match = _CREDIT_GROUP.search(line)
    if match and _looks_like_credit(match.group(1)):
        credit = _CREDIT_LABEL.sub("", match.group(1).strip()).strip()
        return line[: match.start()].rstrip(" \t-\u2013\u2014|,;:"), credit
    match = _TRAILING_CREDIT.search(line)
    if match:
        return line[: match.start()].rstrip(" \t-\u2013\u2014|,;:"), match.group("credit").strip()
    return None


def _clean_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _CONTROL.sub("", _LINE_BREAKS.sub("\n", text))
    if "\u3000" in text:
        text = _CJK_INDENT.sub("\n\n", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _units(lines: Sequence[str]) -> list[str]:
    """Group lines into blocks at blank lines; a hard-wrapped block becomes one paragraph."""
    units: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line:
            block.append(line)
        elif block:
            units.extend(_join_wrapped(block))
            block = []
    return units


def _join_wrapped(block: list[str]) -> list[str]:
    if len(block) == 1:
        return block
    widths = [_columns(line) for line in block]
    width = max(widths)
    uniform = 40 <= width <= 100 and all(w >= 0.75 * width for w in widths[:-1])
    # Wrapped prose breaks mid-sentence; one paragraph per line ends each line with a full stop.
    open_ends = sum(1 for line in block[:-1] if not _TERMINAL.search(line))
    if len(block) >= 3 and uniform and open_ends * 2 >= len(block) - 1:
        joined_all = block[0]
        for line in block[1:]:
            joined_all = _join(joined_all, line)
        return [joined_all]
    joined = [block[0]]
    for line, line_width in zip(block[1:], widths[:-1], strict=True):
        previous = joined[-1]
        starts_lower = line[0].islower() or bool(_CJK_CHAR.match(line[0]))
        continues = not _TERMINAL.search(previous) and starts_lower and line_width >= 0.75 * width
        if uniform and continues:
            joined[-1] = _join(previous, line)
        else:
            joined.append(line)
    return joined


def _columns(line: str) -> int:
    """Display width: a full-width (East Asian wide) character takes two columns."""
    return len(line) + sum(1 for c in line if unicodedata.east_asian_width(c) in "WF")


def _join(previous: str, line: str) -> str:
    """Two wrapped lines as one: with a space, except between Chinese or Japanese characters."""
    if _CJK_CHAR.match(previous[-1]) or _CJK_CHAR.match(line[0]):
        return previous + line
    return f"{previous} {line}"


def _read_header(units: list[str], headline_key: str) -> tuple[int, str, str, bool]:
    """Return where the article proper starts, the caption and credit, and whether the headline repeats."""
    # A repeat counts as the page's second title only near the top and with the article after it.
    window = units[: min(_HEADER_WINDOW, len(units) - 1)]
    repeat = next((n for n, unit in enumerate(window) if _key(unit) == headline_key), None)
    between = window[:repeat] if repeat is not None else []
    start = repeat + 1 if repeat is not None else 0
    for unit in between:
        parts = split_caption_credit(unit)
        if parts is not None:
            return start, parts[0], parts[1], True
    if between:
        described = [u for u in between if len(_words(u)) >= 3 and not _is_furniture(u)]
        caption = described[0] if described else ""
        return start, caption, "", True
    # No caption yet: the line right after the (repeated) headline may carry one.
    if start < len(units) - 1:
        parts = split_caption_credit(units[start])
        if parts is not None:
            return start + 1, parts[0], parts[1], repeat is not None
    return start, "", "", repeat is not None


def _body_end(units: list[str]) -> int:
    """Index where page furniture begins: a trailing run of non-prose, or a "read more"-style label."""
    end = len(units)
    while end > 0 and _is_trailer(units[end - 1]):
        end -= 1
    last_prose = max((n for n, unit in enumerate(units[:end]) if _is_long_prose(unit)), default=-1)
    for index in range(1, end):
        if index > last_prose and _SECTION_LABEL.match(units[index]):
            return index
    return end


def _is_trailer(unit: str) -> bool:
    words = len(_words(unit))
    if _is_shouting(unit) or _is_call_to_action(unit) or _SECTION_LABEL.match(unit) or _MARKER.match(unit):
        return True
    if _is_furniture(unit) and words <= _BOILERPLATE_MAX_WORDS:
        return not _TERMINAL.search(unit) or bool(_READER_PRONOUN.search(unit)) or words <= 6
    if _TERMINAL.search(unit) and words >= 2:
        return False
    return words < _LONG_PARAGRAPH_WORDS


def _is_inline_furniture(unit: str) -> bool:
    """Furniture inside the body: an ad marker, a newsletter box, a "Read more: ..." link."""
    if _INLINE_LABEL.match(unit) or _SECTION_LABEL.match(unit) or _MARKER.match(unit):
        return len(_words(unit)) <= _INLINE_LINK_MAX_WORDS
    if not _is_furniture(unit) or len(_words(unit)) > _BOILERPLATE_MAX_WORDS:
        return False
    return _is_call_to_action(unit) or _is_shouting(unit) or not _TERMINAL.search(unit)


def _is_standfirst(first: str, body: list[str], repeated: bool, *, had_byline: bool) -> bool:
    """A deck before the body: set off by a byline, a repeated headline, or no closing full stop."""
    words = len(_words(first))
    if not body or words > _STANDFIRST_MAX_WORDS or words < 4:
        return False
    if had_byline or (repeated and len(body) >= 2):
        return True
    return words >= 6 and not _TERMINAL.search(first)


def _is_long_prose(unit: str) -> bool:
    return (
        len(_words(unit)) >= _PROSE_RESUMES_WORDS
        and bool(_TERMINAL.search(unit))
        and not _is_furniture(unit)
        and not _is_call_to_action(unit)
    )


def _is_call_to_action(unit: str) -> bool:
    if not _CTA_START.match(unit):
        return False
    head = " ".join(_words(unit)[:10])
    return bool(_READER_PRONOUN.search(head)) or not _TERMINAL.search(unit)


def _is_furniture(unit: str) -> bool:
    return bool(_FURNITURE.search(unit))


def _is_shouting(unit: str) -> bool:
    cased = [c for c in unit if c.isupper() or c.islower()]
    return len(cased) >= 6 and len(_words(unit)) >= 2 and all(c.isupper() for c in cased)


def _looks_like_outlet(unit: str) -> bool:
    """A brand line: short, capitalised, no sentence punctuation, not a call to action."""
    words = _words(unit)
    if not words or len(words) > 5 or len(unit) > 50 or _TERMINAL.search(unit) or ":" in unit:
        return False
    if unit[0].islower() or not (unit[0].isalpha() or unit[0].isdigit()):
        return False  # a brand starts with a capital, a digit, or a letter of a script without case
    if _is_call_to_action(unit) or _is_furniture(unit) or _SECTION_LABEL.match(unit):
        return False
    return not (_is_shouting(unit) and len(words) >= 3)


def _looks_like_credit(group: str) -> bool:
    if len(group) > 150 or group.count(" ") > 15:
        return False
    if _CREDIT_WORDS.search(group) or _AGENCY_ACRONYM.search(group):
        return True
    return len(_UPPER_NAME.findall(group)) >= 2


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _key(text: str) -> str:
    """Comparison key: case, quote style, spacing and closing punctuation do not matter."""
    folded = text.translate(_QUOTE_FOLD).casefold()
    return " ".join(folded.split()).rstrip(" .!?\u2026:;,")
