"""The one write path of every step: lock the case row, ask the lifecycle table (``cases.access.check``:
the side, the state, the procedure), change the case, and write its event and audit entry, in one
transaction. A step into a closed state (``lifecycle.CLOSED_STATES``) closes the case on the step's day.

One exception: the system closes a draft left untouched as expired (``cases.expiry._expire``), with no
actor and so no side for the lifecycle table; it locks the rows and writes the events and the audit
entries the same way (all the day's drafts at once), but sends no ``case_moved`` signal: its one
receiver releases bookings, and a draft has none (``lifecycle.BOOKABLE`` starts at submission).

The lock order of the case services, so two of them on the same rows at the same moment wait for each other
rather than deadlock (PostgreSQL aborts one): the case rows (in key order), then their people's rows (in key
order: ``claims.lock_people``; a new draft locks its person's row and has no case row yet), then the rows
hanging from them (the people's travel documents, the cases' bookings), and the head of the process's audit
chain last (``audit.record`` locks it until the transaction ends, and the threads of one web worker append to
the same chain): a step that locks more once it has written an audit entry risks a deadlock, so the receivers
of ``case_moved`` (a case's bookings ending) run before the step's entry. A service that starts from a booking
(cancel, move, check in: ``appointments.services.lock_case_of``) or a queue ticket (calling it, not answered:
``appointments.tickets``) locks the case row first too, so it waits for a step on the case or the step for it,
and the later one finds the booking or the ticket as the first left it; a job over many (the no-shows:
``appointments.noshow``) locks the case rows first and skips those a step holds, left to its next run, rather
than hold all the others while it waits. The case rows are locked FOR NO KEY UPDATE
(``lock_case``): a step never changes their key but the one numbering a case (``submit``, FOR UPDATE), so a
row of another transaction that names a case (a foreign key: FOR KEY SHARE) goes in without waiting for a step
on it; the people's rows too (``claims.lock_people``, a new draft's, a booking's count of the week): nothing
changes a person's key. SQLite locks the whole database and ignores both."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from exitentry.accounts.audit import Actor, record
from exitentry.cases import access, expiry, lifecycle
from exitentry.cases.models import Case, CaseEvent
from exitentry.cases.signals import case_moved
from exitentry.law.catalog import catalog
from exitentry.law.model import Procedure


def lock_case(
    actor: Actor, case: Case, action: str, outcome: str | None = None, *, key: bool = False
) -> tuple[Case, str]:
    """The case row, locked for this transaction, and the state ``action`` leads it to, once the user's
    side may take it and its state and procedure allow it (``access.check``). ``key``: the step numbers the
    case (its reference, a key), so the row is locked FOR UPDATE rather than FOR NO KEY UPDATE."""
    rows = Case.objects.select_for_update(of=("self",), no_key=not key)
    locked = rows.select_related("person", "permit").get(pk=case.pk)
    return locked, access.check(actor.user, action, locked, catalog().procedure(locked.procedure_id), outcome)


def _snapshot(case: Case) -> dict[str, object]:
    return {"state": case.state, "hall_id": case.hall_id, "decision_due": case.decision_due}


def transition(
    actor: Actor,
    case: Case,
    action: str,
    change: Callable[[Case, Procedure], None],
    *,
    on: date,
    outcome: str | None = None,
    key: bool = False,
) -> Case:
    """Take ``action`` on ``on`` (the step's day: today, or the day a back-dated step happened); ``key`` as
    for ``lock_case``."""
    with transaction.atomic():
        locked, to = lock_case(actor, case, action, outcome, key=key)
        procedure = catalog().procedure(locked.procedure_id)
        old, from_state = _snapshot(locked), locked.state
        change(locked, procedure)
        locked.state = to
        if to in lifecycle.CLOSED_STATES:
            locked.closed_on = on
        locked.save()
        CaseEvent.objects.create(
            case=locked, action=action, from_state=from_state, to_state=to, actor=actor.user
        )
        # before the audit entry: a receiver locks rows hanging from the case (its bookings: the lock order)
        case_moved.send(Case, case=locked, action=action, from_state=from_state, to_state=to, actor=actor)
        record(actor, f"case.{action}", "case", locked.pk, old=old, new=_snapshot(locked))
    _refresh(case, locked)
    return locked


def edit(actor: Actor, case: Case, action: str, change) -> Case:
    with transaction.atomic():
        locked, _ = lock_case(actor, case, action)
        old = {"facts": locked.facts}
        change(locked, catalog().procedure(locked.procedure_id))
        stamped = expiry.changed(locked)  # a draft's expiry starts again
        locked.save(update_fields=["facts", "facts_from_registry", *stamped])
        record(actor, f"case.{action}", "case", locked.pk, old=old, new={"facts": locked.facts})
    _refresh(case, locked)
    return locked


def _refresh(case: Case, locked: Case) -> None:
    """Bring the caller's object up to date with what was saved."""
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
