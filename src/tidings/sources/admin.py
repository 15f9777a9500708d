"""Admin for sources: health at a glance, refresh now, pause and resume; OPML imports uploaded on the web."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from tidings.lib.errors import InvalidInput
from tidings.sources.fetch_state import FETCH_STATE_FIELDS
from tidings.sources.models import OpmlImport, Source
from tidings.sources.pausing import pause_sources, resume_sources
from tidings.sources.services import add_source, find_source_by_url, normalize_source_url
from tidings.sources.signals import want_refresh

# The one-word health (fetch_state.health_word) as queries, in the same order of precedence.
_HEALTH = {
    "disabled": Q(is_active=False),
    "paused": Q(is_active=True) & ~Q(paused_reason=""),
    "failing": Q(is_active=True, paused_reason="") & ~Q(last_error=""),
    "ok": Q(is_active=True, paused_reason="", last_error="", last_success_at__isnull=False),
    "new": Q(is_active=True, paused_reason="", last_error="", last_success_at__isnull=True),
}


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(word, word) for word in _HEALTH]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Source]) -> QuerySet[Source]:
        value = self.value()
        return queryset.filter(_HEALTH[value]) if value in _HEALTH else queryset


class SourceForm(forms.ModelForm):
    """The address is checked and normalised as everywhere else (sources.services); a second source for the same
    feed is refused with the name of the first."""

    class Meta:
        model = Source
        fields = [
            *("name", "url", "site_url", "kind", "language", "folder", "full_text", "is_active"),
            *("paused_reason", "added_by", "boilerplate"),
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "name" in self.fields:
            self.fields["name"].required = False
            self.fields["name"].help_text = "Empty: the feed's own title after the first fetch (the host until then)"

    def clean_url(self) -> str:
        raw = str(self.cleaned_data.get("url") or "")
        if not raw.strip() and self.instance.pk is not None and not self.instance.url:
            return ""  # imported text keeps its empty address
        try:
            url = normalize_source_url(raw)
        except InvalidInput as err:
            raise forms.ValidationError(err.message) from None
        duplicate = find_source_by_url(url)
        if duplicate is not None and duplicate.pk != self.instance.pk:
            raise forms.ValidationError(f"{url} is already a source (“{duplicate.name}”).")
        return url


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "kind", "health", "full_text_mode", "added_by", "last_fetched_at", "error_count"]
    list_filter = [HealthFilter, "kind", "is_active", "full_text", "folder"]
    list_select_related = ["added_by"]
    search_fields = ["name", "url", "site_url"]
    autocomplete_fields = ["added_by"]  # empty: added by the operator
    # Fetch state is refresh's to write; the paused reason stays editable (an editor may pause by hand).
    readonly_fields = ["slug", "health", "created_at", *(f for f in FETCH_STATE_FIELDS if f != "paused_reason")]
    fieldsets = [
        (None, {"fields": ["name", "url", "site_url", "kind", "language", "folder", "full_text", "is_active"]}),
        ("Health", {"fields": ["health", "paused_reason", "last_error", "last_status", "error_count"]}),
        (
            "Fetching",
            {
                "classes": ["collapse"],
                "fields": [
                    "last_fetched_at",
                    "last_success_at",
                    "next_fetch_at",
                    "fetch_count",
                    "not_modified_count",
                    "etag",
                    "last_modified",
                ],
            },
        ),
        ("About", {"fields": ["slug", "added_by", "created_at", "boilerplate"]}),
    ]
    add_fieldsets = [(None, {"fields": ["url", "name", "full_text", "folder"]})]
    form = SourceForm
    actions = ["refresh_now", "pause", "resume"]

    def get_fieldsets(self, request: HttpRequest, obj: Source | None = None) -> Any:
        return self.add_fieldsets if obj is None else self.fieldsets

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new source is added as the Sources page adds one: its first refresh is queued.
        created = add_source(obj.url, obj.name, full_text=obj.full_text, added_by_id=None)
        if obj.folder:
            Source.objects.filter(pk=created.pk).update(folder=obj.folder)
        obj.pk, obj.name, obj.slug, obj.url = created.pk, created.name, created.slug, created.url
        obj._state.adding = False

    @admin.display(description="health")
    def health(self, source: Source) -> str:
        return source.health

    @admin.display(description="full text", ordering="full_text")
    def full_text_mode(self, source: Source) -> str:
        return source.full_text  # the choice's short value: auto, always, never

    @admin.action(description="Refresh the selected sources now", permissions=["change"])
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        ids = list(queryset.exclude(url="").values_list("pk", flat=True))
        if not want_refresh(ids):  # ingest queues them (sources.signals)
            self.message_user(request, "Nothing is installed to refresh sources (the ingest app).", messages.ERROR)
            return
        self.message_user(request, f"Queued a refresh for {len(ids)} source(s).", messages.SUCCESS)

    @admin.action(description="Pause the selected sources (refresh skips them)", permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        count = pause_sources(queryset.values_list("pk", flat=True))
        self.message_user(request, f"Paused {count} source(s).", messages.SUCCESS)

    @admin.action(description="Resume the selected paused sources", permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        count = resume_sources(queryset.values_list("pk", flat=True))
        self.message_user(request, f"Resumed {count} source(s).", messages.SUCCESS)


@admin.register(OpmlImport)
class OpmlImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "user", "status", "total", "done", "imported", "skipped", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["file_name", "title", "user__username"]
    exclude = ["data"]
    readonly_fields = [
        "user",
        "file_name",
        "title",
        "status",
        "total",
        "done",
        "imported",
        "skipped",
        "bad_entries",
        "warning",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "progress_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
