from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "adelante.workflow"
    verbose_name = _("Intake and reporting")
