import hashlib
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tidings.ingest.dedup import content_hash


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("Big  News", "One\n\nTwo") == content_hash("big news", "one two")
    assert content_hash("Big News", "One") != content_hash("Big News", "Two")


@given(st.text(max_size=200), st.text(max_size=400))
def test_content_hash_collapses_whitespace_as_the_regex_rule_does(headline, body):
    text = unicodedata.normalize("NFKC", f"{headline}\n{body}").casefold()
    expected = hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()
    assert content_hash(headline, body) == expected
