from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "adelante.commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        # Registers the accent- and case-insensitive comparison on each SQLite connection
        # (adelante.folding): the explorer's and the portal's searches use it.
        import adelante.folding  # noqa: F401
