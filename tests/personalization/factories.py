"""factory-boy factories for personalization; any test may import them."""

from __future__ import annotations

import factory

from tests.accounts.factories import UserFactory
from tidings.personalization.models import Profile


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
