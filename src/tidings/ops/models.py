from __future__ import annotations

from django.db import models


class PeriodicLease(models.Model):
    """One periodic job (refresh of due sources, purge of old interactions): when it may run next.

    Whoever moves `next_run_at` forward with a conditional UPDATE runs the job for that period (ops.periodic), so
    it runs once per period however many schedulers (`tidings serve`, `tidings scheduler`) are up.
    """

    name = models.CharField(max_length=64, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    holder = models.CharField(max_length=200, blank=True, help_text="host and process id of the last runner")
    task_id = models.CharField(max_length=64, blank=True, help_text="the task queued last time")

    def __str__(self) -> str:
        return f"{self.name} (next {self.next_run_at:%Y-%m-%d %H:%M:%S})"
