"""The sources list with its add form, and one source's page with its health.

What a visitor sees of a source follows sources.access: the feed address and raw errors only for the
reader who added it, staff and editors.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from tidings.articles.models import Article
from tidings.lib.errors import TidingsError
from tidings.personalization.services import profile_for_request
from tidings.sources.access import NotAllowed, allowance_for, check_can_add, reader_for, view_of
from tidings.sources.models import Source
from tidings.taxonomy.article_counts import COUNT_CAP, counts
from tidings.taxonomy.models import CountKind
from tidings.web.forms import AddSourceForm
from tidings.web.listing import cards_for, follow_states_for
from tidings.web.newest import ListRows, keyset_page
from tidings.web.page_cache import cache_for_everyone
from tidings.web.reader_lists import list_state, unread_queryset
from tidings.web.source_forms import FullTextForm, OpmlUploadForm

logger = logging.getLogger(__name__)


@cache_for_everyone
def sources(request: HttpRequest) -> HttpResponse:
    """The sources list; signed-in readers add a source with its form, up to their quota (this server then
    fetches it on a schedule, so an anonymous visitor cannot make it fetch arbitrary addresses)."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(reverse("web:sources"))
    form = AddSourceForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        from tidings.sources.services import add_source

        reader = reader_for(request.user)
        try:
            check_can_add(reader)
            source = add_source(
                form.cleaned_data["url"].strip(), name=form.cleaned_data["name"].strip(), added_by_id=reader.user_id
            )
        except NotAllowed as err:
            form.add_error("url", err.message)
            status = 403
        except TidingsError as err:
            form.add_error("url", err.message)
        else:
            logger.info("source_added source_id=%s user_id=%s via=web", source.pk, reader.user_id)
            return redirect(source.get_absolute_url())
    if form.errors and status == 200:
        status = 400
    return render_sources(request, form=form, import_form=OpmlUploadForm(), status=status)


def render_sources(
    request: HttpRequest, *, form: AddSourceForm, import_form: OpmlUploadForm, status: int = 200
) -> HttpResponse:
    """The Sources page with its add and OPML import forms (either may carry errors)."""
    reader = reader_for(request.user)
    listed = list(Source.objects.order_by("name"))
    stored = counts(CountKind.SOURCE.value, [s.pk for s in listed])  # stored, capped (taxonomy.article_counts)
    for found in listed:
        found.article_count = stored.get(found.pk, 0)  # type: ignore[attr-defined]
        found.article_count_more = found.article_count >= COUNT_CAP  # type: ignore[attr-defined]
    return render(
        request,
        "web/sources.html",
        {
            "form": form,
            "import_form": import_form,
            "rows": [view_of(source, reader) for source in listed],
            "allowance": allowance_for(reader),
            "follow_states": follow_states_for(request),
        },
        status=status,
    )


@cache_for_everyone
def source(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Source, slug=slug)
    return render_source(request, found, FullTextForm(initial={"full_text": found.full_text}))


def render_source(request: HttpRequest, found: Source, full_text_form: FullTextForm, status: int = 200) -> HttpResponse:
    """One source's page: its articles, health and full-text setting form (for those who may change it)."""
    profile = profile_for_request(request, create=False)
    articles = unread_queryset(request, profile, Article.objects.visible().from_source(found.pk))
    page = keyset_page(request, ListRows(articles))  # the article_source_newest index
    cards = cards_for(page.object_list)
    return render(
        request,
        "web/source.html",
        {
            "source": found,
            "view": view_of(found, reader_for(request.user)),
            "page": page,
            "cards": cards,
            "follow_states": follow_states_for(request),
            "unread_switch": True,
            **list_state(request, profile, cards),
            "full_text_form": full_text_form,
            "full_text_enabled": settings.FETCH_FULL_TEXT,
        },
        status=status,
    )
