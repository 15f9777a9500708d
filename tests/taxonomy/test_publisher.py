"""Publisher labels compared with category names (taxonomy.publisher, pure)."""

from __future__ import annotations

import pytest

from tidings.taxonomy.publisher import label_key


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Arts & Culture", "arts and culture"),
        ("  POLITICS  ", "politics"),
        ("crime,  law and justice", "Crime, law and justice"),
    ],
)
def test_a_label_and_a_category_name_written_differently_have_the_same_key(label, name):
    assert label_key(label) == label_key(name)


def test_different_words_keep_different_keys():
    assert label_key("Sport") != label_key("Sports")
