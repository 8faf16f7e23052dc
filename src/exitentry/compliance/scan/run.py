"""The scan as it runs: every ground's query in turn (``GROUNDS``, ``findings``), in one transaction with
the scan's own PostgreSQL settings (``TUNING``), each ground told to ``progress`` once done; then the alerts
brought up to date (``scan``: opened, kept, closed) and what was done counted (``Summary``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from exitentry.compliance.models import Alert
from exitentry.compliance.scan.alerts import _close, _open, _settled
from exitentry.compliance.scan.finding import (
    EXIT_DEADLINE_PASSED,
    NO_ENTRY_APPLICATION,
    NO_ENTRY_BREACHED,
    OUTSIDE_AREA,
    OVERSTAY,
    VISA_FREE_OVERSTAY,
    Finding,
)
from exitentry.compliance.scan.illegal_stay import overstays, visa_free_overstays
from exitentry.compliance.scan.late_applications import (
    extensions_late,
    pr_cards_to_renew,
    residence_permits_late,
)
from exitentry.compliance.scan.particulars import particulars_changes_late
from exitentry.compliance.scan.queries import _MOVED_AFTER, _anyone_moved_after
from exitentry.compliance.scan.restrictions import (
    exit_deadlines_passed,
    no_entry_applications,
    no_entry_breaches,
    outside_restricted_areas,
)
from exitentry.law.rules import duties


@dataclass(frozen=True, slots=True)
class Summary:
    """What a scan did: alerts opened, kept open, closed, each by ground."""

    on: date
    opened: Counter
    still_open: Counter
    closed: Counter


GROUNDS: tuple[tuple[str, Callable[[date], Iterable[Finding]]], ...] = (
    (OVERSTAY, overstays),
    (duties.EXTENSION, extensions_late),
    (duties.PERMIT_AFTER_ENTRY, residence_permits_late),
    (duties.PR_CARD_RENEWAL, pr_cards_to_renew),
    (duties.PARTICULARS_CHANGE, particulars_changes_late),
    (VISA_FREE_OVERSTAY, visa_free_overstays),
    (OUTSIDE_AREA, outside_restricted_areas),
    (EXIT_DEADLINE_PASSED, exit_deadlines_passed),
    (NO_ENTRY_BREACHED, no_entry_breaches),
    (NO_ENTRY_APPLICATION, no_entry_applications),
)
# The grounds the scan finds and closes. An alert on another ground (the hall's follow-up of a unit's
# report, ``compliance.unit_reports``) has no query here: the scan never closes it as "cause gone", and
# only an officer does.
SCANNED = tuple(ground_id for ground_id, _ in GROUNDS)


# PostgreSQL settings for the scan's own transaction: its grounds are a few joins over whole tables, so hash
# tables that fit in memory instead of spilling in batches, and no JIT compilation (on queries of well under
# a second it costs more than it saves: 1.6 s for the overstay query alone at 1,000,000 people).
TUNING = "SELECT set_config('work_mem', '256MB', true), set_config('jit', 'off', true)"


def findings(on: date, progress: Callable[[str], None] | None = None) -> list[Finding]:
    """Every ground's findings on ``on``, one query each; ``progress`` hears each ground as it is done."""
    found: list[Finding] = []
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(TUNING)
        moved_after = _MOVED_AFTER.set((on, _anyone_moved_after(on)))
        try:
            for ground_id, query in GROUNDS:
                found.extend(query(on))
                if progress:
                    progress(ground_id)
        finally:
            _MOVED_AFTER.reset(moved_after)
    return found


def scan(on: date, progress: Callable[[str], None] | None = None) -> Summary:
    """Scan the registry on ``on`` and bring the alerts up to date: open the new causes, keep the ones
    found again, close the ones gone."""
    with transaction.atomic():
        found = {(f.person_id, f.ground_id, f.cause_key): f for f in findings(on, progress)}
        open_alerts = {
            (person_id, ground_id, cause_key): pk
            for pk, person_id, ground_id, cause_key in Alert.objects.filter(
                closed_on__isnull=True, ground_id__in=SCANNED
            )
            .select_for_update()
            .values_list("pk", "person_id", "ground_id", "cause_key")
        }
        gone = [pk for key, pk in open_alerts.items() if key not in found]
        candidates = [key for key in found if key not in open_alerts]
        settled = _settled(candidates)
        new = [found[key] for key in candidates if key not in settled]
        _open(new, on)
        _close(gone, on)
    closed = Counter(key[1] for key, pk in open_alerts.items() if key not in found)
    return Summary(
        on=on,
        opened=Counter(f.ground_id for f in new),
        still_open=Counter(key[1] for key in found if key in open_alerts),
        closed=closed,
    )
