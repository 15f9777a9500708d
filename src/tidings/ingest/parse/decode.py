"""Pure: bytes → text for feeds, pages and text dumps, never with U+FFFD when a clean decoding exists.

The chain: a byte-order mark; then each declared charset (the HTTP Content-Type's, then the document's own XML
declaration or HTML meta) decoded strictly; then strict UTF-8; then a detector (charset-normalizer), preferring
windows-1252 when it reads the bytes as well as the detector's pick; last, windows-1252 as browsers read it
(bytes it leaves undefined become the Latin-1 characters), which cannot fail.

Two lies are common. Bytes in windows-1252 declared UTF-8: strict UTF-8 fails, so the chain goes on. UTF-8 bytes
declared windows-1252 (or Latin-1): the single-byte charset "succeeds" and gives mojibake ("CafÃ©"), so bytes
that are valid UTF-8 with non-ASCII characters are read as UTF-8 whatever a single-byte declaration says; a
declared multi-byte charset (Shift_JIS, GB18030, EUC-KR...) that also decodes strictly keeps its place unless
its reading is messier than UTF-8's.

`to_utf8` hands parsers UTF-8 bytes whose XML declaration / HTML meta say UTF-8, so fastfeedparser, feedparser,
lxml and trafilatura all read the same clean text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
from charset_normalizer.md import mess_ratio

from tidings.lib.errors import InvalidInput

MIXED = "utf-8+cp1252"  # the encoding named for UTF-8 with stray windows-1252 bytes
HEAD_BYTES = 8192
# Share of characters that may be control or replacement characters before a text dump counts as binary.
_MAX_JUNK_SHARE = 0.02
# How much messier than the detector's pick windows-1252 may read and still win: French with guillemets and
# curly apostrophes reads 0.04-0.06 as windows-1252 and 0.0 as Baltic cp1257; Cyrillic, Greek or Polish bytes
# read as windows-1252 score above 1.0 (measured on sample sentences, tests/ingest/test_decode.py).
WESTERN_MARGIN = 0.1  # declarations are looked for this far in (WHATWG's prescan reads 1,024 bytes)

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"\A\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta\b[^>]*?\bcharset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)",  # <meta charset=…> and http-equiv content=…
    re.IGNORECASE,
)
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# A byte that cannot be where it is in UTF-8 (approximately: a non-ASCII byte not inside a valid sequence).
_UTF8_STRAY = re.compile(rb"(?:" + _UTF8_MULTI.pattern + rb")|([\x80-\xff])")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels read as their supersets, as browsers do (WHATWG Encoding): Latin-1 and ASCII pages are windows-1252.
_SUPERSETS = {
    "latin_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "big5": "big5hkscs",
}
_MULTI_BYTE = frozenset(
    {"cp932", "euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004", "shift_jisx0213", "iso2022_jp"}
    | {"gb18030", "hz", "big5hkscs", "cp950", "cp949", "johab", "iso2022_kr", "utf_16", "utf_32", "utf_7"}
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # the codec that read it (Python's name), or MIXED
    declared: str = ""  # the first declared charset ("" when nothing was declared)

    @property
    def lied(self) -> bool:
        """Whether a charset was declared and another one read the bytes."""
        return bool(self.declared) and self.declared != self.encoding


def decode_bytes(data: bytes, content_type: str = "", *, document: bool = True) -> Decoded:
    """The bytes as text by the chain above; `document`: also read an XML declaration or HTML meta charset."""
    decoded = try_decode(data, content_type, document=document)
    if decoded is not None:
        return decoded
    first = next(iter(declared_charsets(data, content_type, document=document)), "")
    return Decoded(data.decode("cp1252", errors="latin1_fallback"), "cp1252", first)


def try_decode(data: bytes, content_type: str = "", *, document: bool = True) -> Decoded | None:
    """`decode_bytes` without the last resort: None when no charset reads the bytes cleanly."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), codec_name(encoding))
            except UnicodeDecodeError:
                break
    declared = declared_charsets(data, content_type, document=document)
    first = declared[0] if declared else ""
    utf8 = _strict(data, "utf-8")
    if data.isascii() and b"\x00" not in data[:HEAD_BYTES]:
        return Decoded(data.decode("ascii"), "utf-8", first)  # every ASCII-based charset reads it alike
    for encoding in declared:
        if encoding == "utf-8":
            if utf8 is not None:
                return Decoded(utf8, "utf-8", first)
            continue
        text = _strict(data, encoding)
        if text is None or "\ufffd" in text:
            continue
        if utf8 is not None and (encoding not in _MULTI_BYTE or mess_ratio(utf8) < mess_ratio(text)):
            return Decoded(utf8, "utf-8", first)  # valid UTF-8 beats a single-byte reading (mojibake)
        return Decoded(text, encoding, first)
    if utf8 is not None:
        return Decoded(utf8, "utf-8", first)
    mixed = _mostly_utf8(data)
    if mixed is not None:
        return Decoded(mixed, MIXED, first)
    detected = _detect(data)
    return Decoded(detected[0], detected[1], first) if detected is not None else None


