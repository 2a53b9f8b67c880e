"""Running the queued background jobs in the test's own process, as `adelante worker --batch`
would: django-tasks' database worker claims each ready task (locking its row) and runs it."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def work(limit: int = 50) -> int:
    """Run every task ready in the queue (at most `limit`); the number run. Without the
    worker's loop, which closes database connections between tasks (the test's own)."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with exclusive_transaction():
            claimed = DBTaskResult.objects.ready().get_locked()
            if claimed is None:
                return ran
            claimed.claim(worker.worker_id)
        worker.run_task(claimed)
        ran += 1
    return ran


def queued() -> int:
    return DBTaskResult.objects.ready().count()
