"""The secretariat and government roles are Django groups; this keeps their admin permissions.

Groups (not a model of our own) because Django's admin already understands them: a secretariat
admin edits everything in the admin, a secretariat reviewer may look at everything there, and
a government viewer has no admin access at all (the portal and reports are its pages).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

SECRETARIAT_REVIEWER = "secretariat reviewer"
SECRETARIAT_ADMIN = "secretariat admin"
GOVERNMENT_VIEWER = "government viewer"
ROLE_GROUPS = (SECRETARIAT_REVIEWER, SECRETARIAT_ADMIN, GOVERNMENT_VIEWER)

#: Apps whose models the secretariat manages in the admin.
MANAGED_APPS = (
    "accounts",
    "api",
    "auth",
    "catalogue",
    "commitments",
    "currency",
    "iati",
    "initiatives",
    "partners",
    "progress",
    "reports",
    "workflow",
)


def sync_permissions() -> None:
    """Give each role group its admin permissions (idempotent)."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    managed = Permission.objects.filter(content_type__app_label__in=MANAGED_APPS)
    groups[SECRETARIAT_ADMIN].permissions.set(managed)
    groups[SECRETARIAT_REVIEWER].permissions.set(
        managed.filter(codename__startswith="view_").exclude(content_type__app_label="auth")
    )
    groups[GOVERNMENT_VIEWER].permissions.clear()


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    # Each app's permissions are created by its own post_migrate; syncing after every app means
    # the last call sees them all (a few queries per app, only when migrating).
    sync_permissions()