def decode_text(data: bytes) -> str:
    """A text dump's bytes as text: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else the chain above
    without declarations (windows-1252, Shift_JIS, GB18030, EUC-KR...); InvalidInput says why bytes that look
    binary or empty are not text."""
    if not data.strip():
        raise InvalidInput("is empty")
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise InvalidInput("looks binary (it contains NUL bytes), not text")
        decoded = try_decode(data, document=False)
        if decoded is None:
            raise InvalidInput("looks binary: it is not UTF-8 and no text encoding fits it")
        text = decoded.text
    if _junk_share(text) > _MAX_JUNK_SHARE:
        raise InvalidInput("looks binary (too many control characters), not text")
    if not text.strip():
        raise InvalidInput("is empty")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InvalidInput(f"starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    return None


def _junk_share(text: str) -> float:
    junk = sum(1 for c in text if c == "\ufffd" or (ord(c) < 32 and c not in "\n\r\t\f\v"))
    return junk / max(len(text), 1)


def to_utf8(data: bytes, content_type: str = "") -> bytes:
    """The document as UTF-8 bytes saying so (XML declaration, HTML meta), or `data` itself when it is already."""
    decoded = decode_bytes(data, content_type)
    if decoded.encoding == "utf-8" and _says_utf8(data) and not data.startswith(codecs.BOM_UTF8):
        return data
    out = decoded.text.encode("utf-8")
    if _says_utf8(out):
        return out
    head, rest = out[:HEAD_BYTES], out[HEAD_BYTES:]
    head, swapped = _XML_ENCODING.subn(_swap, head, count=1)
    if not swapped:
        head = _META_CHARSET.sub(_swap, head, count=1)
    return head + rest


def declared_charsets(data: bytes, content_type: str = "", *, document: bool = True) -> list[str]:
    """Codec names declared for the bytes, HTTP first, without repeats or unknown labels."""
    labels: list[str] = []
    match = _HTTP_CHARSET.search(content_type or "")
    if match:
        labels.append(match.group(1))
    names = [codec_name(label) for label in labels]
    if document:
        names += _document_charsets(data[:HEAD_BYTES])
    return list(dict.fromkeys(name for name in names if name))


def codec_name(label: str) -> str:
    """Python's codec for a charset label, widened to the superset browsers use; "" when unknown."""
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name.replace("-", "_")
    except (LookupError, ValueError):
        return ""
    name = _SUPERSETS.get(name, name)
    return "utf-8" if name in {"utf_8", "utf_8_sig"} else name


def _document_charsets(head: bytes) -> list[str]:
    """The codec of the XML declaration's encoding, or else (an HTML page) of the first meta charset."""
    name = codec_name(_document_label(head))
    return [name] if name else []


def _document_label(head: bytes) -> str:
    xml = _XML_ENCODING.match(head)
    if xml is None and head.lstrip()[:5] != b"<?xml":
        xml = _META_CHARSET.search(head)
    return xml.group(1).decode("ascii") if xml else ""


def _says_utf8(data: bytes) -> bool:
    """No charset declared in the document, or UTF-8 (an unknown label counts as a wrong one)."""
    label = _document_label(data[:HEAD_BYTES])
    return not label or codec_name(label) == "utf-8"


def _swap(match: re.Match[bytes]) -> bytes:
    """The declaration with its charset name replaced by utf-8."""
    whole, start, end = match.group(0), match.start(1) - match.start(0), match.end(1) - match.start(0)
    return whole[:start] + b"utf-8" + whole[end:]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few windows-1252 bytes pasted in (a common mix): each stray byte read as windows-1252,
    when valid multi-byte sequences outnumber the stray bytes two to one; else None."""
    found = _UTF8_STRAY.findall(data)  # b"" for a valid sequence, the byte for a stray one
    stray = sum(1 for byte in found if byte)
    if not stray or len(found) - stray < 2 * stray:
        return None
    return data.decode("utf-8", errors="cp1252_fallback")


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's reading; windows-1252 when it reads the bytes about as cleanly (on short Western
    text the detector often prefers another single-byte code page that reads the same letters differently)."""
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding.startswith(("utf_16", "utf_32")) and b"\x00" not in data:
        best = None  # text without a single NUL byte is not UTF-16 (the detector guesses so on a few bytes)
    western = _strict(data, "cp1252")
    if best is not None and best.encoding in _MULTI_BYTE:
        text = str(best)
        if "\ufffd" not in text:
            return text, codec_name(best.encoding)
    if western is not None and (best is None or mess_ratio(western) <= best.chaos + WESTERN_MARGIN):
        return western, "cp1252"
    if best is not None:
        text = str(best)
        if "\ufffd" not in text:
            return text, codec_name(best.encoding) or best.encoding
    return None


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    """windows-1252 as browsers read it: the five bytes it leaves undefined are their Latin-1 characters."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """For UTF-8 decoding: a byte that is not UTF-8 is read as windows-1252 (as browsers do)."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="latin1_fallback"), error.end


codecs.register_error("latin1_fallback", _latin1_fallback)
codecs.register_error("cp1252_fallback", _cp1252_fallback)
