"""Admin for enrichment: each stage's result per article, to see what a stage said and which failed."""

from django.contrib import admin

from tidings.enrichment.models import StageResult


@admin.register(StageResult)
class StageResultAdmin(admin.ModelAdmin):
    list_display = ["article", "stage", "version", "has_error", "updated_at"]
    list_filter = ["stage", "version"]
    list_select_related = ["article"]
    search_fields = ["article__headline", "error"]
    autocomplete_fields = ["article"]
    readonly_fields = ["updated_at"]

    @admin.display(boolean=True, description="error")
    def has_error(self, obj: StageResult) -> bool:
        return bool(obj.error)
