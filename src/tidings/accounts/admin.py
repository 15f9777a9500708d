"""Admin for accounts: Django's user admin with the reader's profile and API tokens beside it.

Editors (accounts.editors) only view accounts; the password field is left out for anyone who may not change
the account, and API tokens show their name and first characters only (the hash stays in the database).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst

from tidings.accounts.editors import is_editor
from tidings.accounts.models import ApiToken
from tidings.personalization.models import FollowAction, Profile

User = get_user_model()
MAX_LISTED_FOLLOWS = 30


class ProfileInline(admin.StackedInline):
    """The reader's profile: when they started, what they follow and mute, how much they read and saved."""

    model = Profile
    verbose_name = verbose_name_plural = "reader profile"
    can_delete = False
    extra = 0
    max_num = 1
    fields = ("created_at", "onboarded_at", "interests_updated_at", "follows", "mutes", "reading")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Profile]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                read_count=Count("article_states", filter=Q(article_states__read_at__isnull=False)),
                saved_count=Count("article_states", filter=Q(article_states__saved_at__isnull=False)),
            )
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a reader's choices are theirs; the admin shows them

    def _targets(self, profile: Profile, action: str) -> str:
        follows = profile.follows.filter(action=action).select_related("category", "topic", "source")
        # Category names hold commas ("conflict, war and peace"): entries are separated by semicolons, and each
        # category starts with a capital as everywhere a name stands on its own (docs/design.md).
        names = [
            capfirst(str(follow.target)) if follow.category_id else str(follow.target)
            for follow in follows[: MAX_LISTED_FOLLOWS + 1]
        ]
        more = "; …" if len(names) > MAX_LISTED_FOLLOWS else ""
        return "; ".join(names[:MAX_LISTED_FOLLOWS]) + more if names else "—"

    @admin.display(description="follows")
    def follows(self, profile: Profile) -> str:
        return self._targets(profile, FollowAction.FOLLOW)

    @admin.display(description="mutes")
    def mutes(self, profile: Profile) -> str:
        return self._targets(profile, FollowAction.MUTE)

    @admin.display(description="reading")
    def reading(self, profile: Profile) -> str:
        read, saved = getattr(profile, "read_count", 0), getattr(profile, "saved_count", 0)
        return f"{read} article(s) read, {saved} saved"


class ApiTokenInline(admin.TabularInline):
    """Tokens by name and first characters; revoke one by deleting it (superusers), issue one on the account page."""

    model = ApiToken
    fields = ("name", "prefix", "created_at", "last_used_at")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(User)


@admin.register(User)
class TidingsUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_staff", "editor", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    date_hierarchy = "date_joined"
    inlines = [ProfileInline, ApiTokenInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).prefetch_related("groups")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Viewers (editors) do not need even the masked password hash.
        return [
            (name, {**options, "fields": tuple(f for f in options["fields"] if f != "password")})
            for name, options in fieldsets
        ]

    @admin.display(boolean=True, description="editor")
    def editor(self, user: Any) -> bool:
        return is_editor(user)
