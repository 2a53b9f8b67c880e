from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "adelante.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # `adelante cleanup` and `adelante worker` (exchange) also look after report jobs.
        from adelante.exchange import housekeeping
        from adelante.reports import jobs

        housekeeping.daily.connect(jobs.on_daily, dispatch_uid="reports-daily")
        housekeeping.worker_starting.connect(
            jobs.on_worker_starting, dispatch_uid="reports-worker-starting"
        )
