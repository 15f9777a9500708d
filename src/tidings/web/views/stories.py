"""One story's page: every outlet's coverage of one event."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tidings.stories.editing import kept_story
from tidings.stories.models import Story
from tidings.stories.overview import overview
from tidings.web.listing import follow_states_for

# The largest id a database column holds; a larger one in the address is simply not there.
MAX_ID = 2**63 - 1


def story(request: HttpRequest, story_id: int) -> HttpResponse:
    """A merged story's address sends the reader on to the story it was merged into."""
    if story_id > MAX_ID:
        raise Http404("no such story")
    found = get_object_or_404(Story, pk=story_id)
    kept = kept_story(found)
    if kept.pk != found.pk:
        return redirect("web:story", story_id=kept.pk, permanent=True)
    return render(
        request,
        "web/story.html",
        {"view": overview(kept), "follow_states": follow_states_for(request)},
    )
