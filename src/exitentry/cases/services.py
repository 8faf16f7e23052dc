"""Everything that changes a case, one function per action.

Each runs in one transaction: lock the case row, ask the lifecycle table whether the user's side may take
the action in the case's state (``cases.access``, ``cases.lifecycle``), ask the law core (advice, intake, clocks, permits, grounds), change the case, and
write its event and audit entry. Two officers acting at once are serialised by the row lock, and the
second is refused by the state machine; the one-decision-per-case constraint stands behind that.

A refusal a person can act on is a ``Refused`` (the field, the message in both languages and, where the
law decides, its citations); the API answers it with 422 and the pages show it beside the field, in the
page's language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Role
from exitentry.cases import access
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.models import (
    Case,
    CaseEvent,
    Decision,
    DeficiencyNotice,
    FeeExemption,
    Material,
    Pause,
    Payment,
    Receipt,
    VerificationTask,
)
from exitentry.law.advice import COMPLETE, Advice, NotInForce, advise
from exitentry.law.calendar import beijing_today
from exitentry.law.catalog import UnknownProcedure, catalog
from exitentry.law.clocks import working_day_deadline
from exitentry.law.facts import Duration, FactError
from exitentry.law.intake import (
    AGENCY,
    PROXY,
    SELF,
    TRUSTEE_ID,
    UNIT,
    FactsIncomplete,
    SubmissionRefused,
    check_submitter,
    deficiencies,
    still_asked,
)
from exitentry.law.model import Procedure
from exitentry.law.rules.grounds import UnknownGround, ground
from exitentry.law.rules.permits import ValidityOutOfRange, check_approval, last_valid_day
from exitentry.law.text import Text
from exitentry.registry import services as registry
from exitentry.registry.models import Permit, Person

# Procedures whose catalog lists no hall (the one-stop service's counters) are received here.
ONE_STOP_COUNTER = "one-stop-counter"
ONE_STOP_COUNTER_NAME = Text("One-stop service counter", "一站式服务窗口")
SNIFF = {b"%PDF-": "application/pdf", b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}

_STILL_ASKED = Text("Answer what the rules still need:", "申请仍需回答：")
_TOO_LARGE = Text(
    "The file is too large ({size} bytes); at most {max} bytes are taken.",
    "文件过大（{size}字节）；最多接受{max}字节。",
)
_NOT_A_DOCUMENT = Text("Upload only PDF, JPEG and PNG files.", "仅接受PDF、JPEG和PNG文件。")
_MISLABELLED = Text(
    "The file says it is {said} but its content is {content}. Upload the file as it is.",
    "文件标明为{said}，但实际内容为{content}。请按原格式上传文件。",
)
_NOT_A_DURATION = Text(
    "Give the validity as a duration, e.g. P2Y (two years) or P180D (180 days).",
    "请按期限格式填写有效期，如P2Y（两年）或P180D（180天）。",
)


class Refused(ValueError):
    """A request the rules or the data refuse; ``field`` names what to change, ``message`` says why in
    both languages (``str()`` gives the field and the English)."""

    def __init__(self, field: str, message: Text, cite: tuple = ()):
        self.field, self.message, self.cite = field, message, cite
        super().__init__(f"{field}: {message.en}")


# --- reading ---------------------------------------------------------------------------------------


def procedure_of(procedure_id: str, on: date) -> Procedure:
    try:
        procedure = catalog().procedure(procedure_id)
    except UnknownProcedure as exc:
        raise Refused("procedure", exc.text) from None
    if not procedure.in_force_on(on):
        raise Refused("procedure", NotInForce(procedure, on).text)
    return procedure


def advice_for(case: Case, on: date) -> Advice:
    try:
        return advise(case.procedure_id, case.facts, on=on)
    except FactError as exc:
        raise Refused(f"facts.{exc.fact}", exc.text) from None
    except NotInForce as exc:
        raise Refused("procedure", exc.text) from None


def hall_choices(procedure: Procedure) -> tuple[str, ...]:
    """Where this procedure may be submitted: the catalog's halls, or the one-stop counters."""
    halls = tuple(h.id for h in catalog().halls_for(procedure))
    return halls or (ONE_STOP_COUNTER,)


