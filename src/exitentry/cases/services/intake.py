"""At the hall: pre-examination, receipt of the materials, their review, the one-time notice of
everything missing or defective (the processing clock pauses), resubmission, and acceptance."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from exitentry.accounts.audit import Actor, record
from exitentry.appointments.opening import closed_reason
from exitentry.cases.models import Case, DeficiencyNotice, Material, Pause, Receipt
from exitentry.cases.services.reading import Refused, advice_for, typed
from exitentry.cases.services.steps import lock_case, transition
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.clocks import working_day_deadline
from exitentry.law.intake import SELF, FactsIncomplete, SubmissionRefused, check_submitter, deficiencies
from exitentry.law.model import Procedure
from exitentry.law.text import Text, day_text

DEFECT_LIMIT = Material._meta.get_field("defect").max_length


_HALL_CLOSED = Text(
    "{hall} is closed on {day}: {reason} What is done at the counter is done on a day the hall opens.",
    "{hall_zh}{day_zh}不对外办公：{reason_zh}窗口业务须在大厅办公日办理。",
)


def at_the_counter(case: Case, on: date) -> None:
    """Refuse a counter step (receiving, accepting) on a day the case's hall is closed (the calendar's
    ``law.halls.closed_reason`` or its supervisor's closure, ``appointments.opening``): the applicant
    cannot stand at a closed counter, and the processing clock never starts on a day the hall does not
    work."""
    hall = catalog().halls.get(case.hall_id)
    reason = closed_reason(hall, on) if hall is not None else None
    if reason is not None:
        day = day_text(on)
        raise Refused(
            "on",
            _HALL_CLOSED.format(
                hall=hall.name.en,
                hall_zh=hall.name.zh,
                day=day.en,
                day_zh=day.zh,
                reason=reason.en,
                reason_zh=reason.zh,
            ),
        )


def pre_examine(actor: Actor, case: Case, on: date | None = None) -> Case:
    on = on or beijing_today()
    return transition(actor, case, "pre_examine", lambda c, _: setattr(c, "pre_examined_on", on))


WHO_HANDS_IN = Text(
    "Choose who hands in the materials: the applicant in person, or someone else.",
    "请选择递交材料的人：申请人本人，或他人代为递交。",
)


def receive(
    actor: Actor, case: Case, *, applicant_present: bool | None = None, on: date | None = None
) -> Case:
    """The hall has the paper materials: the processing clock starts.

    Filing a case online is open to units and proxies; handing it in without the applicant is what the
    proxy rules govern (Regulations Arts. 16, 19): when the applicant is not present, the rules must
    allow someone else to apply for these facts, and the trustee's ID copy becomes a required item.
    Who stands at the counter is a fact only the officer sees, so for a case filed for someone else
    ``applicant_present`` has no default (None is refused): presuming "in person" would record a presence
    no one checked and skip those rules. A case the applicant filed for themself is handed in by them.
    """
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        nonlocal applicant_present
        at_the_counter(c, on)
        if applicant_present is None:
            if c.acting_as != SELF:
                raise Refused("applicant_present", WHO_HANDS_IN)
            applicant_present = True
        if not applicant_present:
            if c.acting_as == SELF:
                raise Refused(
                    "applicant_present",
                    Text(
                        "The applicant applies for themself and must come in person.",
                        "申请人本人申请，须本人到场。",
                    ),
                )
            try:
                check_submitter(advice_for(c, on), c.acting_as)
            except SubmissionRefused as exc:
                raise Refused("applicant_present", exc.text, exc.cite) from None
            except FactsIncomplete as exc:
                raise Refused("facts", exc.text) from None
        c.applicant_present = applicant_present
        c.received_on = c.received_on or on

    return transition(actor, case, "receive", change)


def mark_material(
    actor: Actor, material: Material, *, defect: str = "", original_seen: bool | None = None
) -> Material:
    with transaction.atomic():
        lock_case(actor, material.case, "review_materials")
        old = {"defect": material.defect, "original_seen": material.original_seen}
        material.defect = typed("defect", defect, limit=DEFECT_LIMIT, required=False)
        if original_seen is not None:
            material.original_seen = original_seen
        material.save(update_fields=["defect", "original_seen"])
        record(
            actor,
            "material.review",
            "material",
            material.pk,
            old=old,
            new={"defect": material.defect, "original_seen": material.original_seen},
        )
    return material


def outstanding(case: Case, on: date, materials: list[Material] | None = None) -> tuple:
    """The one-time list as it stands: every required item missing or defective (``law.intake``).

    ``materials`` are the case's, where the caller has read them already."""
    advice = advice_for(case, on)
    received: dict[str, Text | None] = {}
    for m in case.materials.all() if materials is None else materials:
        if m.defect:
            received.setdefault(m.material_id, Text(m.defect, m.defect))
        else:
            received[m.material_id] = None
    try:
        return deficiencies(advice, received, SELF if case.applicant_present is not False else case.acting_as)
    except (FactsIncomplete, SubmissionRefused) as exc:
        raise Refused("facts", exc.text) from None


