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
