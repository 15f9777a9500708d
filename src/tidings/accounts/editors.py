"""The "Editors" group: what editors may do in the admin, and making an account an editor.

Editors curate the news: sources (add, change, pause, resume, refresh), topics and their aliases (merge,
split), categories on articles, stories (merge, move an article). They see readers' accounts and profiles but
change none (changing accounts is how one grants oneself more), and they see no secret: API tokens show their
name and prefix only, feed tokens and task results are not shown. Superusers manage everything else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from tidings.sources.access import EDITORS_GROUP, editors_group

# app label → model → actions (Django's view, add, change, delete permissions).
EDITOR_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "sources": {"source": ("view", "add", "change"), "opmlimport": ("view",)},
    "articles": {"article": ("view", "change")},
    "taxonomy": {
        "category": ("view",),
        "topic": ("view", "add", "change"),
        "alias": ("view", "add", "change", "delete"),
        "articlecategory": ("view", "add", "change", "delete"),
        "articletopic": ("view", "add", "change", "delete"),
    },
    "stories": {"story": ("view", "change"), "articlestory": ("view", "change")},
    "enrichment": {"stageresult": ("view",)},
    "auth": {"user": ("view",)},
    "accounts": {"apitoken": ("view",)},
    "personalization": {"profile": ("view",)},
}


def editor_permission_names() -> list[str]:
    """Every permission of the group as "app_label.codename", sorted."""
    return sorted(
        f"{app}.{action}_{model}"
        for app, models in EDITOR_PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    )


def sync_editors_group() -> Group:
    """The "Editors" group holding exactly EDITOR_PERMISSIONS (created when missing); run after migrate."""
    wanted = Q(pk__in=[])
    for name in editor_permission_names():
        app, codename = name.split(".")
        wanted |= Q(content_type__app_label=app, codename=codename)
    permissions = list(Permission.objects.filter(wanted).select_related("content_type"))
    found = {f"{p.content_type.app_label}.{p.codename}" for p in permissions}
    missing = sorted(set(editor_permission_names()) - found)
    if missing:
        raise LookupError(f"permissions not found (run migrate first): {', '.join(missing)}")
    with transaction.atomic():
        group = editors_group()
        group.permissions.set(permissions)
    return group


def make_editor(user: Any) -> None:
    """The account may sign in to the admin (staff) and is in the Editors group, synced first."""
    group = sync_editors_group()
    with transaction.atomic():
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(group)


def is_editor(user: Any) -> bool:
    """Whether the account is in the Editors group (superusers are not editors by this test)."""
    return any(group.name == EDITORS_GROUP for group in user.groups.all())
