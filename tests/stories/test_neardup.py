"""Near-duplicate detection (pure): rewrites and retitled copies match; other wordings and other figures do not."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from itertools import combinations

from tidings.demo.corpus import generate_demo_corpus
from tidings.stories.neardup import Entry, Fingerprint, fingerprint, match_score, plan_links
from tidings.stories.neardup_window import BandIndex

BODY = (
    "The Harbour Authority of Lindqvist approved a plan on Tuesday to dredge the northern channel, "
    "a project expected to cost 48 million crowns over four years.\n\n"
    "Marta Okonkwo, who chairs the authority's board, said the channel had silted up faster than engineers "
    "had predicted and that larger ferries were already running aground at low tide.\n\n"
    "Fishermen's groups opposed the plan, warning that the dredging would disturb spawning grounds in the "
    "bay for at least two seasons and cut catches by as much as 30 percent.\n\n"
    "The work is due to begin in March, once the regional environment office has reviewed the proposal."
)
HEADLINE = "Lindqvist harbour board approves channel dredging plan"


def _fp(key: int, body: str = BODY, headline: str = HEADLINE) -> Fingerprint:
    found = fingerprint(key, headline, body)
    assert found is not None
    return found


def _entry(key: int, when: float, body: str = BODY, headline: str = HEADLINE, duplicate_of: int | None = None) -> Entry:
    return Entry(fingerprint=_fp(key, body, headline), order=(when, key), duplicate_of=duplicate_of)


def test_copy_under_another_headline_is_near_duplicate() -> None:
    assert match_score(_fp(1), _fp(2, headline=f"Update: {HEADLINE} (report)")) is not None


def test_rewrite_with_swapped_phrase_and_update_line_is_near_duplicate() -> None:
    rewrite = BODY.replace("opposed the plan", "criticised the plan") + (
        "\n\nThis article was updated at 14:05 with additional details."
    )
    assert match_score(_fp(1), _fp(2, rewrite, f"{HEADLINE}, latest")) is not None


def test_changed_figure_is_not_near_duplicate() -> None:
    other = BODY.replace("48 million", "84 million")
    assert match_score(_fp(1), _fp(2, other)) is None


def test_other_names_are_not_near_duplicate() -> None:
    other = BODY.replace("Marta Okonkwo", "Henrik Dahlberg").replace("Lindqvist", "Sorvik")
    assert match_score(_fp(1), _fp(2, other, HEADLINE.replace("Lindqvist", "Sorvik"))) is None


def test_short_text_has_no_fingerprint() -> None:
    assert fingerprint(1, "Brief", "The council met on Tuesday. The vote was close.") is None


def test_one_sentence_summary_has_no_fingerprint() -> None:
    summary = "The dredging plan puts the fishing dispute back at the centre of debate in Lindqvist this week."
    assert fingerprint(1, HEADLINE, summary) is None


def test_same_story_in_other_words_is_not_near_duplicate() -> None:
    items = generate_demo_corpus(datetime(2026, 11, 25, tzinfo=UTC), count=400)
    by_story: dict[str, list[Fingerprint]] = defaultdict(list)
    for key, item in enumerate(items):
        fp = fingerprint(key, item.article.headline, item.article.body_text)
        if fp is not None:
            by_story[item.story_id].append(fp)
    pairs = [pair for fps in by_story.values() for pair in combinations(fps, 2)]
    assert pairs, "the demo corpus should tell some stories through several outlets"
    assert [p for p in pairs if match_score(*p) is not None] == []


OTHER = (
    "Striking rail workers in Dunmore returned to their posts on Friday after the transport union accepted "
    "a pay offer of 6 percent spread over two years.\n\nThe strike had halted trains between the capital and "
    "the coast for nine days, stranding thousands of commuters and holiday makers at the height of summer."
)
REWRITE = BODY.replace("opposed the plan", "criticised the plan")


def _filler(key: int) -> Fingerprint:
    words = " ".join(f"w{key}x{i}" for i in range(40))
    return _fp(key, words, f"Filler {key}")


def test_band_index_proposes_a_rewrite_and_not_another_story() -> None:
    index = BandIndex()
    index.add(1, _fp(1).signature, at=10.0)
    index.add(2, _fp(2, OTHER).signature, at=10.0)
    assert index.candidates(_fp(3, REWRITE).signature) == {1}


def test_band_index_finds_articles_after_merging_them() -> None:
    index = BandIndex(buffer=2)
    index.add(1, _fp(1).signature, at=10.0)
    for key in range(2, 6):
        index.add(key, _filler(key).signature, at=10.0)
    index.merge()
    assert index.candidates(_fp(9, REWRITE).signature) == {1}


def test_band_index_expire_drops_articles_older_than_the_window() -> None:
    index = BandIndex(buffer=2)
    index.add(1, _fp(1).signature, at=10.0)
    index.add(2, _filler(2).signature, at=10.0)  # merged with the first
    index.add(3, _fp(3).signature, at=50.0)
    assert index.expire(before=20.0) == 2
    assert index.candidates(_fp(9, REWRITE).signature) == {3}


def test_band_index_trim_keeps_the_newest_articles() -> None:
    index = BandIndex()
    for key in range(1, 6):
        index.add(key, _fp(key).signature, at=float(key))
    assert index.trim(2) == 3
    assert index.candidates(_fp(9).signature) == {4, 5}


def test_band_index_min_estimate_leaves_out_a_weak_candidate() -> None:
    index = BandIndex()
    index.add(1, _fp(1).signature, at=10.0)
    shared = _fp(2).signature.copy()
    shared[3:] = _fp(3, OTHER).signature[3:]  # one band in common, the rest another text's
    assert (index.candidates(shared), index.candidates(shared, min_estimate=0.4)) == ({1}, set())


def test_band_index_discarded_article_is_not_proposed() -> None:
    index = BandIndex(buffer=1)
    index.add(1, _fp(1).signature, at=10.0)
    index.discard(1)
    assert (len(index), index.candidates(_fp(2).signature)) == (0, set())


def test_band_index_reindexed_article_reports_its_new_digest() -> None:
    index = BandIndex(buffer=1)
    index.add(1, _fp(1).signature, at=10.0, digest=7)
    index.add(1, _fp(1, OTHER).signature, at=10.0, digest=8)
    assert (len(index), index.digest(1)) == (1, 8)


def test_band_index_holds_under_450_bytes_an_article() -> None:
    index = BandIndex(buffer=256)
    for key in range(1, 1001):
        index.add(key, _filler(key).signature, at=float(key))
    index.merge()
    assert index.nbytes / len(index) < 450


def test_plan_links_new_copy_to_stored_original() -> None:
    plan = plan_links([_entry(1, 100.0)], [_entry(2, 200.0, headline="Channel dredging approved")])
    assert dict(plan.links) == {2: 1}


def test_plan_links_joins_the_groups_canonical_not_the_matched_copy() -> None:
    existing = [_entry(1, 100.0), _entry(2, 150.0, duplicate_of=1)]
    plan = plan_links(existing, [_entry(3, 200.0)])
    assert dict(plan.links) == {3: 1}


def test_earlier_new_article_becomes_canonical() -> None:
    existing = [_entry(5, 300.0), _entry(6, 350.0, duplicate_of=5)]
    plan = plan_links(existing, [_entry(7, 100.0)])
    assert dict(plan.promotions) == {5: 7}
    assert dict(plan.links) == {5: 7, 6: 7}


def test_unrelated_articles_are_not_linked() -> None:
    plan = plan_links([_entry(1, 100.0)], [_entry(2, 200.0, OTHER, "Dunmore rail strike ends")])
    assert dict(plan.links) == {}


def test_farm_near_duplicates_are_linked_and_nothing_else() -> None:
    from tools.feedfarm import FarmConfig, build_web
    from tools.feedfarm.truth import build

    truth = build(build_web(FarmConfig(seed=3, feeds=40)), "http://farm.test")
    entries, group_of = [], {}
    for article in truth["articles"]:  # type: ignore[union-attr]
        fp = fingerprint(article["id"], article["headline"], "\n\n".join(article["paragraphs"]))
        if fp is not None and article["kind"] != "syndicated":  # exact copies are dropped by content hash
            when = datetime.fromisoformat(article["published"]).timestamp() if article["published"] else 0.0
            entries.append(Entry(fingerprint=fp, order=(when, article["id"])))
            group_of[article["id"]] = article["near_duplicate_group"]
    plan = plan_links([], entries)
    canonical = {key: plan.links.get(key, key) for key in group_of}
    wrong = [(key, head) for key, head in canonical.items() if group_of[key] != group_of[head]]
    members: dict[str, set[int]] = defaultdict(set)
    for key, head in canonical.items():
        members[group_of[key]].add(head)
    assert wrong == []
    assert any(key != head for key, head in canonical.items()), "the farm should contain rewrites"
    assert [g for g, heads in members.items() if len(heads) > 1] == []
