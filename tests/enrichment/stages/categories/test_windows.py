"""windows.py: a long article cut into windows the embedding model reads whole."""

from tidings.enrichment.stages.categories.windows import article_windows, later_windows


def words(n: int, word: str = "w") -> str:
    return " ".join(f"{word}{i}" for i in range(n))


def test_short_text_is_one_window():
    assert article_windows("Headline here", "", ("one two three",), words=10, limit=8) == [
        "Headline here one two three"
    ]


def test_paragraphs_are_packed_and_one_that_does_not_fit_starts_the_next_window():
    found = article_windows("h", "", (words(4, "a"), words(4, "b"), words(4, "c")), words=10, limit=8)
    assert found == [f"h {words(4, 'a')} {words(4, 'b')}", words(4, "c")]


def test_a_paragraph_longer_than_a_window_is_cut_at_the_window_size():
    found = article_windows("", "", (words(25),), words=10, limit=8)
    assert [len(w.split()) for w in found] == [10, 10, 5]
    assert " ".join(found) == words(25)


def test_standfirst_comes_after_the_headline():
    assert article_windows("h", "s", ("p",), words=10, limit=8) == ["h s p"]


def test_limit_caps_the_windows_and_keeps_the_first_ones():
    found = article_windows("", "", tuple(words(10, f"p{n}_") for n in range(6)), words=10, limit=3)
    assert found == [words(10, "p0_"), words(10, "p1_"), words(10, "p2_")]


def test_later_windows_leave_out_the_first():
    paragraphs = (words(10, "a"), words(10, "b"), words(10, "c"))
    assert later_windows("", "", paragraphs, words=10, limit=8) == [words(10, "b"), words(10, "c")]
    assert later_windows("", "", paragraphs, words=10, limit=2) == [words(10, "b")]
    assert later_windows("Headline", "", ("short text",), words=10, limit=8) == []


def test_no_window_size_or_limit_gives_no_windows():
    assert article_windows("h", "", ("p",), words=0, limit=8) == []
    assert article_windows("h", "", ("p",), words=10, limit=0) == []
