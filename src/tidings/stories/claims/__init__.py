"""The claims ledger's extraction: who says what in a text, found by rules over spaCy's dependency parse.

Pure: `extract_claims(text, nlp)` takes a text and a loaded pipeline and returns `Claim` values with character
offsets into the text. `claims_nlp()` loads the pipeline once per process (the parser included).
"""

from tidings.stories.claims.extract import claims_in_texts, extract_claims
from tidings.stories.claims.model import claims_nlp
from tidings.stories.claims.types import KINDS, Claim, TextSpan

__all__ = ["KINDS", "Claim", "TextSpan", "claims_in_texts", "claims_nlp", "extract_claims"]
