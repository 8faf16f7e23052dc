"""Scan the registry for late duties and illegal residence on a day (``exitentry compliance scan``),
bringing the alerts up to date; scanning the same day again changes nothing.

The progress bar counts the scan's steps (one set-based query per ground, then the write), not people:
the scan never loops over them, so Django's own output is enough and no progress library is needed.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from exitentry.compliance.scan import GROUNDS, Summary, described, scan
from exitentry.law.calendar import beijing_today

BAR = 20


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--on", type=date.fromisoformat, help="the day scanned (default today, Beijing)")

    def handle(self, *args, on: date | None, **options) -> None:
        on = on or beijing_today()
        steps = len(GROUNDS) + 1
        done = 0
        tty = self.stdout.isatty()

        def progress(ground_id: str) -> None:
            nonlocal done
            done += 1
            filled = BAR * done // steps
            line = f"[{'#' * filled}{'.' * (BAR - filled)}] {done}/{steps} {ground_id}"
            self.stdout.write(f"\r{line:<{BAR + 60}}" if tty else line, ending="" if tty else "\n")
            self.stdout.flush()

        summary = scan(on, progress)
        progress("alerts written")
        if tty:
            self.stdout.write("")
        self._summary(summary)

    def _summary(self, summary: Summary) -> None:
        total = {
            "opened": sum(summary.opened.values()),
            "still open": sum(summary.still_open.values()),
            "closed": sum(summary.closed.values()),
        }
        self.stdout.write(
            f"compliance scan of {summary.on.isoformat()}: "
            + ", ".join(f"{n} {what}" for what, n in total.items())
        )
        for ground_id, _ in GROUNDS:
            text, cite = described(ground_id, summary.on)
            self.stdout.write(
                f"  {text.en} ({cite.label.en}): opened {summary.opened[ground_id]}, "
                f"still open {summary.still_open[ground_id]}, closed {summary.closed[ground_id]}"
            )
