"""At the hall: pre-examination, receipt of the materials, their review, the one-time notice of
everything missing or defective (the processing clock pauses), resubmission, and acceptance.

A step at the counter asks whether the hall opens that day, supervisors' closures included: the caller
passes the hall's changed days in (``appointments.opening.hall_changes``), as appointments depends on cases
and not the other way round."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction

from exitentry.accounts.audit import Actor, record
from exitentry.bilingual import cny
from exitentry.cases import lifecycle, numbers, registry_facts
from exitentry.cases.models import Case, DeficiencyNotice, Material, Pause, Receipt
from exitentry.cases.services.payments import fee_of
from exitentry.cases.services.reading import Refused, advice_for, refuse_expired_passport, typed
from exitentry.cases.services.steps import edit, lock_case, transition
from exitentry.law.advice import Advice
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.clocks import working_day_deadline
from exitentry.law.halls import Changes, closed_reason
from exitentry.law.intake import (
    PASSPORT_ITEMS,
    SELF,
    FactsIncomplete,
    InPerson,
    Required,
    SubmissionRefused,
    WhoMayHandIn,
    check_submitter,
    deficiencies,
    one_time_notice,
    originals_wait,
    recheck_after_notice,
    required_items,
    still_asked,
    still_outstanding_after_notice,
)
from exitentry.law.intake import comes_in_person as law_comes_in_person
from exitentry.law.intake import originals_unseen as law_originals_unseen
from exitentry.law.model import Procedure
from exitentry.law.text import Text, day_text
from exitentry.registry.models import TravelDocument

DEFECT_LIMIT = Material._meta.get_field("defect").max_length


_HALL_CLOSED = Text(
    "{hall} is closed on {day}: {reason} What is done at the counter is done on a day the hall opens.",
    "{hall_zh}{day_zh}不对外办公：{reason_zh}窗口业务须在大厅办公日办理。",
)


def counter_closed(case: Case, on: date, changes: Changes) -> Text | None:
    """Why the case's hall takes no counter step (receiving, accepting) on ``on``, or None on a day it
    opens: a day the law closes it or a supervisor's closure of that day (in ``changes``, the hall's
    changed days from ``on`` or earlier: ``appointments.opening.hall_changes``), with its reason. The one
    text the service refuses with and the case page shows before the click."""
    hall = catalog().halls.get(case.hall_id)
    if hall is None:
        return None
    reason = closed_reason(hall, on, changes)
    if reason is None:
        return None
    day = day_text(on)
    return _HALL_CLOSED.format(
        hall=hall.name.en,
        hall_zh=hall.name.zh,
        day=day.en,
        day_zh=day.zh,
        reason=reason.en,
        reason_zh=reason.zh,
    )


def at_the_counter(case: Case, on: date, changes: Changes) -> None:
    """Refuse a counter step (receiving, accepting) on a day the case's hall is closed (``counter_closed``):
    the applicant cannot stand at a closed counter, and the processing clock never starts on a day the
    hall does not work."""
    reason = counter_closed(case, on, changes)
    if reason is not None:
        raise Refused("on", reason)


def pre_examine(actor: Actor, case: Case, on: date | None = None) -> Case:
    on = on or beijing_today()
    return transition(actor, case, "pre_examine", lambda c, _: setattr(c, "pre_examined_on", on), on=on)


WHO_HANDS_IN = Text(
    "Choose who hands in the materials: the applicant in person, or someone else.",
    "请选择递交材料的人：申请人本人，或他人代为递交。",
)


def receive(
    actor: Actor,
    case: Case,
    *,
    changes: Changes,
    applicant_present: bool | None = None,
    on: date | None = None,
) -> Case:
    """The hall has the paper materials: the processing clock starts (``changes``: as ``counter_closed``),
    and the case keeps the travel document the person holds that day, which its receipt, notices and
    decision name.

    Filing a case online is open to units and proxies; handing it in without the applicant is what the
    proxy rules govern (Regulations Arts. 16, 19): when the applicant is not present, the rules must
    allow someone else to apply for these facts, and the trustee's ID copy becomes a required item.
    Who stands at the counter is a fact only the officer sees, so ``applicant_present`` has no default
    (None is refused), whoever filed the case: presuming "in person" would record a presence no one
    checked and skip those rules. A case the applicant filed for themself is handed in by them in
    person (Art. 16), so for it False is refused too, and the officer records the presence seen.
    """
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        at_the_counter(c, on, changes)
        if applicant_present is None:
            raise Refused("applicant_present", WHO_HANDS_IN)
        if not applicant_present:
            try:
                check_submitter(advice_for(c, on), c.acting_as, applicant_present=False)
            except SubmissionRefused as exc:
                raise Refused("applicant_present", exc.text, exc.cite) from None
            except FactsIncomplete as exc:
                raise Refused("facts", exc.text) from None
        c.applicant_present = applicant_present
        c.received_on = c.received_on or on
        if c.travel_document_id is None:  # the passport handed in: the case's documents name it
            c.travel_document = c.person.travel_document_on(on)
        if c.travel_document is not None and c.travel_document.claim:
            _confirm(actor, c.travel_document)

    return transition(actor, case, "receive", change, on=on)


_HELD_BY_ANOTHER = Text(
    "The registry holds this passport number under another person: check the passport handed in and "
    "correct the record before receiving the application.",
    "登记系统中此护照号码属于另一人：请核对所交护照并更正记录后再受理申请。",
)


def _confirm(actor: Actor, document: TravelDocument) -> None:
    """The officer has the passport in hand: the applicant's side's claim (``TravelDocument.claim``)
    becomes the registry's, unless the registry holds the number under another person (refused)."""
    held = TravelDocument.objects.filter(
        issuing_country=document.issuing_country, number=document.number, claim=False
    ).exclude(person_id=document.person_id)
    if held.exists():
        raise Refused("travel_document", _HELD_BY_ANOTHER)
    confirm_claim(document)
    record(actor, "person.document.confirm", "person", document.person_id, new={"document": document.pk})


