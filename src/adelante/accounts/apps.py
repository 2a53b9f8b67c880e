from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "adelante.accounts"
    verbose_name = _("accounts and roles")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from adelante.accounts import groups

        # Permissions exist only after every app migrated, so the groups get theirs here.
        post_migrate.connect(groups.sync_after_migrate, dispatch_uid="adelante_role_groups")
        _require_two_factor_in_the_admin()


def _require_two_factor_in_the_admin() -> None:
    """A secretariat user who must use two-factor sign-in and has not passed a code this
    session is sent to sign in again, in the admin too (its login page leads to ours)."""
    from django.contrib import admin
    from django.http import HttpRequest

    from adelante.accounts import twofactor

    site = admin.site
    if getattr(site, "_adelante_two_factor", False):
        return
    admin_has_permission = site.has_permission

    def has_permission(request: HttpRequest) -> bool:
        return admin_has_permission(request) and not twofactor.missing(request)

    site.has_permission = has_permission  # type: ignore[method-assign]
    site._adelante_two_factor = True  # type: ignore[attr-defined]
