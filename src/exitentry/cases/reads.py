"""What a case lists (materials, notices with their pauses, tasks, payments, events), in the order they
happened, and its fee exemption, each read with SQL the ORM compiles once per process
(``exitentry.compiled``): the one way the API's case detail and the case pages of both sides read them; and
the passport a case is received on (``passport_of``), which both show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim

from exitentry.cases import lifecycle
from exitentry.cases.models import (
    Case,
    CaseEvent,
    DeficiencyNotice,
    FeeExemption,
    Material,
    Pause,
    Payment,
    VerificationTask,
)
from exitentry.compiled import KeyedQuery
from exitentry.registry.models import TravelDocument

User = get_user_model()

_MATERIALS = KeyedQuery(lambda case: Material.objects.filter(case_id=case).order_by("uploaded_at", "pk"))
_NOTICES = KeyedQuery(lambda case: DeficiencyNotice.objects.filter(case_id=case).order_by("issued_on", "pk"))
_PAUSES = KeyedQuery(lambda case: Pause.objects.filter(case_id=case).order_by("start", "pk"))
_TASKS = KeyedQuery(lambda case: VerificationTask.objects.filter(case_id=case).order_by("opened_at", "pk"))
_PAYMENTS = KeyedQuery(lambda case: Payment.objects.filter(case_id=case).order_by("paid_at", "pk"))
_EXEMPTION = KeyedQuery(lambda case: FeeExemption.objects.filter(case_id=case))
# Each event with its actor's name (``actor_name``), which the hall's history shows: the full name, the user
# name only for an account that has none.
_FULL_NAME = Trim(Concat("actor__first_name", Value(" "), "actor__last_name"))
_EVENTS = KeyedQuery(
    lambda case: (
        CaseEvent.objects.filter(case_id=case)
        .annotate(actor_name=Coalesce(NullIf(_FULL_NAME, Value("")), F(f"actor__{User.USERNAME_FIELD}")))
        .order_by("at", "pk")
    )
)


@dataclass(frozen=True, slots=True)
class CaseLists:
    """A case's lists, each in the order it happened, and its fee exemption (one or none)."""

    materials: list[Material]
    notices: list[DeficiencyNotice]
    pauses: list[Pause]  # each belongs to one notice (``Pause.notice``)
    tasks: list[VerificationTask]
    payments: list[Payment]
    events: list[CaseEvent]
    exemption: FeeExemption | None

    def pause_of(self, notice: DeficiencyNotice) -> Pause | None:
        return next((p for p in self.pauses if p.notice_id == notice.pk), None)


def case_lists(case_id: int) -> CaseLists:
    return CaseLists(
        materials=_MATERIALS(case_id),
        notices=_NOTICES(case_id),
        pauses=_PAUSES(case_id),
        tasks=_TASKS(case_id),
        payments=_PAYMENTS(case_id),
        events=_EVENTS(case_id),
        exemption=next(iter(_EXEMPTION(case_id)), None),
    )


def passport_of(case: Case, on: date, *, reads_person: bool = True) -> TravelDocument | None:
    """The travel document ``case`` is received on: its own once the hall has received it; while it is
    open, the one its intake would take today (``Person.travel_document_on``), which may be a claim not yet
    checked (``TravelDocument.claim``; only for a viewer who still ``reads_person``); else none."""
    if case.travel_document_id is not None:
        return case.travel_document
    if not reads_person or case.state in lifecycle.CLOSED_STATES:
        return None
    return case.person.travel_document_on(on)