def hall_label(hall_id: str) -> Text:
    """A hall's name from the catalog; the one-stop counters are named here (the catalog has none)."""
    if hall_id == ONE_STOP_COUNTER:
        return ONE_STOP_COUNTER_NAME
    hall = catalog().halls.get(hall_id)
    return hall.name if hall is not None else Text(hall_id, hall_id)


def fee_due(case: Case, on: date) -> int | None:
    return advice_for(case, on).fee_total_cny


@dataclass(frozen=True, slots=True)
class Fee:
    """Where a case's fee stands: due (None where the sources state no fee), paid, and any exemption."""

    due: int | None
    paid: int
    payments: tuple[Payment, ...]
    exemption: FeeExemption | None

    @property
    def outstanding(self) -> int:
        return 0 if self.due is None or self.exemption is not None else max(self.due - self.paid, 0)


def fee_of(case: Case, on: date, payments=None) -> Fee:
    """The fee as it stands; the amount due is fixed on the day the hall received the materials.

    ``payments`` are the case's, where the caller has read them already."""
    payments = tuple(case.payments.all() if payments is None else payments)
    try:
        exemption = case.fee_exemption
    except FeeExemption.DoesNotExist:
        exemption = None
    return Fee(
        fee_due(case, case.received_on or on), sum(p.amount_cny for p in payments), payments, exemption
    )


# --- the applicant's side ---------------------------------------------------------------------------


def start_case(
    actor: Actor,
    *,
    procedure_id: str,
    person: Person,
    facts: dict,
    acting_as: str | None = None,
    permit: Permit | None = None,
    on: date | None = None,
) -> Case:
    """A draft application. The facts are checked now, so a bad value is refused before anything is stored."""
    on = on or beijing_today()
    user = actor.user
    if not policy.may_start_case(user):
        raise PermissionDenied("only applicants, proxies and unit handlers start applications")
    if user.role == Role.APPLICANT and person.pk != user.person_id:
        raise PermissionDenied("an applicant applies for themself; a proxy or unit applies for others")
    if user.role != Role.APPLICANT and not _may_use_person(user, person):
        raise PermissionDenied("this person's record is not yours to use")
    default = {Role.APPLICANT: SELF, Role.UNIT: UNIT, Role.PROXY: AGENCY if user.unit_id else PROXY}[
        user.role
    ]
    acting_as = acting_as or default
    if acting_as != default and not (user.role == Role.PROXY and acting_as in (PROXY, AGENCY)):
        raise Refused(
            "acting_as",
            Text(
                f"This account ({user.role}) applies as {default}, not as {acting_as}.",
                f"此账户（{user.role}）只能以“{default}”身份申请，不能以“{acting_as}”身份申请。",
            ),
        )
    procedure = procedure_of(procedure_id, on)
    if permit is not None and permit.person_id != person.pk:
        raise Refused("permit", Text("The permit belongs to someone else.", "该证件属于他人。"))
    if procedure.casework.action != "issue" and permit is None:
        raise Refused(
            "permit",
            Text(
                f"Name the permit this {procedure.casework.action} acts on.",
                "请选择此项申请所针对的现有证件。",
            ),
        )
    case = Case(
        procedure_id=procedure.id,
        person=person,
        submitted_by=user,
        acting_as=acting_as,
        unit=user.unit if acting_as in (UNIT, AGENCY) else None,
        permit=permit,
        facts=dict(facts),
    )
    advice_for(case, on)  # refuses facts that do not parse
    with transaction.atomic():
        case.save()
        record(actor, "case.start", "case", case.pk, new={"procedure": procedure.id, "acting_as": acting_as})
    return case


def _may_use_person(user, person: Person) -> bool:
    """A proxy or unit may apply for a person it already applies for, or one no case names yet."""
    return not person.cases.exists() or person.cases.filter(access.case_rule(user, "view")).exists()


def update_facts(actor: Actor, case: Case, facts: dict, on: date | None = None) -> Case:
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        c.facts = {**c.facts, **facts}
        advice_for(c, on)

    return _edit(actor, case, "edit", change)


