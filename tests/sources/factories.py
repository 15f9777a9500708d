"""factory-boy factories for sources; any test may import them."""

from __future__ import annotations

import factory

from tidings.sources.models import Source, SourceKind


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Example Gazette {n}")
    url = factory.Sequence(lambda n: f"https://news{n}.example.org/feed.xml")
    site_url = factory.LazyAttribute(lambda s: s.url.rsplit("/", 1)[0] + "/")
    kind = SourceKind.RSS
    language = "en"
