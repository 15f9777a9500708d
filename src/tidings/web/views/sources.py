"""The sources list with its add form, and one source's page with its health."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tidings.articles.models import Article
from tidings.lib.errors import TidingsError
from tidings.sources.models import Source
from tidings.web.forms import AddSourceForm
from tidings.web.listing import cards_for, follow_states_for, paginate
from tidings.web.source_forms import FullTextForm, OpmlUploadForm

logger = logging.getLogger(__name__)


def sources(request: HttpRequest) -> HttpResponse:
    """The sources list; signed-in readers add a source with its form (this server then fetches it on a
    schedule, so an anonymous visitor cannot make it fetch arbitrary addresses)."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(reverse("web:sources"))
    form = AddSourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from tidings.sources.services import add_source

        try:
            source = add_source(form.cleaned_data["url"].strip(), name=form.cleaned_data["name"].strip())
        except TidingsError as err:
            form.add_error("url", err.message)
        else:
            logger.info("source_added source_id=%s via=web", source.pk)
            return redirect(source.get_absolute_url())
    return render_sources(request, form=form, import_form=OpmlUploadForm(), status=400 if form.errors else 200)


def render_sources(
    request: HttpRequest, *, form: AddSourceForm, import_form: OpmlUploadForm, status: int = 200
) -> HttpResponse:
    """The Sources page with its add and OPML import forms (either may carry errors)."""
    listed = Source.objects.annotate(
        article_count=Count("articles", filter=Q(articles__duplicate_of__isnull=True))
    ).order_by("name")
    return render(
        request,
        "web/sources.html",
        {"form": form, "import_form": import_form, "sources": listed, "follow_states": follow_states_for(request)},
        status=status,
    )


def source(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Source, slug=slug)
    return render_source(request, found, FullTextForm(initial={"full_text": found.full_text}))


def render_source(request: HttpRequest, found: Source, full_text_form: FullTextForm, status: int = 200) -> HttpResponse:
    """One source's page: its articles, health and full-text setting form."""
    page = paginate(request, Article.objects.visible().from_source(found.pk).newest_first().for_listing())
    return render(
        request,
        "web/source.html",
        {
            "source": found,
            "page": page,
            "cards": cards_for(page.object_list),
            "follow_states": follow_states_for(request),
            "full_text_form": full_text_form,
            "full_text_enabled": settings.FETCH_FULL_TEXT,
        },
        status=status,
    )