def submit(actor: Actor, case: Case, hall_id: str, on: date | None = None) -> Case:
    """Send the application: facts complete, eligible, a submitter the rules allow, a hall that takes it."""
    on = on or beijing_today()

    def change(c: Case, procedure: Procedure) -> None:
        advice = advice_for(c, on)
        if advice.status != COMPLETE:
            if advice.missing:
                raise Refused(f"facts.{advice.missing[0].id}", still_asked(advice, _STILL_ASKED))
            failed = next(a for a in advice.eligibility if a.met is False)
            raise Refused("facts", failed.failure or failed.text, failed.cite)
        halls = hall_choices(procedure)
        if hall_id not in halls:
            raise Refused(
                "hall_id",
                Text(
                    f"{hall_label(hall_id).en} does not take {procedure.title.en}; choose one of: "
                    f"{'; '.join(hall_label(h).en for h in halls)}.",
                    f"{hall_label(hall_id).zh}不受理“{procedure.title.zh}”，请从以下大厅中选择："
                    f"{'；'.join(hall_label(h).zh for h in halls)}。",
                ),
            )
        c.hall_id, c.submitted_on = hall_id, on
        if c.reference is None:
            c.reference = f"BJ{on.year}{c.pk:08d}"

    return _transition(actor, case, "submit", change)


def upload_material(
    actor: Actor,
    case: Case,
    material_id: str,
    upload: UploadedFile,
    *,
    translated: bool = False,
    on: date | None = None,
) -> Material:
    """Store one file for one required item; size, type (by content, not by name) and duplicates checked."""
    on = on or beijing_today()
    side = "review_materials" if policy.is_hall_side(actor.user) else "upload"
    with transaction.atomic():
        locked, _ = _locked(actor, case, side)
        advice = advice_for(locked, on)
        known = sorted({a.id for a in advice.materials} | {TRUSTEE_ID})
        if material_id not in known:
            raise Refused(
                "material_id",
                Text(
                    f"{material_id!r} is not a material of {locked.procedure_id}; choose one of the materials "
                    f"listed ({', '.join(known)}).",
                    f"“{material_id}”不是此项申请的材料，请从所列材料中选择（{'、'.join(known)}）。",
                ),
            )
        if upload.size > settings.EXITENTRY_UPLOAD_MAX_BYTES:
            raise Refused(
                "file", _TOO_LARGE.format(size=upload.size, max=settings.EXITENTRY_UPLOAD_MAX_BYTES)
            )
        head = upload.read(16)
        sniffed = next((kind for magic, kind in SNIFF.items() if head.startswith(magic)), None)
        if sniffed is None:
            raise Refused("file", _NOT_A_DOCUMENT)
        if upload.content_type and upload.content_type != sniffed:
            raise Refused("file", _MISLABELLED.format(said=upload.content_type, content=sniffed))
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        sha = digest.hexdigest()
        if locked.materials.filter(sha256=sha).exists():
            raise Refused(
                "file",
                Text("This file was already received for this application.", "此文件已为本申请收到过。"),
            )
        material = Material(
            case=locked,
            material_id=material_id,
            original_name=upload.name[:200],
            content_type=sniffed,
            size=upload.size,
            sha256=sha,
            translated=translated,
            uploaded_by=actor.user,
        )
        material.file.save(sha, upload, save=False)
        material.save()
        record(
            actor,
            "material.upload",
            "case",
            locked.pk,
            new={"material_id": material_id, "sha256": sha, "size": upload.size},
        )
    return material


def withdraw(actor: Actor, case: Case, on: date | None = None) -> Case:
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        c.closed_on = on
        c.pauses.filter(end__isnull=True).update(end=on)

    return _transition(actor, case, "withdraw", change)


# --- the hall's side ----------------------------------------------------------------------------------


def pre_examine(actor: Actor, case: Case, on: date | None = None) -> Case:
    on = on or beijing_today()
    return _transition(actor, case, "pre_examine", lambda c, _: setattr(c, "pre_examined_on", on))


