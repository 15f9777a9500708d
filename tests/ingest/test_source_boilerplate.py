"""The boilerplate edge: state kept per source in Source.boilerplate."""

from __future__ import annotations

import pytest

from tidings.ingest.source_boilerplate import learn_and_strip, learn_and_strip_many
from tidings.sources.models import Source

pytestmark = pytest.mark.django_db
FOOTER = "Support independent harbour journalism: become a member today."


def article(place: str) -> tuple[str, ...]:
    return (f"Moorings at {place} were cleared before the spring tides arrived.", FOOTER)


@pytest.fixture
def source() -> Source:
    return Source.objects.create(name="Quayside Courier", slug="quayside-courier")


def test_footer_of_a_source_is_stripped_once_learned(source):
    for place in ("Looe", "Fowey", "Bude"):
        learn_and_strip(source.pk, article(place))
    assert learn_and_strip(source.pk, article("Hayle")) == (article("Hayle")[0],)


def test_learned_state_is_stored_on_the_source(source):
    learn_and_strip(source.pk, article("Looe"))
    source.refresh_from_db()
    assert len(source.boilerplate["articles"]) == 1


def test_other_sources_do_not_share_what_was_learned(source):
    other = Source.objects.create(name="Evening Lamp", slug="evening-lamp")
    learn_and_strip_many(source.pk, [article(p) for p in ("Looe", "Fowey", "Bude")])
    assert learn_and_strip(other.pk, article("Hayle")) == article("Hayle")


def test_an_article_made_only_of_boilerplate_keeps_its_text(source):
    learn_and_strip_many(source.pk, [article(p) for p in ("Looe", "Fowey", "Bude")])
    assert learn_and_strip(source.pk, (FOOTER,)) == (FOOTER,)
