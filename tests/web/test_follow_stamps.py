"""The follow button filled in from a stamp (web.follow_stamps) is the partial's own output, for every shape."""

from __future__ import annotations

import pytest

from tidings.sources.models import Source
from tidings.taxonomy.models import Category, Topic
from tidings.web.follow_stamps import FOLLOW_VARIANTS, follow_button_context, follow_button_html, render_follow_button

AWKWARD_NAMES = ['Tom & Jerry "Inc" <b>', "O'Brien 2905117433961", "Ünïcødé — Straße", "a\x00name\x00b"]


def _targets():
    """Unsaved targets (the button reads only id, name and slug; PostgreSQL would refuse a NUL in a name)."""
    return [
        ("category", Category(pk=3, name=AWKWARD_NAMES[0], slug="cat-a")),
        ("topic", Topic(pk=2905117433961, name=AWKWARD_NAMES[1], slug="obrien")),
        ("source", Source(pk=12, name=AWKWARD_NAMES[2], slug="strasse_2")),
        ("topic", Topic(pk=40, name=AWKWARD_NAMES[3], slug="a-name-b")),
    ]


@pytest.mark.parametrize("variant", [*FOLLOW_VARIANTS, "unknown"])
@pytest.mark.parametrize("state", [None, "follow", "mute", "bogus"])
@pytest.mark.parametrize("csrf_token", ["Abc123tokenXYZ", None, "NOTPROVIDED"])
def test_stamped_follow_button_is_the_rendered_partial(variant, state, csrf_token):
    next_url = "/my/?page=2&unread=1&q=<script>\"'"
    for kind, target in _targets():
        rendered = render_follow_button(
            follow_button_context(
                kind=kind, target=target, state=state, next_url=next_url, csrf_token=csrf_token, variant=variant
            )
        )
        stamped = follow_button_html(kind, target, state, next_url, csrf_token, variant)
        assert stamped == rendered


def test_stamped_buttons_differ_by_target():
    targets = _targets()
    (kind, first), (_kind, second) = targets[1], targets[3]
    one = follow_button_html(kind, first, None, "/", "tok", "chip")
    two = follow_button_html(kind, second, None, "/", "tok", "chip")
    assert f'data-follow-key="topic-{first.pk}"' in one
    assert f'data-follow-key="topic-{second.pk}"' in two
    assert one != two