def confirm_claim(document: TravelDocument) -> None:
    """Make ``document`` the registry's, in a savepoint: another claim of its number confirmed since the
    check (two intakes at once) hits the one-document-per-number index and is refused, not a 500."""
    try:
        with transaction.atomic():
            TravelDocument.objects.filter(pk=document.pk).update(claim=False)
    except IntegrityError:
        raise Refused("travel_document", _HELD_BY_ANOTHER) from None
    document.claim = False


def mark_material(
    actor: Actor,
    material: Material,
    *,
    defect: str = "",
    defect_zh: str = "",
    original_seen: bool | None = None,
) -> Material:
    """Mark a file defective, with what is wrong in English and (optionally) Chinese, or in order (both
    empty); and whether its original was seen."""
    with transaction.atomic():
        lock_case(actor, material.case, "review_materials")
        fields = ("defect", "defect_zh", "original_seen")
        old = {name: getattr(material, name) for name in fields}
        material.defect = typed("defect", defect, limit=DEFECT_LIMIT, required=False)
        material.defect_zh = typed("defect_zh", defect_zh, limit=DEFECT_LIMIT, required=False)
        if original_seen is not None:
            material.original_seen = original_seen
        material.save(update_fields=list(fields))
        record(
            actor,
            "material.review",
            "material",
            material.pk,
            old=old,
            new={name: getattr(material, name) for name in fields},
        )
    return material


_NOT_ON_PAPER = Text(
    "Only a required item still missing or defective on a received application is recorded as handed in "
    "on paper.",
    "只有已接收申请中仍缺少或不符合要求的必需材料，才能记录为窗口收到纸质材料。",
)


def receive_on_paper(actor: Actor, case: Case, material_id: str, on: date | None = None) -> Material:
    """Record a required item the applicant handed in on paper at the counter, its original seen by the
    officer who holds it: the hall receives paper, and a one-time notice must not ask for what it holds.
    Only an item still missing or defective (``outstanding``) on a received case, by the hall's side;
    audited with the item. A defect noted later is marked on it as on a file (``mark_material``)."""
    on = on or beijing_today()
    with transaction.atomic():
        locked, _ = lock_case(actor, case, "review_materials")
        open_items = {d.item.id for d in outstanding(locked, on)} if locked.received_on else set()
        if material_id not in open_items:
            raise Refused("material_id", _NOT_ON_PAPER)
        material = Material.objects.create(
            case=locked,
            material_id=material_id,
            original_name="",
            content_type="",
            size=0,
            sha256="",
            original_seen=True,
            uploaded_by=actor.user,
        )
        record(
            actor,
            "material.paper",
            "case",
            locked.pk,
            new={"material_id": material_id, "material": material.pk},
        )
    return material


