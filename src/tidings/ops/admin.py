from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tidings.ops.models import PeriodicLease


@admin.register(PeriodicLease)
class PeriodicLeaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the rows are written by the schedulers. Its list links to the operations status page."""

    list_display = ("name", "last_run_at", "next_run_at", "holder", "task_id")
    change_list_template = "ops/periodiclease_change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