def receive(actor: Actor, case: Case, *, applicant_present: bool = True, on: date | None = None) -> Case:
    """The hall has the paper materials: the processing clock starts.

    Filing a case online is open to units and proxies; handing it in without the applicant is what the
    proxy rules govern (Regulations Arts. 16, 19): when the applicant is not present, the rules must
    allow someone else to apply for these facts, and the trustee's ID copy becomes a required item.
    """
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
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

    return _transition(actor, case, "receive", change)


def mark_material(
    actor: Actor, material: Material, *, defect: str = "", original_seen: bool | None = None
) -> Material:
    with transaction.atomic():
        _locked(actor, material.case, "review_materials")
        old = {"defect": material.defect, "original_seen": material.original_seen}
        material.defect = defect.strip()[:300]
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

    _transition(actor, case, "notify_deficiency", change)
    return notice_box[0]


def resubmit(actor: Actor, case: Case, on: date | None = None) -> Case:
    """The applicant brings what was missing: the pause ends, the clock runs again."""
    on = on or beijing_today()
    return _transition(actor, case, "resubmit", lambda c, _: c.pauses.filter(end__isnull=True).update(end=on))


def accept(actor: Actor, case: Case, on: date | None = None) -> Receipt:
    """Issue the acceptance receipt; its validity (working days from the catalog) is the decision's deadline."""
    on = on or beijing_today()
    box: list[Receipt] = []

    def change(c: Case, _: Procedure) -> None:
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

    _transition(actor, case, "accept", change)
    return box[0]


def open_task(actor: Actor, case: Case, kind: str) -> VerificationTask:
    kinds = VerificationTask.Kind.values
    if kind not in kinds:
        raise Refused(
            "kind",
            Text(
                f"Choose the kind of verification: one of {', '.join(kinds)}.",
                f"请选择核查方式（{'、'.join(kinds)}）。",
            ),
        )
    with transaction.atomic():
        locked, _ = _locked(actor, case, "verify")
        task = VerificationTask.objects.create(case=locked, kind=kind, opened_by=actor.user)
        record(actor, "task.open", "case", locked.pk, new={"task": task.pk, "kind": kind})
    return task


def close_task(actor: Actor, task: VerificationTask, outcome: str) -> VerificationTask:
    from django.utils import timezone

    if not outcome.strip():
        raise Refused("outcome", Text("Say what the verification found.", "请填写核查结果。"))
    with transaction.atomic():
        _locked(actor, task.case, "verify")
        task = VerificationTask.objects.select_for_update().get(pk=task.pk)
        if task.done_at is not None:
            raise IllegalTransition(Text("this verification task is already closed", "该核查任务已经结束。"))
        task.done_at, task.outcome = timezone.now(), outcome.strip()
        task.save(update_fields=["done_at", "outcome"])
        record(actor, "task.close", "case", task.case_id, new={"task": task.pk, "outcome": task.outcome})
    return task


def forward_to_ministry(actor: Actor, case: Case) -> Case:
    return _transition(actor, case, "forward_to_ministry", lambda c, _: None)


def decide(
    actor: Actor, case: Case, outcome: str, *, validity: str = "", ground_id: str = "", on: date | None = None
) -> Decision:
    """Approve with a validity the law allows for the permit, or refuse citing an Art. 21 ground. Final."""
    on = on or beijing_today()
    box: list[Decision] = []

    def change(c: Case, procedure: Procedure) -> None:
        if c.tasks.filter(done_at__isnull=True).exists():
            raise Refused(
                "tasks", Text("Close the open verification tasks first.", "请先完成未结的核查任务。")
            )
        if outcome == Decision.Outcome.APPROVED:
            if ground_id:
                raise Refused(
                    "ground_id", Text("An approval cites no refusal ground.", "批准决定不引用不予批准理由。")
                )
            _check_validity(c, procedure, validity, on)
        else:
            if validity:
                raise Refused("validity", Text("A refusal gives no validity.", "不予批准决定不设有效期。"))
            try:
                g = ground(ground_id)
            except UnknownGround as exc:
                raise Refused("ground_id", exc.text) from None
            if g.kind != "refusal" or not g.in_force_on(on):
                raise Refused(
                    "ground_id",
                    Text(
                        f"{ground_id} is not a refusal ground (Art. 21) in force on {on}: choose one of the "
                        "refusal grounds listed.",
                        f"“{ground_id}”不是{on}有效的不予批准理由（第二十一条），请从所列不予批准理由中选择。",
                    ),
                )
        c.decided_on = on
        try:
            with transaction.atomic():
                box.append(
                    Decision.objects.create(
                        case=c,
                        number=f"{c.reference}-D",
                        outcome=outcome,
                        validity=validity,
                        ground_id=ground_id,
                        decided_on=on,
                        decided_by=actor.user,
                    )
                )
        except IntegrityError:
            raise IllegalTransition(Text("this case is already decided", "此申请已经作出决定。")) from None

    _transition(actor, case, "decide", change, outcome=outcome)
    return box[0]


