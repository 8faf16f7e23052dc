"""A case's statutory clocks, derived from the catalog's time limits and the case's own dates.

The law core says how many working days each clock has (``counts``: pre-examination, processing,
receipt-validity); this module says which dates of a case start and stop each one:

- pre-examination: from submission to passing pre-examination (one-stop service);
- processing: from the materials' receipt at the hall to the permit being ready for pick-up;
- receipt-validity: from acceptance to the decision (Arts. 13 and 18: the decision is made within it).

Pauses (the deficiency notices) stop the processing clock only: the receipt is issued after the
materials are complete, so no pause falls inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exitentry.law.clocks import Deadline, Pause, working_day_deadline
from exitentry.law.intake import PRE_EXAMINATION
from exitentry.law.text import Text

CLOCKS = {
    PRE_EXAMINATION: ("submitted_on", "pre_examined_on"),
    "processing": ("received_on", "ready_on"),
    "receipt-validity": ("accepted_on", "decided_on"),
}


@dataclass(frozen=True, slots=True)
class CaseDeadline:
    clock: str
    text: Text
    working_days: int
    started_on: date | None
    deadline: Deadline | None  # None until the clock starts
    done_on: date | None
    status: str  # met, due, late, paused, or "not started"
    cite: tuple
    why: Text | None = None  # why this clock applies to the case (e.g. the work permit's category)

    def as_dict(self) -> dict[str, object]:
        d = self.deadline
        return {
            "clock": self.clock,
            "text": self.text.as_dict(),
            "working_days": self.working_days,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "due": d.due.isoformat() if d and d.due else None,
            "provisional": bool(d and d.provisional),
            "paused_working_days": d.paused_working_days if d else 0,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "status": self.status,
            "cite": [c.as_dict() for c in self.cite],
            "why": self.why.as_dict() if self.why else None,
        }


def case_deadlines(case, today: date, pauses: list[Pause] | None = None) -> list[CaseDeadline]:
    """Every clock the catalog gives this case's procedure, with its last day and status."""
    on = case.received_on or case.submitted_on or today
    advice = case.advice_on(on)
    if pauses is None:
        pauses = [Pause(p.start, p.end) for p in case.pauses.all()]
    result = []
    for line in advice.time_limits:
        if line.counts not in CLOCKS or line.working_days is None:
            continue
        start_field, done_field = CLOCKS[line.counts]
        started, done = getattr(case, start_field), getattr(case, done_field)
        if started is None:
            result.append(
                CaseDeadline(
                    line.counts,
                    line.text,
                    line.working_days,
                    None,
                    None,
                    None,
                    "not started",
                    line.cite,
                    line.why,
                )
            )
            continue
        clock_pauses = pauses if line.counts == PAUSED_CLOCK else ()
        deadline = working_day_deadline(started, line.working_days, clock_pauses)
        result.append(
            CaseDeadline(
                line.counts,
                line.text,
                line.working_days,
                started,
                deadline,
                done,
                deadline.status(done, today),
                line.cite,
                line.why,
            )
        )
    return result


PAUSED_CLOCK = "processing"  # the one clock a deficiency notice stops (see above)


def notice_pauses_a_clock(clocks: list[CaseDeadline]) -> bool:
    """Whether a one-time notice stops a running clock of the case whose ``clocks`` these are: its procedure
    has the processing clock and it has started. Else no time limit has started and none resumes."""
    return any(c.clock == PAUSED_CLOCK and c.started_on is not None for c in clocks)


def decision_late(decision_due: date | None, decided_on: date | None, on: date) -> bool:
    """Whether the decision is late on ``on``: its due day has passed and the case is still undecided."""
    return decision_due is not None and decided_on is None and decision_due < on
