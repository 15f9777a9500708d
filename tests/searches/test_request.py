"""A search read from URL parameters and written back (pure)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tidings.searches.request import SearchRequest, parse_search


def test_parameters_read_back_to_the_same_parameters():
    params = {
        "q": "flood",
        "source": "gazette",
        "topic": "ana-mora",
        "from": "2026-11-01",
        "to": "2026-11-30",
        "sort": "oldest",
    }
    request, problems = parse_search(params)
    assert problems == []
    assert request.date_from == date(2026, 11, 1)
    assert request.params() == params


def test_bad_date_is_a_problem_for_a_person_and_is_dropped():
    request, problems = parse_search({"q": "flood", "from": "yesterday"})
    assert request.date_from is None
    assert problems == ["the from date 'yesterday' is not a date like 2026-11-25"]


def test_from_after_to_is_a_problem():
    _, problems = parse_search({"from": "2026-11-30", "to": "2026-11-01"})
    assert problems == ["the from date is after the to date"]


def test_unknown_sort_is_a_problem_and_the_default_is_kept():
    request, problems = parse_search({"q": "flood", "sort": "random"})
    assert request.effective_sort == "relevance"
    assert problems == ["sort 'random' is not one of relevance, newest, oldest"]


def test_relevance_without_words_means_newest():
    assert SearchRequest(sort="relevance", source="x").effective_sort == "newest"
    assert SearchRequest(source="x").effective_sort == "newest"
    assert SearchRequest(q="flood").effective_sort == "relevance"


def test_without_clears_one_filter():
    request = SearchRequest(q="flood", source="gazette", date_from=date(2026, 1, 1))
    assert request.without("from").params() == {"q": "flood", "source": "gazette"}
    assert request.without("source").params() == {"q": "flood", "from": "2026-01-01"}


@given(st.dictionaries(st.sampled_from(["q", "source", "from", "to", "sort", "topic"]), st.text(max_size=400)))
def test_any_parameters_parse_without_raising(params):
    request, problems = parse_search(params)
    assert isinstance(request, SearchRequest) and isinstance(problems, list)
    assert len(request.q) <= 200
