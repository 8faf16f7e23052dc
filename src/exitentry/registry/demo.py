"""Demo permits for one holder, so "My permits" shows every state: in force, expiring, expired and void.

Dae-ho Kim (``david.kim``) has lived in Beijing for years: a work-type residence permit extended once and
now inside its last 30 days (expiring), the one-stop work permit that goes with it (in force), the study
residence permit he held before (expired), and a visa recorded as a permit that was declared void when
it was lost (Art. 34(1)). Everything goes through ``registry.services``, each event stamped on its own
day, and is audited as made by "system", as the demo's people are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from exitentry.accounts.audit import Actor, record
from exitentry.law.calendar import BEIJING
from exitentry.registry import services
from exitentry.registry.models import Permit, Person

SYSTEM = Actor(None, None)
HOLDER = "david.kim"
WORK_PERMIT_DAYS_LEFT = 200
LOST = "void-damaged-lost-stolen-robbed"  # Art. 34(1)
EXPIRING_DAYS_LEFT = 20  # inside the residence permit's last 30 days: its extension is late


def load(person: Person, today: date, stamp: Callable[[datetime], None]) -> list[Permit]:
    """Record the holder's permits as of ``today``; ``stamp`` sets the day each event is recorded on."""

    def on(days: int) -> date:
        """``days`` after today (before it when negative), with the records stamped that morning."""
        day = today + timedelta(days=days)
        stamp(datetime.combine(day, time(10, 0), BEIJING))
        return day

    def issued(kind: str, number: str, issued: int, until: int, permit_type: str = "") -> Permit:
        permit = services.issue_permit(
            person,
            kind,
            number=number,
            issued_on=on(issued),
            valid_until=today + timedelta(days=until),
            permit_type=permit_type,
        )
        record(SYSTEM, "permit.create", "permit", permit.pk, new={"kind": kind, "number": number})
        return permit

    study = issued("residence-permit", "EKR2019S0004", -2300, -1200, "study")
    lost = issued("visa", "VKR2021M0004", -900, 200)
    services.end_permit(lost, Permit.Status.VOID, LOST, on=on(-400))
    record(SYSTEM, "permit.void", "permit", lost.pk, new={"ground_id": LOST})
    work = issued("residence-permit", "EKR2024W0004", -720, -355, "work")
    on(-380)
    services.change_permit(work, "extension", valid_until=today + timedelta(days=EXPIRING_DAYS_LEFT))
    return [study, lost, work, issued("work-permit", "WKR2024000004", -720, WORK_PERMIT_DAYS_LEFT)]
