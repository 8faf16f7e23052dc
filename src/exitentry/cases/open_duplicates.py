"""Permits that more than one open application acts on: what ``case_one_open_per_permit`` (cases
migration 0010) forbids. A database from before that migration may hold some; the migration stops on
them with :func:`message`, and ``exitentry cases open-duplicates`` lists them ahead of the upgrade.

Both pass the cases to look at (the migration its historical model and frozen open states, the command
the live ones), so this module imports no model."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

WHAT_TO_DO = "withdraw or decide all but one of the open applications on each of these permits"


def find(open_cases: QuerySet) -> dict[str, list[str]]:
    """Each permit's number and its open applications (references; a draft as ``draft PK``), for the
    permits ``open_cases`` holds more than one of."""
    crowded = (
        open_cases.filter(permit__isnull=False)
        .values("permit_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("permit_id")
    )
    rows = (
        open_cases.filter(permit_id__in=crowded)
        .order_by("permit__number", "pk")
        .values_list("permit__number", "reference", "pk")
    )
    found: dict[str, list[str]] = defaultdict(list)
    for number, reference, pk in rows:
        found[number].append(reference or f"draft {pk}")
    return dict(found)


def listing(found: dict[str, list[str]]) -> str:
    """One line per permit: its number and its open applications."""
    return "\n".join(f"  permit {number}: {', '.join(cases)}" for number, cases in found.items())


def message(found: dict[str, list[str]]) -> str:
    """Why the migration stops, and what to do."""
    return (
        f"{len(found)} permit(s) have more than one open application, which the new rule of one open "
        f"application per permit forbids:\n{listing(found)}\n"
        f"This migration changed nothing: {WHAT_TO_DO}, then migrate again "
        "(`exitentry cases open-duplicates` lists them)."
    )
