"""A follow-up a report gives the hall: an alert on the report's ground, citing the ground's source, and
its ``alert.open`` audit entry (a unit's Art. 26 report, ``unit_reports``; a holder's report of a change,
``change_reports``)."""

from __future__ import annotations

from datetime import date

from exitentry.accounts.audit import Actor, record
from exitentry.compliance.models import Alert
from exitentry.law.rules.grounds import ground


def open_follow_up(actor: Actor, person_id: int, ground_id: str, cause_key: str, on: date, **about) -> Alert:
    """A new open alert of ``person_id`` on ``ground_id`` for ``cause_key``, opened on ``on``; ``about``
    goes into the audit entry beside the ground."""
    cite = ground(ground_id).cite[0]
    alert = Alert.objects.create(
        person_id=person_id,
        ground_id=ground_id,
        cause_key=cause_key,
        source_id=cite.source,
        section=cite.section,
        opened_on=on,
    )
    record(actor, "alert.open", "alert", alert.pk, new={"ground_id": ground_id, **about})
    return alert