def notify_deficiency(actor: Actor, case: Case, on: date | None = None) -> DeficiencyNotice:
    """Issue the one-time notice of everything missing or defective; the processing clock pauses."""
    on = on or beijing_today()
    notice_box: list[DeficiencyNotice] = []

    def change(c: Case, _: Procedure) -> None:
        found = outstanding(c, on)
        if not found:
            raise Refused(
                "materials",
                Text(
                    "Nothing is missing or defective: accept the application instead.",
                    "没有缺少或不符合要求的材料，请直接受理。",
                ),
            )
        n = c.deficiency_notices.count() + 1
        notice = DeficiencyNotice.objects.create(
            case=c,
            number=f"{c.reference}-N{n}",
            issued_on=on,
            issued_by=actor.user,
            items=[
                {
                    "kind": d.kind,
                    "id": d.item.id,
                    "text": d.item.text.as_dict(),
                    "reason": d.reason.as_dict() if d.reason else None,
                    "cite": [x.as_dict() for x in d.item.cite],
                }
                for d in found
            ],
        )
        Pause.objects.create(case=c, start=on, notice=notice)
        notice_box.append(notice)

    transition(actor, case, "notify_deficiency", change)
    return notice_box[0]


def resubmit(actor: Actor, case: Case, on: date | None = None) -> Case:
    """The applicant brings what was missing: the pause ends, the clock runs again."""
    on = on or beijing_today()
    return transition(actor, case, "resubmit", lambda c, _: c.pauses.filter(end__isnull=True).update(end=on))


def accept(actor: Actor, case: Case, on: date | None = None) -> Receipt:
    """Issue the acceptance receipt; its validity (working days from the catalog) is the decision's deadline."""
    on = on or beijing_today()
    box: list[Receipt] = []

    def change(c: Case, _: Procedure) -> None:
        at_the_counter(c, on)
        found = outstanding(c, on)
        if found:
            raise Refused(
                "materials",
                Text(
                    f"{len(found)} item(s) are missing or defective: issue the one-time notice first.",
                    f"有{len(found)}项材料缺少或不符合要求，请先出具一次性告知书。",
                ),
            )
        advice = advice_for(c, on)
        line = next((a for a in advice.time_limits if a.counts == "receipt-validity"), None)
        valid_until, provisional = None, False
        if line is not None:
            deadline = working_day_deadline(on, line.working_days)
            valid_until, provisional = deadline.due, deadline.provisional
        c.accepted_on, c.decision_due = on, valid_until
        box.append(
            Receipt.objects.create(
                case=c,
                number=f"{c.reference}-R",
                issued_on=on,
                valid_until=valid_until,
                provisional=provisional,
                issued_by=actor.user,
            )
        )

    transition(actor, case, "accept", change)
    return box[0]
