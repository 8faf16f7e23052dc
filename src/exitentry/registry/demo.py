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
EXPIRING_DAYS_LEFT = 20  # inside the residence permit's last 30 days: its extension is late


def load(person: Person, today: date, stamp: Callable[[datetime], None]) -> list[Permit]:
    """Record the holder's permits as of ``today``; ``stamp`` sets the day each event is recorded on."""

    def on(day: date) -> date:
        stamp(datetime.combine(day, time(10, 0), BEIJING))
        return day

    made = []
    study = services.issue_permit(
        person,
        "residence-permit",
        number="EKR2019S0004",
        issued_on=on(today - timedelta(days=2300)),
        valid_until=today - timedelta(days=1200),
        permit_type="study",
    )
    made.append(study)
    lost = services.issue_permit(
        person,
        "visa",
        number="VKR2021M0004",
        issued_on=on(today - timedelta(days=900)),
        valid_until=today + timedelta(days=200),
    )
    on(today - timedelta(days=400))
    services.end_permit(
        lost, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=today - timedelta(days=400)
    )
    made.append(lost)
    work = services.issue_permit(
        person,
        "residence-permit",
        number="EKR2024W0004",
        issued_on=on(today - timedelta(days=720)),
        valid_until=today - timedelta(days=355),
        permit_type="work",
    )
    on(today - timedelta(days=380))
    services.change_permit(work, "extension", valid_until=today + timedelta(days=EXPIRING_DAYS_LEFT))
    made.append(work)
    made.append(
        services.issue_permit(
            person,
            "work-permit",
            number="WKR2024000004",
            issued_on=on(today - timedelta(days=720)),
            valid_until=today + timedelta(days=WORK_PERMIT_DAYS_LEFT),
        )
    )
    for permit in made:
        record(
            SYSTEM, "permit.create", "permit", permit.pk, new={"kind": permit.kind, "number": permit.number}
        )
    return made
