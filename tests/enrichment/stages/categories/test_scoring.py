"""Pure category scoring: phrases, calibrated selection and publisher signals (no model needed)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tidings.enrichment.stages.categories.scoring import (
    MODEL,
    PUBLISHER,
    ScoringConfig,
    article_input_text,
    article_sentences,
    category_name_index,
    description_phrases,
    example_bias,
    for_length,
    prototype_scores,
    publisher_qcodes,
    select_categories,
    sentence_shares,
    softmax,
    split_sentences,
    top_level_scores,
)

WAR, POLITICS, SPORT, ECONOMY = "medtop:16000000", "medtop:11000000", "medtop:15000000", "medtop:04000000"
ARMED_CONFLICT, PEACE_PROCESS = "medtop:20000056", "medtop:20000073"
PARENTS = {ARMED_CONFLICT: WAR, PEACE_PROCESS: WAR}


def test_description_phrases_are_the_parts_after_the_colon():
    phrases = description_phrases("sport", "Sport: matches, football and tennis, players.")
    assert phrases == ("matches", "football", "tennis", "players")


def test_description_without_phrases_falls_back_to_the_name():
    assert description_phrases("weather", "") == ("weather",)


def test_article_input_text_is_cut_to_max_words():
    text = article_input_text("Headline here", "", ["one two three four five"] * 10, max_words=6)
    assert text == "Headline here one two three four"


def test_article_sentences_keep_the_headline_and_skip_short_fragments():
    sentences = article_sentences(
        "Rates rise again at the bank", "", ["The bank raised rates today. Yes. Markets fell sharply after that."]
    )
    assert sentences == [
        "Rates rise again at the bank",
        "The bank raised rates today.",
        "Markets fell sharply after that.",
    ]


def test_a_repeated_sentence_votes_once():
    assert article_sentences(
        "Rebels enter the city", "", ["Rebels enter the city", "Troops pulled back overnight."]
    ) == [
        "Rebels enter the city",
        "Troops pulled back overnight.",
    ]


def test_article_sentences_stop_at_the_configured_limit():
    paragraphs = [f"This is sentence number {n} here." for n in range(50)]
    assert len(article_sentences("", "", paragraphs, ScoringConfig(max_sentences=5))) == 5


def test_prototype_score_is_the_mean_of_the_best_phrases_of_each_group():
    similarities = np.array([[0.9, 0.1, 0.5, 0.2, 0.4]])
    owners = np.array([0, 0, 0, 1, 1])
    scores = prototype_scores(similarities, owners, 2, top_k=2)
    assert scores[0] == pytest.approx([0.7, 0.3])


@given(st.lists(st.floats(-1, 1), min_size=1, max_size=20), st.floats(0.005, 1))
def test_softmax_is_a_distribution(values, temperature):
    shares = softmax(values, temperature)
    assert sum(shares) == pytest.approx(1.0)
    assert all(0 <= s <= 1 for s in shares)


def test_sentence_shares_give_a_close_second_a_real_share():
    shares = sentence_shares(np.array([[0.30, 0.29, 0.05]]), [WAR, POLITICS, SPORT], temperature=0.03)
    assert shares[POLITICS] > 0.4
    assert shares[SPORT] < 0.01


def test_weighted_sentence_shares_follow_the_heavier_vote():
    votes = np.array([[0.50, 0.10], [0.10, 0.50]])  # the first sentence leans to WAR, the second to SPORT
    even = sentence_shares(votes, [WAR, SPORT], temperature=0.03)
    assert even[WAR] == pytest.approx(0.5)
    weighted = sentence_shares(votes, [WAR, SPORT], temperature=0.03, weights=[0.5, 1.0])
    assert weighted[SPORT] == pytest.approx(2 / 3, abs=1e-3)
    assert sum(weighted.values()) == pytest.approx(1.0)


def test_all_zero_or_negative_vote_weights_count_every_sentence_alike():
    votes = np.array([[0.50, 0.10], [0.10, 0.50]])
    for weights in ([0.0, 0.0], [-1.0, -2.0]):
        assert sentence_shares(votes, [WAR, SPORT], 0.03, weights)[WAR] == pytest.approx(0.5)


def test_short_texts_get_the_short_text_settings():
    config = ScoringConfig(temperature=0.03, short_temperature=0.05, sentence_weight=0.85, short_sentence_weight=0.5)
    short = for_length(config, 30)
    assert (short.temperature, short.sentence_weight, short.short_headline_vote) == (
        0.05,
        0.5,
        config.short_headline_vote,
    )


def test_long_texts_keep_their_settings_and_the_headline_votes_as_one_sentence():
    config = ScoringConfig(short_words=60, long_words=120)
    long = for_length(config, 200)
    assert long == config
    assert for_length(config, 120).temperature == config.temperature


def test_lengths_in_between_mix_the_settings_linearly():
    config = ScoringConfig(
        short_words=60, long_words=120, temperature=0.03, short_temperature=0.05, short_headline_vote=0.5
    )
    middle = for_length(config, 90)
    assert middle.temperature == pytest.approx(0.04)
    assert middle.short_headline_vote == pytest.approx(0.75)
    assert for_length(config, 60).temperature == pytest.approx(0.05)


def test_split_sentences_ends_at_a_stop_before_a_capital_or_digit():
    text = 'The side won 2-1. "It was hard," he said. 3 players were hurt! Was it e.g. luck? no.'
    assert split_sentences(text) == [
        "The side won 2-1.",
        '"It was hard," he said.',
        "3 players were hurt!",
        "Was it e.g. luck? no.",
    ]


def test_top_level_scores_sum_to_one_and_rank_the_closest_first():
    scores = top_level_scores({WAR: 0.4, POLITICS: 0.2, SPORT: 0.1}, {WAR: 0.7, POLITICS: 0.3, SPORT: 0.0})
    assert sum(scores.values()) == pytest.approx(1.0)
    assert max(scores, key=scores.get) == WAR


def test_best_category_is_always_chosen_even_when_weak():
    chosen = select_categories({SPORT: 0.34, ECONOMY: 0.33, WAR: 0.33}, {}, {})
    assert chosen[0].qcode == SPORT
    assert chosen[0].origin == MODEL


def test_a_second_category_needs_enough_sentences_leaning_to_it():
    scores = {WAR: 0.8, POLITICS: 0.15, SPORT: 0.05}
    with_sentences = select_categories(scores, {WAR: 0.8, POLITICS: 0.2}, {})
    without = select_categories(scores, {WAR: 0.98, POLITICS: 0.02}, {})
    assert [c.qcode for c in with_sentences] == [WAR, POLITICS]
    assert [c.qcode for c in without] == [WAR]


def test_no_more_than_the_configured_number_of_top_level_categories():
    scores = {WAR: 0.3, POLITICS: 0.25, SPORT: 0.25, ECONOMY: 0.2}
    share = dict.fromkeys(scores, 0.25)
    chosen = select_categories(scores, share, {}, config=ScoringConfig(max_top_level=2))
    assert len(chosen) == 2


def test_a_clearly_matched_child_follows_its_parent():
    chosen = select_categories({WAR: 0.9, SPORT: 0.1}, {WAR: 1.0}, {WAR: {ARMED_CONFLICT: 0.45, PEACE_PROCESS: 0.2}})
    assert [c.qcode for c in chosen] == [WAR, ARMED_CONFLICT]
    assert chosen[1].score < chosen[0].score


def test_a_child_is_left_out_when_its_siblings_are_as_close():
    chosen = select_categories({WAR: 0.9, SPORT: 0.1}, {WAR: 1.0}, {WAR: {ARMED_CONFLICT: 0.40, PEACE_PROCESS: 0.39}})
    assert [c.qcode for c in chosen] == [WAR]


def test_publisher_label_adds_its_category_with_publisher_origin():
    chosen = select_categories({WAR: 0.9, SPORT: 0.1}, {WAR: 1.0}, {}, publisher=[SPORT])
    by_code = {c.qcode: c for c in chosen}
    assert by_code[SPORT].origin == PUBLISHER
    assert by_code[SPORT].score >= 0.5
    assert by_code[WAR].origin == MODEL


def test_publisher_child_label_brings_its_parent():
    chosen = select_categories({}, {}, {}, publisher=[PEACE_PROCESS], parents=PARENTS)
    assert {(c.qcode, c.origin) for c in chosen} == {(WAR, PUBLISHER), (PEACE_PROCESS, PUBLISHER)}


def test_url_section_maps_to_a_category():
    assert publisher_qcodes([], "https://news.example.org/sport/football/12345") == {SPORT}


def test_bbc_style_section_with_an_id_maps_to_a_category():
    assert publisher_qcodes([], "https://www.example.co.uk/news/uk-politics-67890123") == {POLITICS}


def test_words_in_a_headline_slug_are_not_sections():
    assert publisher_qcodes([], "https://news.example.org/world/middle-east/sport-stars-visit-war-zone") == frozenset()


def test_publisher_label_words_map_to_categories():
    assert publisher_qcodes(["Business & Economy"]) == {ECONOMY}


def test_publisher_label_using_an_iptc_name_maps_to_that_category():
    names = category_name_index({WAR: "conflict, war and peace"})
    assert publisher_qcodes(["Conflict, War and Peace"], category_names=names) == {WAR}


def test_bad_url_gives_no_signals():
    assert publisher_qcodes([], "http://[::1") == frozenset()


def test_a_learned_child_is_kept_when_the_model_is_sure_of_it():
    chosen = select_categories(
        {WAR: 0.9, SPORT: 0.1},
        {WAR: 1.0},
        {WAR: {ARMED_CONFLICT: 0.40, PEACE_PROCESS: 0.39}},
        learned={PEACE_PROCESS: 0.95},
        learned_weight=0.6,
    )
    assert [c.qcode for c in chosen] == [WAR, PEACE_PROCESS]


def test_a_child_the_model_learned_against_is_dropped():
    chosen = select_categories(
        {WAR: 0.9, SPORT: 0.1},
        {WAR: 1.0},
        {WAR: {ARMED_CONFLICT: 0.45, PEACE_PROCESS: 0.2}},
        learned={ARMED_CONFLICT: 0.02},
        learned_weight=0.6,
    )
    assert [c.qcode for c in chosen] == [WAR]


def test_children_unknown_to_the_model_keep_the_zero_shot_choice():
    chosen = select_categories(
        {WAR: 0.9, SPORT: 0.1},
        {WAR: 1.0},
        {WAR: {ARMED_CONFLICT: 0.45, PEACE_PROCESS: 0.2}},
        learned={"medtop:20001108": 0.9},
        learned_weight=0.6,
    )
    assert [c.qcode for c in chosen] == [WAR, ARMED_CONFLICT]


def test_example_sentences_can_outweigh_the_description_phrases():
    from tidings.enrichment.stages.categories.scoring import mixed_prototype_scores

    text = np.array([[1.0, 0.0]])
    phrases = (np.array([[0.6, 0.8], [0.7, 0.71]]), np.array([0, 1]))  # group 1's phrases are a bit closer
    examples = (np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1]))  # but group 0 has an example just like it
    config = ScoringConfig(example_weight=0.3, example_top_k=1)
    scores = mixed_prototype_scores(text, phrases, examples, 2, 1, config)
    assert scores[0, 0] > scores[0, 1]


def test_a_group_without_examples_keeps_its_phrase_score():
    from tidings.enrichment.stages.categories.scoring import mixed_prototype_scores

    text = np.array([[1.0, 0.0]])
    phrases = (np.array([[0.6, 0.8], [0.8, 0.6]]), np.array([0, 1]))
    examples = (np.array([[1.0, 0.0]]), np.array([0]))
    scores = mixed_prototype_scores(text, phrases, examples, 2, 1, ScoringConfig(example_weight=0.3))
    assert scores[0, 1] == pytest.approx(0.8)


def _unit(rows):
    array = np.asarray(rows, dtype=np.float32)
    return array / np.linalg.norm(array, axis=1, keepdims=True)


def test_example_bias_lifts_a_category_whose_own_examples_a_broad_one_pulls_away():
    # Category 0's phrase is broad (close to everything); category 1's own examples sit nearer to it than to
    # category 1's phrase. Category 2 has a phrase but no examples: it gets no offset.
    phrases = (_unit([[1, 1, 0], [0, 1, 0], [0, 0, 1]]), np.array([0, 1, 2]))
    examples = (_unit([[1, 0.2, 0], [1, 0.3, 0], [0.6, 1, 0], [0.5, 1, 0]]), np.array([0, 0, 1, 1]))
    config = ScoringConfig(top_k=1, example_top_k=1, example_weight=0.15, temperature=0.03)
    bias = example_bias(examples, phrases, 3, config)
    assert bias[1] > 0 > bias[0]
    assert bias[2] == 0.0
    assert bias[:2].sum() == pytest.approx(0.0, abs=1e-9)
    own = prototype_scores(examples[0] @ phrases[0].T, phrases[1], 3, 1)
    before = (own[:, :2].argmax(axis=1) == examples[1]).sum()
    after = ((own + bias)[:, :2].argmax(axis=1) == examples[1]).sum()
    assert (before, after) == (2, 4)


def test_example_bias_is_zero_without_examples():
    phrases = (_unit([[1, 0, 0], [0, 1, 0]]), np.array([0, 1]))
    examples = (np.zeros((0, 3), dtype=np.float32), np.zeros(0, dtype=np.int64))
    assert example_bias(examples, phrases, 2).tolist() == [0.0, 0.0]
