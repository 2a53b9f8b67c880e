"""`adelante cleanup`: the daily housekeeping of the background jobs: the staff's web imports
(docs/import.md) and the documents generated from the reports page (docs/reports.md).

Run it once a day, from the same cron job or systemd timer as `adelante send-reminders`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from adelante.exchange import housekeeping
from adelante.exchange.jobs import abandoned_after, delete_abandoned, requeue_stalled


class Command(BaseCommand):
    help = (
        "Delete uploaded import files never confirmed (after ADELANTE_UPLOAD_KEEP_HOURS, "
        "default a day) and files no import job names; queue again the jobs whose worker was "
        "lost; delete generated reports after ADELANTE_REPORT_KEEP_HOURS (default a day). "
        "Run it daily (cron or a systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = delete_abandoned()
        requeued = requeue_stalled()
        hours = abandoned_after().total_seconds() / 3600
        self.stdout.write(
            f"deleted {deleted} upload(s) older than {hours:g} hours never imported; "
            f"queued again {len(requeued)} job(s) whose worker was lost"
        )
        for line in housekeeping.run(housekeeping.daily):
            self.stdout.write(line)
