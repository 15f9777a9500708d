"""Pure: the parts printed around an article's body: the standfirst, and the lead image's caption and credit."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

_DEK_CLASS = re.compile(
    r"standfirst|\bde(?:k|ck)\b|subtitle|subhead|\blede\b|\blead\b|\bintro\b|summary|excerpt|strapline", re.I
)
DEK_LINK_SHARE = 0.5  # a dek-classed box whose text is mostly links is navigation ("Share | Print")
_CAPTION_CLASS = re.compile(r"caption", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|attribution|source", re.I)
_CREDIT_TEXT = re.compile(
    r"[\s;,|\u2013\u2014-]*\(?\s*((?:photo(?:graph)?|image|picture|illustration|credit)s?(?:\s+by)?\s*:\s*[^()]+?"
    r"|©\s*[^()]+?)\s*\)?\s*$",
    re.I,
)
_WS = re.compile(r"\s+")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", _WS.sub(" ", text).strip())


def read_standfirst(
    tree: etree._Element | None, headline: str, description: str, paragraphs: list[str]
) -> tuple[str, list[str]]:
    """A marked dek wins (and leaves the body), then an italic line right under the headline; else the
    meta description unless it only repeats the body."""
    body = tree.find("body") if tree is not None else None
    if body is not None:
        for element in body.iter("p", "div", "h2"):
            if _DEK_CLASS.search(element.get("class") or "") and not _is_controls(element):
                text = _clean(element.text_content())
                if 3 <= len(text.split()) <= 80:
                    return text, [p for p in paragraphs if p != text]
        text = _italic_line_under(body, headline)
        if text:
            return text, [p for p in paragraphs if p != text]
    if description and paragraphs:
        opening = _clean(paragraphs[0].rstrip("…."))
        stem = description.rstrip("…. ")
        if opening.startswith(stem) or stem.startswith(opening):
            return "", paragraphs
    return _clean(description), paragraphs


def _is_controls(element: etree._Element) -> bool:
    """Page furniture in a dek-like box: buttons or form fields, or text that is mostly links."""
    if element.find(".//button") is not None or element.find(".//select") is not None:
        return True
    text = len(_clean(element.text_content()))
    linked = sum(len(_clean(link.text_content())) for link in element.iter("a"))
    return text > 0 and linked >= DEK_LINK_SHARE * text


def _italic_line_under(body: etree._Element, headline: str) -> str:
    """The standfirst of an old-style page: an italic line of 5-60 words printed right after the headline."""
    for element in body.iter("h1", "h2", "b", "strong", "font"):
        if _clean(element.text_content()) != headline:
            continue
        sibling = element.getnext()
        while sibling is not None and sibling.tag == "br":
            sibling = sibling.getnext()
        if sibling is None:
            return ""
        text = _clean(sibling.text_content())
        inner = sibling[0] if len(sibling) == 1 else None
        italic = sibling.tag in {"i", "em"} or (
            inner is not None and inner.tag in {"i", "em"} and _clean(inner.text_content()) == text
        )
        return text if italic and 5 <= len(text.split()) <= 60 else ""
    return ""


def read_lead_caption(tree: etree._Element | None) -> tuple[str, str]:
    """Caption and credit of the lead image: a <figure> with <figcaption> first, else an image's
    caption-classed neighbour, else the short italic line printed right under an image."""
    body = tree.find("body") if tree is not None else None
    if body is None:
        return "", ""
    figures = [f for f in body.iter("figure") if f.find(".//img") is not None]
    in_article = [f for f in figures if any(a.tag == "article" for a in f.iterancestors())]
    for figure in in_article or figures:
        caption = figure.find(".//figcaption")
        if caption is not None:
            return _split_credit(caption, figure)
    images = [image for image in body.iter("img") if not any(a.tag == "figure" for a in image.iterancestors())][:10]
    for image in images:  # a caption-classed element beside the image (or beside the image's wrapper)
        parent = image.getparent()
        for scope in (parent, parent.getparent() if parent is not None else None):
            for element in scope if scope is not None else ():
                if isinstance(element.tag, str) and _CAPTION_CLASS.search(element.get("class") or ""):
                    return _split_credit(element, element.getparent())
    for image in images[:3]:  # an old-style page: a short italic line printed right under the image
        sibling = image.getnext()
        while sibling is not None and sibling.tag == "br":
            sibling = sibling.getnext()
        if sibling is not None and sibling.tag in {"i", "em"} and 2 <= len(sibling.text_content().split()) <= 40:
            after = sibling.getnext()
            credit = _clean(after.text_content()) if after is not None and after.tag == "small" else ""
            return _clean(sibling.text_content()), _strip_credit_label(credit.strip("() "))
    return "", ""


def _split_credit(caption_element: etree._Element, scope: etree._Element | None) -> tuple[str, str]:
    """The caption's text and its credit, whether marked by class or written at the caption's end."""
    credit = ""
    for element in scope.xpath(".//*[@class]") if scope is not None else ():
        if element is not caption_element and _CREDIT_CLASS.search(element.get("class", "")):
            credit = _clean(element.text_content())
            if caption_element in element.iterancestors():  # a credit inside the caption leaves its text
                element.drop_tree()
            break
    caption = _clean(caption_element.text_content())
    if credit:
        return caption, _strip_credit_label(credit)
    return split_caption_credit(caption)


def split_caption_credit(text: str) -> tuple[str, str]:
    """A caption's text and the credit written at its end ("… Photo: Jane Roe", "… © Agency"), if any."""
    caption, credit = _clean(text), ""
    match = _CREDIT_TEXT.search(caption)
    if match and match.start() > 0:
        credit, caption = _clean(match.group(1)), _clean(caption[: match.start()])
    return caption, _strip_credit_label(credit)


def _strip_credit_label(credit: str) -> str:
    credit = re.sub(r"^(?:photo(?:graph)?|image|picture|credit)s?(?:\s+by)?\s*:\s*", "", credit, flags=re.I)
    return re.sub(r"^(?:©|\(c\))\s*", "", credit, flags=re.I)
