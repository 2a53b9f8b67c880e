"""`adelante send-reminders [--date D] [--language en|es] [--dry-run] [--queue]`: the daily
digest, sent now or (with --queue) by a background worker, each in its reader's language."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from adelante import siteaddress
from adelante.workflow.reminders import send_digests
from adelante.workflow.tasks import send_digests_task


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = (
        "Send each person one e-mail listing their reports that are overdue or due soon, what "
        "was returned to them and, for the secretariat, what waits for review. At most one per "
        "person and day: run it daily (cron or a systemd timer, docs/workflow.md); running it "
        "again the same day sends nothing more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_day, help="the day to send for (default: today)")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the e-mails of people who chose none (each person's own otherwise)",
        )
        parser.add_argument(
            "--site-url", default=None, help="the site's address for links (default: SITE_URL)"
        )
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="queue the digests for a background worker (`adelante worker`) to send",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"] or timezone.localdate()
        if not options["site_url"]:
            try:
                siteaddress.site_url()
            except siteaddress.SiteUrlMissing as error:
                raise CommandError(str(error)) from None
        if options["queue"]:
            if options["dry_run"]:
                raise CommandError("--queue and --dry-run: choose one")
            result = send_digests_task.enqueue(
                day.isoformat(), options["language"], options["site_url"]
            )
            self.stdout.write(f"queued the digests of {day.isoformat()} (task {result.id})")
            return
        summary = send_digests(
            day,
            language=options["language"],
            base_url=options["site_url"],
            dry_run=options["dry_run"],
        )
        self.stdout.write(str(summary))
        if summary.failed:
            raise CommandError("some digests could not be sent", returncode=1)
