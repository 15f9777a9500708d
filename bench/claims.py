"""Claims ledger extraction: precision, recall and F1 of speaker, cue and content spans, and articles per second.

Claim (issue 14): speaker and cue F1 at least 0.90 on news texts annotated by us plus the seed page's expected
attributions (at least 300 in all). The texts are in bench/data/claims (written and annotated for Tidings; see
its README). The rules were chosen by reading errors on the tuning split and the seed page; the held-out split
was written before the first rule and is reported apart, as is the second held-out split (styles: wire copy,
broadsheet surveys, court, press release, Q&A, parliament, science, police appeal), written before the demo
walkthrough's fixes and never used to choose a rule. Predicted and gold claims are paired by overlapping
cues; a part is right when its span is the same (exact) or shares a character (overlap).
Timing: extraction only (the model is loaded first), the best of --repeats passes over every article.
Usage: bench/claims.py [--quick] [--errors SPLIT] [--no-report]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.90
STYLES = "held-out 2 (styles)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one timing pass instead of three")
    parser.add_argument("--errors", choices=["tuning", "seed"], help="print the differences on one tuning split")
    parser.add_argument("--no-report", action="store_true", help="do not rewrite docs/benchmarks.md")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    from bench._claims_data import GoldArticle, load_seed, load_split
    from bench._claims_score import Scores, errors, score_article

    from tidings.stories.claims import claims_in_texts, claims_nlp

    splits: dict[str, list[GoldArticle]] = {
        "tuning": load_split("tuning"),
        "held-out": load_split("heldout"),
        "held-out 2 (styles)": load_split("styles"),
    }
    seed = load_seed()
    if seed is None:
        print("seed page absent (../shared/seeds): scored without it")
    else:
        splits["seed"] = [seed]
    nlp = claims_nlp()
    articles = [a for split in splits.values() for a in split]
    texts = [a.text for a in articles]
    claims_in_texts(texts[:2], nlp)  # warm-up
    best = float("inf")
    predicted: list[list[dict[str, object]]] = []
    for _ in range(1 if args.quick else 3):
        started = time.perf_counter()
        found = claims_in_texts(texts, nlp)
        best = min(best, time.perf_counter() - started)
        predicted = [[c.as_dict() for c in claims] for claims in found]
    by_id = {a.id: p for a, p in zip(articles, predicted, strict=True)}
    rows = []
    totals: dict[str, Scores] = {}
    for name, split in [*splits.items(), ("all", articles)]:
        scores = Scores()
        for article in split:
            scores.add(score_article(article.claims, by_id[article.id]))
        totals[name] = scores
        gold = sum(len(a.claims) for a in split)
        if not (args.errors and name in {"held-out", STYLES, "all"}):  # while tuning, held-out figures stay unseen
            rows.append(_row(name, len(split), gold, scores))
        if args.errors and name == args.errors:
            for article in split:
                lines = errors(article.text, article.claims, by_id[article.id])
                if lines:
                    print(f"== {article.id}")
                    print("\n".join(lines))
    per_second = len(articles) / best if best else 0.0
    header = [
        "split",
        "articles",
        "claims",
        "cue F1",
        "cue F1 ovl",
        "speaker F1",
        "speaker F1 ovl",
        "content F1",
        "content F1 ovl",
        "quote acc",
        "attributed acc",
        "nested acc",
    ]
    _print_table(header, rows)
    chars = sum(len(t) for t in texts)
    print(f"{len(articles)} articles ({chars} characters) in {best:.2f} s: {per_second:.1f} articles/s")
    every, held, styles = totals["all"], totals["held-out"], totals[STYLES]
    if not args.no_report:
        from bench._report import markdown_table, update_section

        update_section(
            "Claims",
            markdown_table(header, rows)
            + f"\n\n{per_second:.1f} articles/s, {chars / best:,.0f} characters/s ({len(articles)} articles, {chars}"
            + " characters, extraction only, "
            + "best of "
            + ("1 pass" if args.quick else "3 passes")
            + "; 2 shared CPU cores). `bench/claims.py"
            + (" --quick" if args.quick else "")
            + "`.\n\nTexts: bench/data/claims (news articles written and annotated for Tidings, plus the seed page's"
            " expected attributions from issue 14). Rules were chosen on the tuning split and the seed; the held-out"
            " split was written before the first rule and never used to choose one. The second held-out split"
            " (styles: 8 articles in styles the first two lack: wire copy with nested 'according to', a broadsheet"
            " survey story with 'per cent' statistics, court reporting, a press-release rewrite, a Q&A interview, a"
            " parliamentary report, a science story, a police appeal) was written and annotated, by the engineer"
            " who then changed the rules, after a demo walkthrough had found defects (statistic subjects,"
            " 'according to', phrasal cues) but before"
            " any rule was changed for them and before the extractor ran on it. It was scored with the old rules"
            " (commit 87ba6c9: speaker F1 0.874, cue F1 0.924), not read while the rules were changed (on the tuning"
            " split, the demo corpus, sentences written for unit tests, and a reading of the extractor's output on"
            " bbc-news articles), and scored again (commit e14a492: speaker F1 0.899, cue F1 0.924): those are its"
            " unseen figures. Its errors were then read and six general bugs they showed were fixed (a wire"
            " dateline in the content, a comma clause deep in a speaker, 'But' and a trailing comma on a speaker"
            " of a noun-rooted parse, ', X reported' after a nested statement, 'called for X to …' parsed with a"
            " mark, 'warned X not to …'), so its row below is no longer unseen. Claims are paired by overlapping"
            " cues; F1 is exact span"
            " equality unless marked ovl (any shared character). The RESULT line's speaker_f1 and cue_f1 are exact,"
            " on all splits together; heldout_* are the held-out split's, styles_* the second held-out split's."
            f" Target: speaker and cue F1 at least {TARGET:.2f}. Caveat: the texts, their annotation and the rules"
            " come from the same team, so all splits are likely easier than real news; the styles split shows what"
            " a new writing style costs (speaker F1 0.899 unseen against 0.962 on the first held-out split)."
            " Nested acc: the share of paired claims whose nesting is right (a claim made inside another's content,"
            " `[T1 [S2 …] [C2 …] [T2 …]]` in the gold, `via` set in the output; gold nested claims: 1 tuning, 1"
            " held-out, 5 styles). The second demo walkthrough's fixes (denials need a statement, nested claims"
            " carry `via`, speakers that are people; chosen on unit sentences and the demo corpus, not on these"
            " splits) left every split's speaker and cue F1 unchanged.",
        )
    print(
        f"RESULT speaker_f1={every.tally('speaker_exact').f1:.4f} cue_f1={every.tally('cue_exact').f1:.4f}"
        f" content_overlap_f1={every.tally('content_overlap').f1:.4f} articles_per_s={per_second:.1f}"
        f" heldout_speaker_f1={held.tally('speaker_exact').f1:.4f} heldout_cue_f1={held.tally('cue_exact').f1:.4f}"
        f" heldout_content_overlap_f1={held.tally('content_overlap').f1:.4f}"
        f" styles_speaker_f1={styles.tally('speaker_exact').f1:.4f} styles_cue_f1={styles.tally('cue_exact').f1:.4f}"
        f" styles_content_overlap_f1={styles.tally('content_overlap').f1:.4f}"
    )


def _row(name: str, articles: int, claims: int, scores: object) -> list[object]:
    from bench._claims_score import Scores

    assert isinstance(scores, Scores)
    paired = scores.paired or 1
    return [
        name,
        articles,
        claims,
        scores.tally("cue_exact").f1,
        scores.tally("cue_overlap").f1,
        scores.tally("speaker_exact").f1,
        scores.tally("speaker_overlap").f1,
        scores.tally("content_exact").f1,
        scores.tally("content_overlap").f1,
        scores.quote_right / paired,
        scores.attributed_right / paired,
        scores.nested_right / paired,
    ]


def _print_table(header: list[str], rows: list[list[object]]) -> None:
    def cell(value: object) -> str:
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    widths = [max(len(h), *(len(cell(r[i])) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(cell(v).rjust(w) for v, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
