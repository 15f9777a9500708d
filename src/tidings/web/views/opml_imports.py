"""OPML import from the Sources page (signed-in readers, within their quota of added sources): upload, then a page
that follows the background import."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tidings.lib.errors import InvalidInput
from tidings.sources.access import NotAllowed, check_can_add, reader_for
from tidings.sources.models import OpmlImport
from tidings.sources.opml import MAX_OPML_BYTES
from tidings.sources.opml_jobs import fail_if_stalled
from tidings.sources.opml_uploads import start_opml_import
from tidings.web.forms import AddSourceForm
from tidings.web.source_forms import OpmlUploadForm
from tidings.web.views.sources import render_sources

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def opml_import_start(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # the address opened directly: the Sources page, at its import form
        return redirect(reverse("web:sources") + "#import")
    if not request.user.is_authenticated:  # back to the Sources page after signing in, not to this POST-only address
        return redirect_to_login(reverse("web:sources"))
    form = OpmlUploadForm(request.POST, request.FILES)
    try:
        check_can_add(reader_for(request.user))
    except NotAllowed as err:
        form.add_error(None, err.message)
        return render_sources(request, form=AddSourceForm(), import_form=form, status=403)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = start_opml_import(
                upload.read(MAX_OPML_BYTES + 1), file_name=upload.name or "", user_id=request.user.pk
            )
        except InvalidInput as err:
            form.add_error("file", f"This file cannot be imported: {err.message}.")
        else:
            logger.info("opml_import_started import_id=%s user_id=%s via=web", job.pk, request.user.pk)
            return redirect(job.get_absolute_url())
    return render_sources(request, form=AddSourceForm(), import_form=form, status=400)


@login_required
def opml_import(request: HttpRequest, import_id: int) -> HttpResponse:
    job = OpmlImport.objects.defer("data").filter(pk=import_id).first()
    if job is None or (job.user_id != request.user.pk and not request.user.is_staff):
        raise Http404("no such import")
    fail_if_stalled(job)
    template = "web/partials/opml_progress.html" if getattr(request, "htmx", False) else "web/opml_import.html"
    return render(request, template, {"job": job})
