from hypothesis import given
from hypothesis import strategies as st

from tidings.taxonomy.aliases import normalise, strip_possessive


def test_case_does_not_matter():
    assert normalise("ALEPPO") == normalise("aleppo") == "aleppo"


def test_diacritics_are_stripped():
    assert normalise("Türkiye") == "turkiye"


def test_possessive_is_stripped_with_either_apostrophe():
    assert normalise("Assad's") == normalise("Assad\u2019s") == "assad"


def test_plural_possessive_keeps_the_word():
    assert strip_possessive("Rebels'") == "Rebels"


def test_leading_the_is_dropped():
    assert normalise("The Hague") == normalise("Hague") == "hague"


def test_the_inside_a_name_stays():
    assert normalise("Bank of the South") == "bank of the south"


def test_spaces_collapse():
    assert normalise("  United \n  Nations ") == "united nations"


def test_dotted_acronym_meets_plain_acronym():
    assert normalise("U.S.") == normalise("US") == normalise("the US")


def test_inner_apostrophe_is_kept_and_unified():
    assert normalise("People\u2019s Protection Units") == "people's protection units"


def test_sentence_full_stop_is_ignored():
    assert normalise("Aleppo.") == "aleppo"


@given(st.text(max_size=60))
def test_key_has_no_edge_or_double_spaces(text):
    key = normalise(text)
    assert key == key.strip()
    assert "  " not in key


@given(st.text(alphabet=st.characters(categories=["Lu", "Ll", "Zs"]), max_size=40))
def test_key_never_has_uppercase_ascii(text):
    key = normalise(text)
    assert not any("A" <= ch <= "Z" for ch in key)