def _check_validity(case: Case, procedure: Procedure, validity: str, on: date) -> None:
    try:
        check_approval(
            procedure.casework,
            case.permit.permit_type if case.permit else None,
            validity,
            on,
            case.person.birth_date,
            case.facts,
        )
    except ValidityOutOfRange as exc:
        raise Refused("validity", exc.text, exc.cite) from None
    except ValueError:
        raise Refused("validity", _NOT_A_DURATION) from None


def issue(actor: Actor, case: Case, on: date | None = None) -> Case:
    """Record the approved permit in the registry: a new one, or an event on the one held."""
    on = on or beijing_today()

    def change(c: Case, procedure: Procedure) -> None:
        work, decision = procedure.casework, c.decision
        extends_stay = work.permit == "visa" and work.action == "extension"
        valid_until = (
            last_valid_day(on, Duration.parse(decision.validity))
            if decision.validity and not extends_stay
            else None
        )
        if work.action == "issue" or c.permit is None:
            kind = work.permit
            c.permit = registry.issue_permit(
                c.person,
                kind,
                number=f"{c.reference}-{kind[:2].upper()}",
                issued_on=on,
                valid_until=valid_until,
                permit_type=work.permit_type or "",
                case=c,
            )
        elif work.action == "endorsement":
            registry.change_permit(
                c.permit, "endorsement", case=c, endorsement={"endorsed_on": on.isoformat()}
            )
        elif work.permit == "visa" and work.action == "extension":
            # The stay's last day moves by the days granted (Art. 14: for the current entry only).
            if c.permit.valid_until is not None:
                added = Duration.parse(decision.validity).days
                registry.change_permit(
                    c.permit, "extension", case=c, valid_until=c.permit.valid_until + timedelta(days=added)
                )
        else:
            changes: dict[str, object] = {"valid_until": valid_until} if valid_until else {}
            if work.action in ("renewal", "reissue", "replacement"):
                changes["number"] = f"{c.reference}-{work.action[:2].upper()}"
            registry.change_permit(c.permit, work.action, case=c, **changes)
        if work.with_work_permit:
            registry.issue_permit(
                c.person,
                "work-permit",
                number=f"{c.reference}-WP",
                issued_on=on,
                valid_until=valid_until,
                case=c,
            )

    return _transition(actor, case, "issue", change)


def mark_ready(actor: Actor, case: Case, on: date | None = None) -> Case:
    on = on or beijing_today()
    return _transition(actor, case, "mark_ready", lambda c, _: setattr(c, "ready_on", on))


def collect(actor: Actor, case: Case, on: date | None = None) -> Case:
    """The permit is handed over at the hall, once the fee is paid in full or its exemption recorded (the
    guides' "pay and collect" step: the fee is paid at the hall, at collection at the latest)."""
    on = on or beijing_today()

    def change(c: Case, _: Procedure) -> None:
        fee = fee_of(c, on)
        if fee.outstanding:
            raise Refused(
                "fee",
                Text(
                    f"{fee.outstanding} CNY of the {fee.due} CNY fee is outstanding (paid: {fee.paid} CNY): "
                    "take the payment, or record an exemption with its reason, before the permit is collected.",
                    f"应缴费用{fee.due}元，已缴{fee.paid}元，尚欠{fee.outstanding}元：请先收费，"
                    "或登记免收费用及其理由，再办理领取。",
                ),
            )
        c.closed_on = on

    return _transition(actor, case, "collect", change)


