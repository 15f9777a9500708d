"""Specific words against common ones, by general English frequency (wordfreq), and words for people."""

import pytest

from tidings.enrichment.stages.keyphrases.specificity import is_agent_noun, is_specific_word


@pytest.mark.parametrize("word", ["ceasefire", "airstrikes", "referendum", "inflation", "heatwave", "measles"])
def test_specific_words(word):
    assert is_specific_word(word)


@pytest.mark.parametrize("word", ["government", "rise", "patients", "army", "conflict", "offensive", "people"])
def test_common_words(word):
    assert not is_specific_word(word)


@pytest.mark.parametrize("word", ["rescuers", "forecasters", "conservationists", "worshippers", "economist"])
def test_words_for_people_by_what_they_do(word):
    assert is_agent_noun(word)


@pytest.mark.parametrize("word", ["ceasefire", "reactor", "inflation", "border", "winter", "disaster"])
def test_other_words_are_not_people(word):
    assert not is_agent_noun(word)
