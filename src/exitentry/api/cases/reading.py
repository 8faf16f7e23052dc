"""How the API reads a case: a list row from the few columns it shows, and the whole case with its lists
(``cases.reads``, as the pages read it); every read of personal data is audited."""

from __future__ import annotations

from datetime import date

from exitentry.accounts.audit import Actor, record, record_list
from exitentry.api.cases.schemas import ListQuery
from exitentry.api.schemas import named
from exitentry.cases import access, expiry, lifecycle, services
from exitentry.cases.deadlines import case_deadlines, decision_late
from exitentry.cases.models import Case, Receipt
from exitentry.cases.reads import case_lists, passport_of
from exitentry.law.advice import fact_as_dict
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.clocks import Pause
from exitentry.registry import countries
from exitentry.registry.models import Person, TravelDocument

ROW_FIELDS = (
    "pk",
    "reference",
    "procedure_id",
    "state",
    "person__surname",
    "person__given_names",
    "hall_id",
    "submitted_on",
    "decision_due",
    "decided_on",
)


def row(case: Case, today: date) -> dict:
    return row_of(
        {
            **{f: getattr(case, f) for f in ROW_FIELDS if "__" not in f},
            "person__surname": case.person.surname,
            "person__given_names": case.person.given_names,
        },
        today,
    )


def row_of(v: dict, today: date) -> dict:
    """A list row from the few columns it shows (no model objects, no facts decoded)."""
    due = v["decision_due"]
    return {
        "id": v["pk"],
        "reference": v["reference"],
        "procedure": v["procedure_id"],
        "state": v["state"],
        "person": Person.display_name(v["person__surname"], v["person__given_names"]),
        "hall_id": v["hall_id"],
        "submitted_on": v["submitted_on"],
        "decision_due": due,
        "late": decision_late(due, v["decided_on"], today),
    }


def rows(request, listing: str, qs, query: ListQuery) -> list[dict]:
    """A page of rows; the people's names on it are a read of personal data, audited as one entry."""
    if query.state:
        qs = qs.filter(state=query.state)
    if query.hall_id:
        qs = qs.filter(hall_id=query.hall_id)
    today = beijing_today()
    rows = [row_of(v, today) for v in qs.values(*ROW_FIELDS)[query.offset : query.offset + query.limit]]
    record_list(Actor.of(request), listing, f"{query.offset}+{query.limit}", [r["id"] for r in rows])
    return rows


def detail(case: Case, today: date, *, reads_person: bool = True, papers: bool = True) -> dict:
    """Everything about one case a permitted user may read; the passport a claim only for one who
    ``reads_person`` (``cases.reads.passport_of``, as the case pages); the passport and the files only
    with ``papers`` (``access.reads_papers``: else the case is a bare record)."""
    procedure = catalog().procedure(case.procedure_id)
    person = case.person
    lists = case_lists(case.pk)
    pauses = [Pause(p.start, p.end) for p in lists.pauses]
    data = {
        **row(case, today),
        "state_label": lifecycle.state_label(case.state).as_dict(),
        "draft_expires_on": expiry.expires_on(case),
        "procedure_title": procedure.title.as_dict(),
        "acting_as": case.acting_as,
        "facts": case.facts,
        "facts_from_registry": case.facts_from_registry,
        "applicant": {**named(person), "sex": person.sex, "birth_date": person.birth_date.isoformat()},
        "passport": travel_document(passport_of(case, today, reads_person=reads_person)) if papers else None,
        "permit": None
        if case.permit is None
        else {"id": case.permit.pk, "number": case.permit.number, "kind": case.permit.kind},
        "halls": list(services.hall_choices(procedure, case.facts)),
        "deadlines": [d.as_dict() for d in case_deadlines(case, today, pauses)],
        "materials": [
            {
                "id": m.pk,
                "material_id": m.material_id,
                "name": m.original_name,
                "content_type": m.content_type,
                "size": m.size,
                "sha256": m.sha256,
                "on_paper": m.on_paper,
                "original_seen": m.original_seen,
                "translated": m.translated,
                "defect": m.defect,
                "defect_zh": m.defect_zh,
            }
            for m in (lists.materials if papers else ())
        ],
        "notices": [
            {
                "number": n.number,
                "issued_on": n.issued_on,
                "items": n.items,
                "paused": None if (p := lists.pause_of(n)) is None else {"from": p.start, "until": p.end},
            }
            for n in lists.notices
        ],
        "receipt": None,
        "tasks": [
            {"id": t.pk, "kind": t.kind, "opened_at": t.opened_at, "done_at": t.done_at, "outcome": t.outcome}
            for t in lists.tasks
        ],
        "decision": None,
        "payments": [
            {"amount_cny": p.amount_cny, "method": p.method, "paid_at": p.paid_at} for p in lists.payments
        ],
        "fee": _fee(services.fee_of(case, today, lists)),
        "events": [
            {"action": e.action, "from": e.from_state, "to": e.to_state, "at": e.at, "actor": e.actor_id}
            for e in lists.events
        ],
    }
    if hasattr(case, "receipt"):
        data["receipt"] = receipt(case.receipt)
    if hasattr(case, "decision"):
        d = case.decision
        data["decision"] = {
            "number": d.number,
            "outcome": d.outcome,
            "validity": d.validity,
            "ground_id": d.ground_id,
            "decided_on": d.decided_on,
        }
    data["missing_facts"] = [fact_as_dict(f) for f in services.missing_facts(case, today)]
    data["unfit_facts"] = [u.as_dict() for u in services.unfit_answers(case, today).values()]
    data["facts_not_asked"] = list(services.answers_not_asked(case, today))
    if case.state in lifecycle.CHECKING_MATERIALS and not data["missing_facts"]:
        data["outstanding"] = [
            {
                "kind": x.kind,
                "id": x.item.id,
                "text": x.item.text.as_dict(),
                "reason": x.reason.as_dict() if x.reason else None,
            }
            for x in services.outstanding(case, today, lists.materials)
        ]
        data["originals_unseen"] = [
            {"id": x.id, "text": x.text.as_dict(), "cite": [c.as_dict() for c in x.original]}
            for x in services.originals_unseen(case, today, lists.materials)
        ]
    return data


