"""Task wrappers: ids in, one learning call."""

from __future__ import annotations

from django_tasks import task

from tidings.personalization.learning import purge_old_interactions, refresh_interests
from tidings.personalization.models import Profile


@task(priority=-5)
def refresh_interests_task(profile_id: int) -> int:
    """Rebuild one profile's learned interests; returns how many scores it holds (0 when the profile is gone)."""
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        return 0
    return len(refresh_interests(profile).scores)


@task(priority=-10)
def purge_interactions_task() -> int:
    """Delete interactions past TIDINGS_INTERACTION_RETENTION_DAYS (queued periodically by `tidings serve`)."""
    return purge_old_interactions()
