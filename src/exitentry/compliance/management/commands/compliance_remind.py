"""Remind people and their units of the duties coming due and overdue on a day (``exitentry compliance
remind``), as the daily task does after the scan; a second run on the same day sends nothing new."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from exitentry.compliance.reminders import remind
from exitentry.law.calendar import beijing_today


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", type=date.fromisoformat, help="the day (default today, Beijing)")

    def handle(self, *args, on: date | None, **options) -> None:
        summary = remind(on or beijing_today())
        made = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.made.items())) or "none"
        queued = ", ".join(f"{n} {channel}" for channel, n in sorted(summary.messages.items())) or "none"
        self.stdout.write(
            f"compliance reminders of {summary.on.isoformat()}: made {made}; messages queued {queued}; "
            f"{summary.already} made before"
        )
