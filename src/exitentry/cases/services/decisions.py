"""Verification (Art. 20), forwarding to the Ministry, and the decision: approval with a validity the
law allows, or refusal citing an Art. 21 ground."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction

from exitentry import clock
from exitentry.accounts.audit import Actor, record
from exitentry.cases import numbers
from exitentry.cases.lifecycle import IllegalTransition
from exitentry.cases.models import Case, Decision, VerificationTask
from exitentry.cases.services.intake import outstanding
from exitentry.cases.services.reading import Refused, typed
from exitentry.cases.services.steps import lock_case, transition
from exitentry.law.calendar import beijing_today
from exitentry.law.facts import DurationTooLong
from exitentry.law.model import Procedure
from exitentry.law.rules.grounds import MATERIALS_NOT_PROVIDED, UnknownGround, ground_for, refusal_ground
from exitentry.law.rules.permits import ValidityOutOfRange, check_approval, check_granted_materials
from exitentry.law.text import Text

OUTCOME_LIMIT = 2000  # what a verification found, as the officer writes it

_NOT_A_DURATION = Text(
    "Give the validity as a duration, e.g. P2Y (two years) or P180D (180 days).",
    "请按期限格式填写有效期，如P2Y（两年）或P180D（180天）。",
)


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
        locked, _ = lock_case(actor, case, "verify")
        task = VerificationTask.objects.create(case=locked, kind=kind, opened_by=actor.user)
        record(actor, "task.open", "case", locked.pk, new={"task": task.pk, "kind": kind})
    return task


def close_task(actor: Actor, task: VerificationTask, outcome: str) -> VerificationTask:
    outcome = typed(
        "outcome",
        outcome,
        limit=OUTCOME_LIMIT,
        lines=True,
        empty=Text("Say what the verification found.", "请填写核查结果。"),
    )
    with transaction.atomic():
        lock_case(actor, task.case, "verify")
        task = VerificationTask.objects.select_for_update().get(pk=task.pk)
        if task.done_at is not None:
            raise IllegalTransition(Text("this verification task is already closed", "该核查任务已经结束。"))
        task.done_at, task.outcome = clock.now(), outcome
        task.save(update_fields=["done_at", "outcome"])
        record(actor, "task.close", "case", task.case_id, new={"task": task.pk, "outcome": task.outcome})
    return task


def forward_to_ministry(actor: Actor, case: Case, on: date | None = None) -> Case:
    return transition(actor, case, "forward_to_ministry", lambda c, _: None, on=on or beijing_today())


def decision_blocked(case: Case, tasks: Iterable[VerificationTask] | None = None) -> Text | None:
    """Why no decision may be taken on ``case`` yet (None: it may): a verification task is still open.
    The page shows it in place of the decision forms (from the ``tasks`` it read); ``decide`` refuses
    with it."""
    if tasks is not None:
        still_open = any(t.done_at is None for t in tasks)
    else:
        still_open = case.tasks.filter(done_at__isnull=True).exists()
    if still_open:
        return Text("Close the open verification tasks first.", "请先完成未结的核查任务。")
    return None


def decide(
    actor: Actor, case: Case, outcome: str, *, validity: str = "", ground_id: str = "", on: date | None = None
) -> Decision:
    """Approve with a validity the law allows for the permit and that needs no material the application
    did not include (``check_granted_materials``: a health certificate above one year), or refuse citing a ground of the kind the law
    core gives for what is applied for (``refusal_ground``: Art. 21, the Exit and Entry Administration
    Law's Art. 31 for a first residence permit, or the procedure's own conditions). Final."""
    on = on or beijing_today()
    box: list[Decision] = []

    def change(c: Case, procedure: Procedure) -> None:
        blocked = decision_blocked(c)
        if blocked is not None:
            raise Refused("tasks", blocked)
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
                refusal_ground(procedure, ground_id, on)
            except UnknownGround as exc:
                raise Refused("ground_id", exc.text) from None
        box.append(_record(actor, c, outcome, on, validity=validity, ground_id=ground_id))

    transition(actor, case, "decide", change, on=on, outcome=outcome)
    return box[0]


def _record(actor: Actor, case: Case, outcome: str, on: date, **said: str) -> Decision:
    """The decision on ``case`` (locked), once: a second is refused by the one-decision-per-case constraint."""
    case.decided_on = on
    try:
        with transaction.atomic():
            return Decision.objects.create(
                case=case,
                number=numbers.decision(case.reference),
                outcome=outcome,
                decided_on=on,
                decided_by=actor.user,
                **said,
            )
    except IntegrityError:
        raise IllegalTransition(Text("this case is already decided", "此申请已经作出决定。")) from None


_NO_NOTICE_YET = Text(
    "Issue the one-time notice first: an application is refused for missing materials only once they were "
    "listed at one time and resubmitted.",
    "请先出具一次性告知书：一次性告知所缺材料并补正后，仍未提供的，方可因此不予批准。",
)
_NOTHING_SHORT = Text(
    "Nothing is missing or defective any more: accept the application instead.",
    "已无缺少或不符合要求的材料，请直接受理。",
)


def refuse_short_of_materials(actor: Actor, case: Case, on: date | None = None) -> Decision:
    """Decide "not approved" on a case resubmitted after its one-time notice and still short of materials
    (``intake.outstanding``), on Regulations Art. 21(1), "failure to provide application materials as
    required" (``law.rules.grounds.refused_short_of_materials``; the lifecycle's ``refuse_short`` allows it
    only where Art. 21 reaches the procedure, only to the case's hall). Final, as ``decide``."""
    on = on or beijing_today()
    box: list[Decision] = []

    def change(c: Case, procedure: Procedure) -> None:
        if not c.deficiency_notices.exists():
            raise Refused("materials", _NO_NOTICE_YET)
        if not outstanding(c, on):
            raise Refused("materials", _NOTHING_SHORT)
        try:
            ground = ground_for("refusal", MATERIALS_NOT_PROVIDED, on)
        except UnknownGround as exc:
            raise Refused("ground_id", exc.text) from None
        box.append(_record(actor, c, Decision.Outcome.REFUSED, on, ground_id=ground.id))

    transition(actor, case, "refuse_short", change, on=on)
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
    except DurationTooLong as exc:
        raise Refused("validity", exc.text) from None
    except ValueError:
        raise Refused("validity", _NOT_A_DURATION) from None
    try:  # what the validity granted needs beyond the materials applied with (as the hall received them)
        check_granted_materials(case.procedure_id, case.facts, validity, case.received_on or on)
    except ValidityOutOfRange as exc:
        raise Refused("validity", exc.text, exc.cite) from None