def comes_in_person(case: Case, on: date) -> InPerson | WhoMayHandIn | None:
    """What the filer is told before the hall receives the case: the applicant must come in person, or who
    may hand it in instead of the filer, as the law core's proxy rules say for its facts on ``on``
    (``law.intake.comes_in_person``); None once the
    hall received it or it is closed, where a proxy is allowed, or where the facts cannot be read."""
    if case.received_on is not None or case.closed_on is not None:
        return None
    try:
        return law_comes_in_person(advice_for(case, on), case.acting_as)
    except Refused:
        return None


_NOTHING_MISSING = Text("The rules need no further answer for this case.", "本申请的规则不再需要其他答复。")
_ANSWERED = Text(
    "Only an answer the rules still need is recorded at the counter; the filer's answers stay as they were.",
    "窗口只记录规则仍需的答复，不修改申请人已填写的答复。",
)


def missing_facts(case: Case, on: date) -> tuple:
    """The facts the rules still need on ``on`` (``Advice.missing``) from whoever may still give them: a
    draft's filer (``update_facts``), or the hall at the counter once it is filed (``record_missing_facts``);
    none for a decided, withdrawn or expired case, nor where the stored facts cannot be read (the steps that
    read them say why)."""
    if case.state != lifecycle.State.DRAFT and case.state not in lifecycle.action("record_facts").states:
        return ()
    try:
        return advice_for(case, on).missing
    except Refused:
        return ()


def record_missing_facts(
    actor: Actor, case: Case, answers: Mapping[str, object], on: date | None = None
) -> Case:
    """Record at the counter the answers the rules still need on ``on`` (``Advice.missing``): a case filed
    before a requirement was added (the one-stop procedures' validity) would otherwise have no one-time
    list (Regulations Art. 18 para. 2). A fact the filer answered is not changed here (``Refused``); an
    answer a fact refuses is ``Refused`` as in the advisor. As at every change of a case's facts, the
    registry's facts are read as they stand on ``on`` (``registry_facts.apply``; a disagreement with the
    stored ones is ``Refused``). Audited, with the facts before and after."""
    on = on or beijing_today()

    def change(c: Case, procedure: Procedure) -> None:
        missing = {f.id for f in advice_for(c, on).missing}
        if not missing:
            raise Refused("facts", _NOTHING_MISSING)
        given = {k: v for k, v in answers.items() if v not in ("", None)}
        for name in given:
            if name not in missing:
                raise Refused(f"facts.{name}", _ANSWERED)
        if not given:
            raise Refused(f"facts.{sorted(missing)[0]}", still_asked(advice_for(c, on), _STILL_NEEDED))
        registry_facts.apply(c, procedure, given, on)
        advice_for(c, on)

    return edit(actor, case, "record_facts", change)


_STILL_NEEDED = Text("Record the answers the rules still need:", "请记录规则仍需的答复：")


def _submitter(case: Case) -> str:
    """Who handed the materials in, as the law core's intake rules count it."""
    return SELF if case.applicant_present is not False else case.acting_as


def held_passport(case: Case) -> bool:
    """Whether the hall holds the case's passport: received with it in hand (``receive`` keeps the travel
    document and confirms a claimed one), so the checklist's passport items (``law.intake.PASSPORT_ITEMS``)
    are received and seen."""
    return case.received_on is not None and case.travel_document_id is not None


def required(case: Case, on: date, advice: Advice | None = None) -> tuple[Required, ...]:
    """Every item the hall must receive for the case's facts on ``on`` (``law.intake.required_items``),
    each with the sources that say the hall sees its original; ``advice`` where the caller has it."""
    try:
        return required_items(advice or advice_for(case, on), _submitter(case))
    except (FactsIncomplete, SubmissionRefused) as exc:
        raise Refused("facts", exc.text) from None


def outstanding(
    case: Case, on: date, materials: list[Material] | None = None, advice: Advice | None = None
) -> tuple:
    """The one-time list as it stands: every required item missing or defective (``law.intake``).

    ``materials`` are the case's and ``advice`` its advice on ``on``, where the caller has them already."""
    advice = advice or advice_for(case, on)
    received: dict[str, Text | None] = {}
    for m in case.materials.all() if materials is None else materials:
        if m.defective:
            received.setdefault(m.material_id, m.defect_text())
        else:
            received[m.material_id] = None
    if held_passport(case):
        for item in PASSPORT_ITEMS:
            received.setdefault(item, None)  # an officer's note on an uploaded copy still stands
    try:
        return deficiencies(advice, received, _submitter(case))
    except (FactsIncomplete, SubmissionRefused) as exc:
        raise Refused("facts", exc.text) from None


