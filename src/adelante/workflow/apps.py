from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "adelante.workflow"
    verbose_name = _("Intake and reporting")

    def ready(self) -> None:
        from django.core import checks

        from adelante import siteaddress

        # The e-mails' links need the site's address: `adelante check --deploy` says if not.
        checks.register(siteaddress.check_site_url, deploy=True)
