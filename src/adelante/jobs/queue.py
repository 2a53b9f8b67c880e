"""A job's task in the queue, and the jobs whose worker is gone.

A job is a row with a `state`, an `updated_at` its worker moves forward as it makes progress
(its heartbeat), the id of its latest task (`task_id`) and a `working` property. Its task runs
through Django's tasks framework (the `django-tasks` backport, with its database backend: the
queue is a table of the same database). A worker killed half-way leaves its job working, with
no progress: once that has lasted `stalled_after`, and the job's task is not waiting in the
queue, the job is queued again (by every worker as it starts, by `adelante cleanup` and when
the job's page is opened). Each kind of job makes its task safe to run again.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

logger = logging.getLogger(__name__)


class Job(Protocol):
    """What this module reads of a job's row."""

    pk: Any
    task_id: str
    updated_at: datetime.datetime

    @property
    def working(self) -> bool: ...


def stalled_after() -> datetime.timedelta:
    """A working job with no progress for this long has lost its worker (killed, or the
    machine stopped): it is queued again. Longer than any import's transaction."""
    return datetime.timedelta(minutes=settings.ADELANTE_JOB_STALLED_MINUTES)


def stalled(job: Job, *, now: datetime.datetime | None = None) -> bool:
    return job.working and job.updated_at < (now or timezone.now()) - stalled_after()


def queue(job: Job, task: Task[Any, Any]) -> None:
    """Queue `task` for the job (its id the task's one argument) and keep the task's id."""
    result = task.enqueue(str(job.pk))
    # (An immediate backend has run the job already, and saved it.)
    model: Any = type(job)
    model._default_manager.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def waiting(task: Task[Any, Any], task_id: str) -> bool:
    """Whether the task of that id is in the queue, not yet taken by a worker."""
    if not task_id:
        return False
    try:
        return bool(task.get_result(task_id).status == TaskResultStatus.READY)
    except TaskResultDoesNotExist:
        return False


def requeue_stalled(
    model: type[Any],
    *,
    working: Iterable[str],
    task: Task[Any, Any],
    name: str,
    restate: Mapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> list[Any]:
    """Queue again every working job of `model` whose worker is gone: no progress for
    `stalled_after`, not waiting in the queue, and (on PostgreSQL) not locked by a running
    task. `restate` are the fields to set first (the state a queued job has); `name` says
    what the job is in the log ("import job")."""
    cutoff = (now or timezone.now()) - stalled_after()
    requeued = []
    with transaction.atomic():
        candidates = model._default_manager.filter(state__in=list(working), updated_at__lt=cutoff)
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        for job in candidates:
            if waiting(task, job.task_id):
                continue
            logger.warning("%s %s lost its worker: queued again", name, job.pk)
            model._default_manager.filter(pk=job.pk).update(
                updated_at=timezone.now(), **dict(restate or {})
            )
            queue(job, task)
            requeued.append(job)
    return requeued