def travel_document(d: TravelDocument | None) -> dict | None:
    """A travel document as the API gives it (``TravelDocumentOut``): the issuing country's code and name."""
    if d is None:
        return None
    return {
        "kind": d.kind,
        "number": d.number,
        "issuing_country": d.issuing_country,
        "issuing_country_name": countries.text(d.issuing_country).as_dict(),
        "expires_on": d.expires_on,
        "claim": d.claim,
    }


def receipt(r: Receipt) -> dict:
    """The acceptance receipt as the API gives it (``ReceiptOut``)."""
    return {
        "number": r.number,
        "issued_on": r.issued_on,
        "valid_until": r.valid_until,
        "provisional": r.provisional,
    }


def _fee(fee: services.Fee) -> dict:
    e = fee.exemption
    said = fee.summary
    return {
        "summary": None if said is None else said.with_why.as_dict(),
        "summary_cite": [] if said is None else [c.as_dict() for c in said.cite],
        "due_cny": fee.due,
        "due_at_acceptance_cny": fee.due_at_acceptance,
        "paid_cny": fee.paid,
        "outstanding_cny": fee.outstanding,
        "exemption": None if e is None else {"reason": e.reason, "recorded_at": e.recorded_at},
        "parts": [
            {
                "id": p.line.id,
                "text": p.line.text.as_dict(),
                "amount_cny": p.line.amount_cny,
                "paid_at": p.line.paid_at,
                "paid_when": p.paid_when.as_dict(),
                "paid_cny": p.paid,
                "outstanding_cny": p.outstanding,
                "due": p.due,
                "waived": p.waived,
                "cite": [c.as_dict() for c in p.line.cite],
                "state": (state := p.state).id,
                "state_label": state.label.as_dict(),
                "state_why": None if state.why is None else state.why.as_dict(),
                "state_cite": [c.as_dict() for c in state.cite],
            }
            for p in fee.parts
        ],
    }


def whole(queryset):
    """The case row with what it holds one of; its lists and fee exemption are read by ``detail``
    (``cases.reads``, SQL compiled once)."""
    return queryset.select_related("person", "permit", "receipt", "decision", "travel_document")


def answer(request, case: Case) -> dict:
    """The case as it now stands, read once with everything it shows; the read is audited."""
    return shown(request, whole(Case.objects).get(pk=case.pk))


def shown(request, case: Case) -> dict:
    record(Actor.of(request), "case.read", "case", case.pk)
    today = beijing_today()  # the case is the viewer's; the person's records today only while they read them
    reads = access.reads_person(request.user, case.person_id, today)
    papers = access.reads_papers(request.user, case, today)
    return detail(case, today, reads_person=reads, papers=papers)
