"""`adelante worker`: runs the background jobs (the staff's web imports, docs/import.md; the
reports page's documents, docs/reports.md; reminder digests queued by `send-reminders --queue`).

django-tasks' database worker (`db_worker`: the same options, e.g. `--batch` to run what is
queued and stop, `--max-tasks N`), after queueing again the jobs whose worker was lost (killed,
or its machine stopped): any number of workers may run, on any machine that reaches the
database and the uploads' storage; each job is run by one of them at a time.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from adelante.exchange import housekeeping
from adelante.exchange.jobs import requeue_stalled


class Command(DatabaseWorker):
    help = (
        "Run the background jobs (the staff's web imports, generated reports, queued reminder "
        "digests): jobs whose worker was lost are queued again first. Options as django-tasks' "
        "db_worker; run one or more of these beside the web server (docs/import.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        requeued = requeue_stalled()
        if requeued and options.get("verbosity", 1):
            self.stdout.write(f"queued again: {len(requeued)} job(s) whose worker was lost")
        for line in housekeeping.run(housekeeping.worker_starting):
            if options.get("verbosity", 1):
                self.stdout.write(line)
        super().handle(*args, **options)
