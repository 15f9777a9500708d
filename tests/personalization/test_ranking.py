"""Ranking with hand-built profiles: scoring, decay, exclusions, one card per story, MMR diversity, reasons."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from tidings.personalization.diversity import intra_list_diversity, one_per_story, rerank, similarity
from tidings.personalization.explain import explain, targets_to_name
from tidings.personalization.ranking import (
    DEFAULT_WEIGHTS,
    Candidate,
    ReaderProfile,
    Reason,
    Weights,
    freshness,
    importance,
    rank,
    score,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
POLITICS, SPORT, SCIENCE, ECONOMY = 1, 2, 3, 4
SYRIA, FOOTBALL = 10, 11
GAZETTE, LEDGER = 100, 101


def article(article_id, hours_ago=1.0, *, categories=(), topics=(), source=GAZETTE, story=None, sources=1):
    return Candidate(
        article_id=article_id,
        published_at=NOW - timedelta(hours=hours_ago),
        source_id=source,
        story_id=story,
        category_ids=frozenset(categories),
        topic_ids=frozenset(topics),
        story_sources=sources,
    )


def ids(ranked):
    return [r.article_id for r in ranked]


# Decay and importance


def test_freshness_halves_every_half_life():
    assert freshness(NOW, NOW, 18.0) == 1.0
    assert freshness(NOW - timedelta(hours=18), NOW, 18.0) == pytest.approx(0.5)
    assert freshness(NOW - timedelta(hours=36), NOW, 18.0) == pytest.approx(0.25)


def test_future_dates_count_as_now():
    assert freshness(NOW + timedelta(hours=5), NOW, 18.0) == 1.0


def test_importance_grows_with_outlets_and_saturates():
    weights = Weights(importance_saturation=8)
    assert importance(1, weights) == 0.0
    assert 0 < importance(2, weights) < importance(4, weights) < importance(8, weights) == 1.0
    assert importance(40, weights) == 1.0


# Scoring


def test_followed_category_beats_a_slightly_newer_unfollowed_article():
    profile = ReaderProfile(follows={("category", POLITICS): 0})
    followed, other = article(1, 3, categories=[POLITICS]), article(2, 2, categories=[SPORT])
    assert score(followed, profile, NOW).score > score(other, profile, NOW).score


def test_anonymous_visitor_gets_newest_first_among_equal_coverage():
    items = [article(1, 5), article(2, 1), article(3, 3)]
    assert ids(rank(items, ReaderProfile(), NOW)) == [2, 3, 1]


def test_wide_coverage_beats_a_slightly_newer_single_outlet_article_for_anyone():
    covered, lone = article(1, 4, story=7, sources=10), article(2, 1)
    assert ids(rank([lone, covered], ReaderProfile(), NOW)) == [1, 2]


def test_freshness_decay_eventually_beats_coverage():
    old_big, new_small = article(1, 72, story=7, sources=14), article(2, 1)
    assert ids(rank([old_big, new_small], ReaderProfile(), NOW)) == [2, 1]


def test_follow_weight_more_outranks_normal_and_less():
    profile = ReaderProfile(follows={("category", POLITICS): 1, ("category", SPORT): 0, ("category", SCIENCE): -1})
    items = [
        article(1, 2, categories=[SCIENCE]),
        article(2, 2, categories=[SPORT]),
        article(3, 2, categories=[POLITICS]),
    ]
    scores = {c.article_id: score(c, profile, NOW).score for c in items}
    assert scores[3] > scores[2] > scores[1] > score(article(4, 2, categories=[ECONOMY]), profile, NOW).score


def test_followed_topic_counts_more_than_followed_category():
    profile = ReaderProfile(follows={("category", POLITICS): 0, ("topic", SYRIA): 0})
    topic, category = article(1, 2, topics=[SYRIA]), article(2, 2, categories=[POLITICS])
    assert score(topic, profile, NOW).score > score(category, profile, NOW).score


def test_two_matches_score_more_than_one_but_less_than_twice():
    profile = ReaderProfile(follows={("category", POLITICS): 0, ("topic", SYRIA): 0})
    one = score(article(1, categories=[POLITICS]), profile, NOW).interest
    two = score(article(2, categories=[POLITICS], topics=[SYRIA]), profile, NOW).interest
    assert one < two < 2 * max(one, score(article(3, topics=[SYRIA]), profile, NOW).interest)


def test_a_learned_lift_multiplies_the_score_and_a_huge_one_is_capped():
    candidate = article(1, categories=[SCIENCE])
    elsewhere = {("category", POLITICS): 0.5}  # a reader (personal_base), nothing learned about science
    plain = score(candidate, ReaderProfile(implicit=elsewhere), NOW).score
    twice = score(candidate, ReaderProfile(implicit={**elsewhere, ("category", SCIENCE): math.log(2.0)}), NOW).score
    huge = score(candidate, ReaderProfile(implicit={**elsewhere, ("category", SCIENCE): 3000.0}), NOW).score
    assert twice == pytest.approx(2.0 * plain)
    assert huge == pytest.approx(math.exp(DEFAULT_WEIGHTS.lift_cap) * plain)


def test_a_learned_lift_can_put_a_small_story_above_a_top_story_the_reader_passes_over():
    profile = ReaderProfile(implicit={("category", SCIENCE): 1.0, ("category", SPORT): -1.0})
    small = article(1, 2, categories=[SCIENCE])
    top = article(2, 1, categories=[SPORT], story=20, sources=8)
    assert score(small, profile, NOW).score > score(top, profile, NOW).score
    assert score(small, ReaderProfile(), NOW).score < score(top, ReaderProfile(), NOW).score


def test_topic_lifts_count_at_their_share_and_liked_ones_add_with_diminishing_returns():
    profile = ReaderProfile(implicit={("category", SCIENCE): 1.0, ("topic", SYRIA): 1.0})
    both = score(article(1, categories=[SCIENCE], topics=[SYRIA]), profile, NOW)
    alone = score(article(2, categories=[SCIENCE]), profile, NOW)
    share = DEFAULT_WEIGHTS.topic_share
    expected = max(1.0, share) + 0.5 * min(1.0, share)
    assert both.score / alone.score == pytest.approx(math.exp(DEFAULT_WEIGHTS.implicit * (expected - 1.0)))


def test_learned_dislike_lowers_the_score():
    candidate = article(1, categories=[SPORT])
    disliked = ReaderProfile(implicit={("category", SPORT): -5.0})
    assert score(candidate, disliked, NOW).score < score(candidate, ReaderProfile(), NOW).score


def test_taste_vector_favours_the_similar_article():
    profile = ReaderProfile(taste=(1.0, 0.0))
    near = Candidate(1, NOW, GAZETTE, embedding=(0.9, 0.1))
    far = Candidate(2, NOW, GAZETTE, embedding=(0.0, 1.0))
    assert score(near, profile, NOW).score > score(far, profile, NOW).score
    assert score(near, profile, NOW).reason == Reason("taste")


def test_source_preference_adds_to_the_score():
    profile = ReaderProfile(implicit={("source", LEDGER): 6.0})
    liked, other = article(1, source=LEDGER), article(2, source=GAZETTE)
    assert score(liked, profile, NOW).score > score(other, profile, NOW).score


# Exclusions


def test_muted_topic_category_or_source_excludes_the_article():
    profile = ReaderProfile(
        follows={("category", POLITICS): 0}, mutes=frozenset({("topic", FOOTBALL), ("source", LEDGER)})
    )
    items = [
        article(1, categories=[POLITICS]),
        article(2, categories=[POLITICS], topics=[FOOTBALL]),
        article(3, categories=[POLITICS], source=LEDGER),
    ]
    assert ids(rank(items, profile, NOW)) == [1]


def test_hidden_story_and_hidden_article_are_excluded():
    profile = ReaderProfile(hidden_story_ids=frozenset({7}), hidden_article_ids=frozenset({3}))
    items = [article(1, story=7, sources=2), article(2, story=7, source=LEDGER, sources=2), article(3), article(4)]
    assert ids(rank(items, profile, NOW)) == [4]


def test_read_articles_are_excluded_and_their_story_demoted():
    profile = ReaderProfile(read_article_ids=frozenset({1}), read_story_ids=frozenset({7}))
    items = [article(1, story=7, sources=2), article(2, 0.5, story=7, source=LEDGER, sources=2), article(3, 2)]
    assert ids(rank(items, profile, NOW)) == [3, 2]


def test_home_profile_keeps_mutes_and_hides_but_no_interests():
    profile = ReaderProfile(
        follows={("category", SPORT): 1},
        mutes=frozenset({("category", POLITICS)}),
        hidden_story_ids=frozenset({9}),
        read_article_ids=frozenset({5}),
    )
    home = profile.exclusions_only()
    assert home.is_empty and home.mutes == profile.mutes and home.hidden_story_ids == profile.hidden_story_ids
    items = [article(1, categories=[POLITICS]), article(2, 2, categories=[SPORT]), article(3, 1), article(5, 1.5)]
    assert ids(rank(items, home, NOW)) == [3, 5, 2]


# One per story and diversity


def test_one_card_per_story_keeps_the_best_scored_article():
    profile = ReaderProfile(follows={("source", LEDGER): 0, ("source", GAZETTE): -1})
    items = [article(1, 1, story=7, sources=2), article(2, 2, story=7, source=LEDGER, sources=2), article(3, 3)]
    assert ids(rank(items, profile, NOW)) == [2, 3]


def test_one_per_story_keeps_articles_in_no_story():
    scored = [score(article(i), ReaderProfile(), NOW) for i in (1, 2)]
    assert len(one_per_story(scored)) == 2


def test_similarity_is_story_then_category_or_topic_overlap():
    assert similarity(article(1, story=3), article(2, story=3)) == 1.0
    assert similarity(article(1, categories=[1, 2]), article(2, categories=[2])) == 0.5
    assert similarity(article(1, categories=[1], topics=[5]), article(2, categories=[2], topics=[5])) == 1.0
    assert similarity(article(1, categories=[1]), article(2, categories=[2])) == 0.0


def test_mmr_stops_one_category_from_taking_the_whole_page():
    """Eight sport articles score a little above two science ones; diversity lifts science into the top five."""
    profile = ReaderProfile(follows={("category", SPORT): 0, ("category", SCIENCE): 0})
    sport = [article(i, 1 + i * 0.05, categories=[SPORT]) for i in range(1, 9)]
    science = [article(i, 2, categories=[SCIENCE]) for i in (20, 21)]
    flat = ids(rank(sport + science, profile, NOW, Weights(diversity=0.0)))
    diverse = ids(rank(sport + science, profile, NOW))
    assert flat[:8] == list(range(1, 9))
    assert set(diverse[:5]) & {20, 21}
    assert sorted(diverse) == sorted(flat), "diversity reorders, it never drops"


def test_mmr_raises_intra_list_diversity():
    candidates = [article(i, i * 0.1, categories=[SPORT if i < 15 else SCIENCE]) for i in range(20)]
    scored = [score(c, ReaderProfile(), NOW) for c in candidates]
    flat = [s.candidate for s in rerank(scored, 0.0, 10)][:10]
    diverse = [s.candidate for s in rerank(scored, 0.35, 10)][:10]
    assert intra_list_diversity(diverse) > intra_list_diversity(flat)


# Exploration and reasons


def test_exploration_card_comes_from_outside_the_profile_with_its_reason():
    profile = ReaderProfile(follows={("category", SPORT): 0})
    sport = [article(i, 1 + i * 0.01, categories=[SPORT]) for i in range(1, 13)]
    science = article(50, 1, categories=[SCIENCE])
    ranked = rank([*sport, science], profile, NOW, Weights(exploration_every=10, exploration_slot=7))
    assert ranked[7].article_id == 50
    assert ranked[7].reason == Reason("explore", ("category", SCIENCE))
    assert all(r.reason == Reason("follow", ("category", SPORT)) for r in ranked if r.article_id != 50)


def test_an_empty_profile_gets_no_exploration_cards():
    ranked = rank([article(i, i, categories=[i % 3]) for i in range(1, 12)], ReaderProfile(), NOW)
    assert all(r.reason.kind in {"latest", "covered", "top_story"} for r in ranked)


def test_reasons_in_order_follow_learned_top_story_latest():
    profile = ReaderProfile(follows={("topic", SYRIA): 0}, implicit={("category", SCIENCE): 2.0})
    assert score(article(1, topics=[SYRIA], sources=9, story=1), profile, NOW).reason == Reason(
        "follow", ("topic", SYRIA)
    )
    assert score(article(2, categories=[SCIENCE]), profile, NOW).reason == Reason("learned", ("category", SCIENCE))
    assert score(article(3, story=3, sources=14), profile, NOW).reason == Reason("top_story", count=14)
    assert score(article(4, story=4, sources=2), profile, NOW).reason == Reason("covered", count=2)
    assert score(article(5), profile, NOW).reason == Reason("latest")


def test_explanations_are_a_few_words():
    names = {("topic", SYRIA): "Syria", ("category", SCIENCE): "Science"}
    assert explain(Reason("follow", ("topic", SYRIA)), names) == "You follow Syria"
    assert explain(Reason("top_story", count=14), names) == "Top story: 14 sources"
    assert explain(Reason("covered", count=2), names) == "Reported by 2 sources"
    assert explain(Reason("explore", ("category", SCIENCE)), names) == "New for you: Science"
    assert explain(Reason("learned", ("category", SCIENCE)), names) == "You often read Science"
    assert explain(Reason("taste"), names) == "More like what you read"
    assert explain(Reason("follow", ("topic", 999)), names) == "Latest news", "a target with no name"


def test_targets_to_name_groups_ids_by_kind():
    reasons = [Reason("follow", ("topic", 1)), Reason("explore", ("category", 2)), Reason("top_story", count=3)]
    assert targets_to_name(reasons) == {"topic": {1}, "category": {2}}


def test_a_personal_list_leaves_out_unmatched_cards_beyond_the_exploration_share():
    profile = ReaderProfile(follows={("category", SPORT): 0})
    sport = [article(i, 1, categories=[SPORT]) for i in range(1, 4)]
    others = [article(i, 0.5, categories=[SCIENCE]) for i in range(20, 30)]
    top = article(40, 2, categories=[ECONOMY], story=4, sources=5)
    assert sorted(ids(rank([*sport, *others, top], profile, NOW))) == [1, 2, 3, 40]


def test_a_followed_source_is_a_match_not_exploration():
    profile = ReaderProfile(follows={("category", SPORT): 0, ("source", LEDGER): 0})
    ranked = rank([article(1, categories=[SPORT]), article(2, categories=[SCIENCE], source=LEDGER)], profile, NOW)
    assert [(r.article_id, r.reason) for r in ranked] == [
        (1, Reason("follow", ("category", SPORT))),
        (2, Reason("follow", ("source", LEDGER))),
    ]


def test_listed_from_links_applies_the_membership_rule_to_rows_already_read():
    from tidings.personalization.candidates import listed_from_links

    links = [
        (1, 10, 1, 0.9, "model"),  # strong model link to a sub-category: listed in it and in its parent
        (2, 10, 1, 0.1, "model"),  # a weak model guess lists nothing
        (3, 11, None, 0.1, "publisher"),  # a publisher's label counts at any positive score
        (4, 10, 1, 0.9, "model"),
        (4, 1, None, 0.0, "editor"),  # an editor took article 4 out of the parent: no lift into it
    ]
    assert listed_from_links(links) == {1: {10, 1}, 3: {11}, 4: {10}}


def test_a_readers_own_list_weighs_coverage_against_a_larger_base_than_the_home_page():
    weights = Weights(base=0.15, personal_base=0.5, source=0.0)
    top_story, single = article(1, sources=8), article(2, categories=[SCIENCE])
    reader = ReaderProfile(implicit={("category", POLITICS): 0.7})  # likes neither card's category
    home = [score(c, ReaderProfile(), NOW, weights).score for c in (top_story, single)]
    personal = [score(c, reader, NOW, weights).score for c in (top_story, single)]
    assert home[0] / home[1] == pytest.approx((0.15 + weights.importance) / 0.15)
    assert personal[0] / personal[1] == pytest.approx((0.5 + weights.importance) / 0.5)