def originals_unseen(case: Case, on: date, materials: list[Material] | None = None) -> tuple[Required, ...]:
    """The required items whose original the law core says the hall sees at intake
    (``law.intake.originals_unseen``) and none of whose files an officer marked original seen, the passport
    the hall holds apart (``held_passport``) (an item not received yet too: the one-time list names it first, and acceptance refuses that before this).

    ``materials`` are the case's, where the caller has read them already."""
    files = list(case.materials.all()) if materials is None else materials
    seen = {m.material_id for m in files if m.original_seen} | (
        PASSPORT_ITEMS if held_passport(case) else set()
    )
    advice = advice_for(case, on)
    try:
        return law_originals_unseen(advice, seen, _submitter(case))
    except (FactsIncomplete, SubmissionRefused) as exc:
        raise Refused("facts", exc.text) from None


def notify_deficiency(actor: Actor, case: Case, on: date | None = None) -> DeficiencyNotice:
    """Issue the one-time notice of everything missing or defective; the processing clock pauses. Once
    only: after the resubmission the hall re-checks the items (``law.intake.recheck_after_notice``)."""
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
        issued = c.deficiency_notices.order_by("number").first()
        if issued is not None:  # at one time: ``law.intake.recheck_after_notice``
            raise Refused("materials", recheck_after_notice(issued.number))
        n = 1
        notice = DeficiencyNotice.objects.create(
            case=c,
            number=numbers.notice(c.reference, n),
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

    transition(actor, case, "notify_deficiency", change, on=on)
    return notice_box[0]


def resubmit(actor: Actor, case: Case, on: date | None = None) -> Case:
    """The applicant brings what was missing: the pause ends, the clock runs again. Refused, as the
    submission is, while the person's travel document has expired that day (``refuse_expired_passport``):
    the wait for the materials may have outlasted it."""
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        refuse_expired_passport(c, on)
        c.pauses.filter(end__isnull=True).update(end=on)

    return transition(actor, case, "resubmit", change, on=on)


def accept(actor: Actor, case: Case, on: date | None = None, *, changes: Changes) -> Receipt:
    """Issue the acceptance receipt; its validity (working days from the catalog) is the decision's deadline
    (``changes``: as ``counter_closed``)."""
    on = on or beijing_today()
    box: list[Receipt] = []

    def change(c: Case, procedure: Procedure) -> None:
        at_the_counter(c, on, changes)
        found = outstanding(c, on)
        issued = c.deficiency_notices.order_by("number").first() if found else None
        if issued is not None:  # resubmitted still short: no second notice (``law.intake``)
            said = still_outstanding_after_notice(issued.number, len(found))
            raise Refused("materials", said, one_time_notice(procedure))
        if found:
            raise Refused(
                "materials",
                Text(
                    f"{len(found)} item(s) are missing or defective: issue the one-time notice first.",
                    f"有{len(found)}项材料缺少或不符合要求，请先出具一次性告知书。",
                ),
            )
        unseen = originals_unseen(c, on)
        if unseen:
            raise Refused("original_seen", *originals_wait(unseen))
        fee = fee_of(c, on)
        if fee.outstanding_at_acceptance:
            raise Refused(
                "fee",
                Text(
                    "{outstanding} of the {due} due when the application is accepted is outstanding (paid: "
                    "{paid}): take the payment, or record an exemption with its reason, before issuing the "
                    "acceptance receipt.",
                    "受理时应缴费用{due}，已缴{paid}，尚欠{outstanding}：请先收费，或登记免收费用及其理由，再出具受理回执。",
                ).format(
                    outstanding=cny(fee.outstanding_at_acceptance),
                    due=cny(fee.due_at_acceptance),
                    paid=cny(fee.paid),
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
                number=numbers.receipt(c.reference),
                issued_on=on,
                valid_until=valid_until,
                provisional=provisional,
                issued_by=actor.user,
            )
        )

    transition(actor, case, "accept", change, on=on)
    return box[0]