def exempt_fee(actor: Actor, case: Case, reason: str) -> FeeExemption:
    """The hall waives what is outstanding of the fee, and records why (audited)."""
    reason = reason.strip()
    if not reason:
        raise Refused("reason", Text("Say why the fee is waived.", "请填写免收费用的理由。"))
    with transaction.atomic():
        locked, _ = _locked(actor, case, "exempt_fee")
        if FeeExemption.objects.filter(case=locked).exists():
            raise Refused(
                "reason",
                Text("A fee exemption is already recorded for this application.", "此申请已登记免收费用。"),
            )
        exemption = FeeExemption.objects.create(case=locked, reason=reason[:300], recorded_by=actor.user)
        record(actor, "case.exempt_fee", "case", locked.pk, new={"reason": exemption.reason})
    return exemption


def record_payment(actor: Actor, case: Case, amount_cny: int, method: str, on: date | None = None) -> Payment:
    """Take a fee payment; the amount due is the law core's fee total for the case's facts."""
    on = on or beijing_today()
    with transaction.atomic():
        locked, _ = _locked(actor, case, "pay")
        due = fee_due(locked, locked.received_on or on)
        if due is None:
            raise Refused(
                "amount_cny",
                Text(
                    "The sources state no fee for this application; nothing can be charged.",
                    "资料未规定此项申请的收费，不能收费。",
                ),
            )
        paid = sum(p.amount_cny for p in locked.payments.all())
        if amount_cny <= 0 or amount_cny > due - paid:
            raise Refused(
                "amount_cny",
                Text(
                    f"{due - paid} CNY of the {due} CNY fee is outstanding.",
                    f"应缴费用{due}元，尚欠{due - paid}元。",
                ),
            )
        payment = Payment.objects.create(
            case=locked, amount_cny=amount_cny, method=method[:20], received_by=actor.user
        )
        record(actor, "case.pay", "case", locked.pk, new={"amount_cny": amount_cny, "method": payment.method})
    return payment


# --- the machinery -----------------------------------------------------------------------------------


def _locked(actor: Actor, case: Case, action: str, outcome: str | None = None) -> tuple[Case, str]:
    """The case row, locked for this transaction, and the state ``action`` leads it to, once the user's
    side may take it and its state and procedure allow it (``access.check``)."""
    locked = Case.objects.select_for_update(of=("self",)).select_related("person", "permit").get(pk=case.pk)
    return locked, access.check(actor.user, action, locked, catalog().procedure(locked.procedure_id), outcome)


def _snapshot(case: Case) -> dict[str, object]:
    return {"state": case.state, "hall_id": case.hall_id, "decision_due": case.decision_due}


def _transition(
    actor: Actor,
    case: Case,
    action: str,
    change: Callable[[Case, Procedure], None],
    *,
    outcome: str | None = None,
) -> Case:
    with transaction.atomic():
        locked, to = _locked(actor, case, action, outcome)
        procedure = catalog().procedure(locked.procedure_id)
        old, from_state = _snapshot(locked), locked.state
        change(locked, procedure)
        locked.state = to
        locked.save()
        CaseEvent.objects.create(
            case=locked, action=action, from_state=from_state, to_state=to, actor=actor.user
        )
        record(actor, f"case.{action}", "case", locked.pk, old=old, new=_snapshot(locked))
    _refresh(case, locked)
    return locked


def _edit(actor: Actor, case: Case, action: str, change) -> Case:
    with transaction.atomic():
        locked, _ = _locked(actor, case, action)
        old = {"facts": locked.facts}
        change(locked, catalog().procedure(locked.procedure_id))
        locked.save(update_fields=["facts"])
        record(actor, f"case.{action}", "case", locked.pk, old=old, new={"facts": locked.facts})
    _refresh(case, locked)
    return locked


def _refresh(case: Case, locked: Case) -> None:
    """Bring the caller's object up to date with what was saved."""
    for field in Case._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
