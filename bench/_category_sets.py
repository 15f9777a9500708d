"""A second labelled set for bench/categorize.py: ECB+ news texts, each topic given one IPTC top-level category.

BBC News labels five categories only, so a rule that pushes stories away from the twelve others (crime, disaster,
conflict, ...) scores better on BBC without being better. ECB+ (../shared/data/ecb-plus/, topics 1-22: web news
of 2008-2013 from many outlets, about arrests, murders, fires, earthquakes, riots, elections, sport and film) is
mostly those other categories. Its topics carry no category, so each topic was given one IPTC top-level category
here, from the topic's event and the IPTC Media Topics tree (../shared/data/iptc-mediatopics/: "celebrity" is filed
under human interest, "civil unrest" under conflict, accidents and fires under disaster), decided before any
ECB+ text was scored. Topics whose event fits two top-level categories equally are left out: 4 (a celebrity's
death: arts or human interest), 8 (a bank bombing: crime, or unrest in its second event), 12 (piracy: crime or
conflict), 21 (a hit-and-run: an accident or a crime). Nothing is chosen on this set: it is a check only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ECBPLUS = ROOT.parent / "shared" / "data" / "ecb-plus" / "docs.jsonl"

# ECB+ topic → IPTC top-level qcode, with the topic's two events (ECB+'s own description) as the reason.
ECBPLUS_TOPICS: dict[int, str] = {
    1: "medtop:08000000",  # celebrities enter rehab: human interest (IPTC files "celebrity" there)
    2: "medtop:01000000",  # an Oscars host is named: arts, culture, entertainment
    3: "medtop:02000000",  # a prisoner's escape and sentencing: crime
    5: "medtop:15000000",  # a basketball coach is fired: sport
    6: "medtop:01000000",  # a film director for a sequel: arts, culture, entertainment
    7: "medtop:15000000",  # a boxing title fight: sport
    9: "medtop:06000000",  # endangered species protection changed: environment
    10: "medtop:15000000",  # a baseball player's contract offer: sport
    11: "medtop:11000000",  # parliamentary elections in Turkmenistan: politics
    13: "medtop:02000000",  # arson at a church: crime
    14: "medtop:03000000",  # a fire destroys a supermarket: disaster, accident and emergency incident
    16: "medtop:02000000",  # a sheriff's deputy murdered by gang members: crime
    18: "medtop:02000000",  # an office shooting: crime
    19: "medtop:16000000",  # riots after a teenager is shot by police: conflict (civil unrest)
    20: "medtop:03000000",  # an earthquake: disaster
    22: "medtop:02000000",  # a murder suspect charged decades later: crime
}
# A leading line that is a URL, a dateline or a timestamp ("Friday, June 7, 2013", "Last updated at 11: 11 GMT")
# is not the headline: it is skipped.
_NOT_A_HEADLINE = re.compile(r"^(https?:.*|.*\b(updated|GMT|IST)\b.*|[\w ,.:]*\d{4}|[A-Z]{3} \d{1,2})$", re.I)


def ecbplus_rows(path: Path = ECBPLUS, topics: dict[int, str] = ECBPLUS_TOPICS) -> list[dict[str, str]]:
    """ECB+ documents of the mapped topics as {id, category, title, text}: the first sentence that is not a URL or
    a dateline is the title, the rest the text (a sentence a line); documents with no sentence after it are left out.
    """
    rows = []
    for line in path.open(encoding="utf-8"):
        if not line.strip():
            continue
        doc = json.loads(line)
        if doc.get("topic") not in topics:
            continue
        sentences = [s.strip() for s in doc.get("sentences", ()) if s.strip()]
        while sentences and _NOT_A_HEADLINE.match(sentences[0]):
            sentences.pop(0)
        if len(sentences) < 2:
            continue
        rows.append(
            {
                "id": str(doc["doc_id"]),
                "category": topics[doc["topic"]],
                "title": sentences[0],
                "text": "\n".join(sentences[1:]),
            }
        )
    return rows


def score_ecbplus(evidence_of, first_label, short_item, macro_f1, path: Path = ECBPLUS) -> dict[str, object]:
    """Zero-shot macro-F1 on the ECB+ rows, full texts and cut to headline + first sentence, with table rows.

    evidence_of: ArticleText list → zero-shot evidence (as bench/categorize.py computes it); first_label: evidence →
    first top-level qcode; short_item: ArticleText → its headline and first sentence. Empty when the data is absent.
    """
    from tidings.enrichment.stage import ArticleText

    if not path.exists():
        print(f"ECB+ check skipped: no data at {path}")
        return {}
    rows = ecbplus_rows(path)
    gold = [r["category"] for r in rows]
    items = [ArticleText(n, r["title"], tuple(r["text"].split("\n"))) for n, r in enumerate(rows)]
    found = {}
    for name, texts in (("long", items), ("short", [short_item(i) for i in items])):
        predicted = [first_label(e) for e in evidence_of(texts)]
        found[name] = macro_f1(gold, predicted)
        found[f"{name}_accuracy"] = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    found["rows"] = len(rows)
    found["labels"] = len(set(gold))
    return found
