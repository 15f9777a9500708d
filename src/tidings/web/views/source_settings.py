"""Change one source's settings from its page (its adder, staff and editors): whether article pages are fetched
for full text."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tidings.lib.errors import InvalidInput
from tidings.sources.access import NotAllowed, check_can_change, reader_for
from tidings.sources.models import FullTextMode, Source
from tidings.sources.services import set_full_text_mode
from tidings.web.source_forms import FullTextForm
from tidings.web.views.sources import render_source

logger = logging.getLogger(__name__)


@require_POST
def source_full_text(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Source, slug=slug)
    if not request.user.is_authenticated:  # back to the source's page after signing in
        return redirect_to_login(found.get_absolute_url())
    try:
        check_can_change(reader_for(request.user), found)
    except NotAllowed as err:
        logger.info("source_change_refused source_id=%s user_id=%s", found.pk, request.user.pk)
        return render(request, "web/forbidden.html", {"message": err.message, "back": found}, status=403)
    form = FullTextForm(request.POST)
    if form.is_valid():
        try:
            set_full_text_mode(found, form.cleaned_data["full_text"])
        except InvalidInput as err:
            form.add_error("full_text", err.message)
        else:
            logger.info("source_full_text_changed source_id=%s user_id=%s", found.pk, request.user.pk)
            label = FullTextMode(found.full_text).label.split(":", 1)[0]
            messages.success(request, f"Full text for {found.name}: {label.lower()}.")
            return redirect(found.get_absolute_url())
    return render_source(request, found, form, status=400)
