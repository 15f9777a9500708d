"""Admin for sources: health at a glance, refresh now, resume a paused source; OPML imports uploaded on the web."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from tidings.sources.fetch_state import FETCH_STATE_FIELDS, RESUMED
from tidings.sources.models import OpmlImport, Source
from tidings.sources.signals import want_refresh


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "url",
        "full_text",
        "health",
        "added_by",
        "last_fetched_at",
        "error_count",
        "last_error",
    ]
    list_filter = ["kind", "is_active", "full_text"]
    search_fields = ["name", "url"]
    raw_id_fields = ["added_by"]  # empty: added by the operator
    # Fetch state is refresh's to write; the paused reason stays editable (the operator may pause by hand).
    readonly_fields = ["slug", "created_at", *(name for name in FETCH_STATE_FIELDS if name != "paused_reason")]
    actions = ["refresh_now", "resume"]

    @admin.display(description="health")
    def health(self, source: Source) -> str:
        return source.health

    @admin.action(description="Refresh the selected sources now")
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        ids = list(queryset.exclude(url="").values_list("pk", flat=True))
        if not want_refresh(ids):  # ingest queues them (sources.signals)
            self.message_user(request, "Nothing is installed to refresh sources (the ingest app).", messages.ERROR)
            return
        self.message_user(request, f"Queued a refresh for {len(ids)} source(s).", messages.SUCCESS)

    @admin.action(description="Resume the selected paused sources")
    def resume(self, request: HttpRequest, queryset: QuerySet[Source]) -> None:
        count = queryset.exclude(paused_reason="").update(**RESUMED)
        self.message_user(request, f"Resumed {count} source(s).", messages.SUCCESS)


@admin.register(OpmlImport)
class OpmlImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "user", "status", "total", "done", "imported", "skipped", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "title"]
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
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
