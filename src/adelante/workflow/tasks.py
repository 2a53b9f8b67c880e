"""The daily digest as a background task: `adelante send-reminders --queue` queues it, a
worker (`adelante worker`) sends it (docs/workflow.md, "Reminders").

The task is `reminders.send_digests`, which records each digest it sends (`ReminderSend`,
unique per person and day): a task run twice, or run after the command already sent the
day's digests, sends nothing more.
"""

from __future__ import annotations

import datetime

from django_tasks import task

from adelante.workflow.reminders import send_digests


@task()
def send_digests_task(day: str, language: str, base_url: str | None = None) -> str:
    """Send the digests of `day` (ISO date) not sent yet; the summary, as the command says it."""
    summary = send_digests(datetime.date.fromisoformat(day), language=language, base_url=base_url)
    if summary.failed:
        # Failed sends were not recorded: the task ends failed (the admin lists it) and any
        # later run, queued or not, sends them.
        raise RuntimeError(str(summary))
    return str(summary)
