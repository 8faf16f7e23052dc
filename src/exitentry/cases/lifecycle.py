"""The case lifecycle in one table: every action on a case, the states it is allowed in, the state it leads
to, the side that may take it, its inputs, its label in both languages, and any condition of the procedure.

Services, the API, the pages and the admin ask this table (through ``target`` here, and through
``cases.access`` for who may act); no state or action list is written anywhere else. An action not
allowed in the case's state is refused (``IllegalTransition``, saying why in both languages), never
logged and let through. Some actions exist only for some procedures: pre-examination where the
procedure's time limits count one (the one-stop service), forwarding to and deciding for the Ministry
where casework approval is "ministry" (permanent residence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from exitentry.bilingual import in_both
from exitentry.law.model import Procedure
from exitentry.law.rules.grounds import refused_short_of_materials
from exitentry.law.text import Text


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PRE_EXAMINED = "pre_examined", _("Passed pre-examination")
    RECEIVED = "received", _("Materials received at the hall")
    DEFICIENT = "deficient", _("Waiting for missing materials")
    ACCEPTED = "accepted", _("Accepted (receipt issued)")
    MINISTRY_REVIEW = "ministry_review", _("With the Ministry for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    ISSUED = "issued", _("Permit issued")
    READY = "ready", _("Ready for pick-up")
    COLLECTED = "collected", _("Collected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")  # a draft left untouched (``cases.expiry``), closed by no one's action


class Side(StrEnum):
    """Who acts: the applicant's side (the applicant, a proxy or agency, a unit handler, on its own cases),
    the hall's side (officers and supervisors, on cases submitted to their halls), supervisors alone."""

    APPLICANT = "applicant"
    HALL = "hall"
    SUPERVISOR = "supervisor"


class IllegalTransition(ValueError):
    """The action is not allowed from the case's state, or not for its procedure; ``text`` says why in
    both languages and ``str()`` in English."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


def state_label(state: str) -> Text:
    """The label of ``state`` in both languages."""
    return in_both(State(state).label)


def has_pre_examination(procedure: Procedure) -> bool:
    return any(r.counts == "pre-examination" for r in procedure.rules["time_limits"])


def needs_ministry(procedure: Procedure) -> bool:
    return procedure.casework.approval == "ministry"


# A condition of the procedure: the refusal, or None where the procedure allows the action in this state.
Condition = Callable[[Procedure, str], Text | None]
DECIDED = "decided"  # "decide" leads to APPROVED or REFUSED, by the outcome


@dataclass(frozen=True, slots=True)
class Action:
    """One row of the table."""

    id: str
    states: frozenset[str]
    sides: frozenset[Side]
    label: Text  # on its button
    to: str | None = None  # the state it leads to (DECIDED: by the outcome); None: the state stays
    done: Text | None = None  # in the case's history and the flash, for an action that moves the state
    inputs: tuple[str, ...] = ()
    makes: str = ""  # the document it issues (a notice, a receipt, a decision), if any
    condition: Condition | None = None
    refusal: Text | None = None  # when the state does not allow it; ``{state}`` is the state's label
    also: str = ""  # an action whose side must also allow it where the Ministry decides
    steps: tuple[tuple[str, Text], ...] = ()  # the labels of its parts (a verification opened, closed)

    def refused_in(self, state: str) -> Text:
        label = state_label(state)
        said = self.refusal or Text(
            f"cannot {self.id.replace('_', ' ')} a case that is {{state}}",
            "状态为“{state}”的申请不能{verb}。",
        )
        return Text(said.en.format(state=label.en), said.zh.format(state=label.zh, verb=self.label.zh))


def _no_pre_examination(procedure: Procedure, state: str) -> Text | None:
    if not has_pre_examination(procedure):
        return Text(f"{procedure.id} has no pre-examination", f"“{procedure.title.zh}”没有预审环节。")
    return None


def _pre_examined_first(procedure: Procedure, state: str) -> Text | None:
    if has_pre_examination(procedure) and state == State.SUBMITTED:
        return Text(
            f"{procedure.id} is pre-examined online before the hall receives the materials",
            f"“{procedure.title.zh}”须先在网上通过预审，大厅才能接收材料。",
        )
    return None


def _decided_here(procedure: Procedure, state: str) -> Text | None:
    if not needs_ministry(procedure):
        return Text(
            f"{procedure.id} is decided by the exit-entry administration, not the Ministry",
            f"“{procedure.title.zh}”由出入境管理机构决定，不报送公安部。",
        )
    return None


def _ministry_first(procedure: Procedure, state: str) -> Text | None:
    if needs_ministry(procedure) and state != State.MINISTRY_REVIEW:
        return Text(
            f"{procedure.id} is approved by the Ministry: forward it first",
            f"“{procedure.title.zh}”由公安部审批，请先报送公安部。",
        )
    return None


def _art_21_reaches(procedure: Procedure, state: str) -> Text | None:
    if not refused_short_of_materials(procedure.casework):
        return Text(
            f"{procedure.title.en} is not refused for missing materials: Regulations Art. 21 concerns extensions, "
            "renewals, reissues and stay permits; the application is accepted once the materials are brought",
            f"“{procedure.title.zh}”不因缺少材料而不予批准：《条例》第二十一条适用于延期、换发、补发和停留证件；"
            "材料补齐后方可受理。",
        )
    return None


S = State
APPLICANT, HALL, SUPERVISOR = (
    frozenset({Side.APPLICANT}),
    frozenset({Side.HALL}),
    frozenset({Side.SUPERVISOR}),
)
BOTH = APPLICANT | HALL
ALL_STATES = frozenset(S.values)
BEFORE_DECISION = frozenset(
    {S.DRAFT, S.SUBMITTED, S.PRE_EXAMINED, S.RECEIVED, S.DEFICIENT, S.ACCEPTED, S.MINISTRY_REVIEW}
)
# Files are taken until the materials are complete (the hall never sees a draft, so it reviews from submission).
TAKES_MATERIALS = frozenset({S.DRAFT, S.SUBMITTED, S.PRE_EXAMINED, S.RECEIVED, S.DEFICIENT})
# The fee is paid at the hall, each fee line when the law core says (``paid_at``): a fee for accepting the
# application before its receipt is issued (Regulations Art. 18), so from the materials' receipt at the
# counter on, and the rest before collection at the latest (the guides' "pay and collect" step). Recorded
# choice: nothing is charged while the case is deficient, for materials the hall has not taken in.
TAKES_FEES = frozenset({S.RECEIVED, S.ACCEPTED, S.MINISTRY_REVIEW, S.APPROVED, S.ISSUED, S.READY})
# Each state's stage as the law core's fee rule reads it (``law.model.FEE_CHARGED``); DEFICIENT is before the
# hall takes the materials in (the recorded choice above).
FEE_STAGE = {
    **dict.fromkeys((S.DRAFT, S.SUBMITTED, S.PRE_EXAMINED, S.DEFICIENT), "handing-in"),
    **dict.fromkeys((S.RECEIVED, S.ACCEPTED, S.MINISTRY_REVIEW), "held"),
    **dict.fromkeys((S.APPROVED, S.ISSUED, S.READY), "approved"),
    S.COLLECTED: "collected",
    S.REFUSED: "refused",
    S.WITHDRAWN: "withdrawn",
    S.EXPIRED: "expired",
}
VERIFYING = frozenset({S.ACCEPTED, S.MINISTRY_REVIEW})
# An appointment at a hall to hand in the materials: once submitted (pre-examined first, where the procedure
# has a pre-examination), and again to bring what the one-time notice lists.
BOOKABLE = frozenset({S.SUBMITTED, S.PRE_EXAMINED, S.DEFICIENT})
# Once the case is decided or closed no visit hands anything in: an appointment still booked then ends by
# itself (``appointments.moot``), its slot free for others.
NEEDS_NO_VISIT = ALL_STATES - BEFORE_DECISION
# Approved and not yet collected: one visit is still ahead, to pay the fee and collect the permit at the hall
# (the guides' "pay and collect" step), not one to hand anything in.
TO_COLLECT = frozenset({S.APPROVED, S.ISSUED, S.READY})
# While the hall keeps the passport for processing, from acceptance to collection: only then does the
# acceptance receipt stand in for it and cover the holder's stay (Regulations Arts. 13 and 18, para. 3).
# Once the application is withdrawn, refused or the permit collected, the passport is back and the receipt
# serves no more, whatever its last day: the document check (``verification.documents``) and the
# compliance scan (``compliance.scan``) both read this.
PASSPORT_HELD = frozenset({S.ACCEPTED, S.MINISTRY_REVIEW, S.APPROVED, S.ISSUED, S.READY})


def receipt_serves(state: str, closed_on: date | None = None, on: date | None = None) -> bool:
    """Whether a receipt of a case in ``state`` stands in for its passport (``PASSPORT_HELD``): today, or
    on a past day ``on`` where the case was closed (collected, withdrawn, refused) only after it."""
    return state in PASSPORT_HELD or (on is not None and closed_on is not None and closed_on > on)


_MATERIALS_REFUSED = Text(
    "materials are not taken for a case that is {state}", "状态为“{state}”的申请不接收材料。"
)
_TABLE = (
    Action("view", ALL_STATES, BOTH, Text("View", "查看")),
    Action("view_personal_data", ALL_STATES, HALL, Text("View personal data", "查看个人信息")),
    Action(
        "edit",
        frozenset({S.DRAFT}),
        APPLICANT,
        Text("Save", "保存"),
        inputs=("facts",),
        refusal=Text("a case that is {state} cannot be edited", "状态为“{state}”的申请不能修改。"),
    ),
    # A rule that came to need a fact after the case was filed (a requirement added since): the hall asks
    # the applicant at the counter and records the answer (``services.record_missing_facts``).
    Action(
        "record_facts",
        frozenset({S.SUBMITTED, S.PRE_EXAMINED, S.RECEIVED, S.DEFICIENT}),
        HALL,
        Text("Record the answers", "记录答复"),
        inputs=("facts",),
    ),
    Action(
        "upload",
        TAKES_MATERIALS,
        APPLICANT,
        Text("Upload", "上传"),
        inputs=("material_id", "file", "translated"),
        refusal=_MATERIALS_REFUSED,
    ),
    Action(
        "review_materials",
        TAKES_MATERIALS,
        HALL,
        Text("Save", "保存"),
        inputs=("material_id", "file", "translated", "defect", "defect_zh", "original_seen"),
        refusal=_MATERIALS_REFUSED,
    ),
    Action(
        "submit",
        frozenset({S.DRAFT}),
        APPLICANT,
        Text("Submit", "提交"),
        S.SUBMITTED,
        Text("Submitted", "已提交"),
        inputs=("hall_id",),
    ),
    Action(
        "pre_examine",
        frozenset({S.SUBMITTED}),
        HALL,
        Text("Pass pre-examination", "通过预审"),
        S.PRE_EXAMINED,
        Text("Passed pre-examination", "已通过预审"),
        condition=_no_pre_examination,
        refusal=Text("cannot pre examine a case that is {state}", "状态为“{state}”的申请不能进行预审。"),
    ),
    Action(
        "receive",
        frozenset({S.SUBMITTED, S.PRE_EXAMINED}),
        HALL,
        Text("Receive the materials", "接收材料"),
        S.RECEIVED,
        Text("Materials received at the hall", "大厅已收件"),
        inputs=("applicant_present",),
        condition=_pre_examined_first,
    ),
    Action(
        "notify_deficiency",
        frozenset({S.RECEIVED}),
        HALL,
        Text("Issue the one-time notice", "出具一次性告知书"),
        S.DEFICIENT,
        Text("One-time notice issued", "已出具一次性告知书"),
        makes="notice",
    ),
    Action(
        "resubmit",
        frozenset({S.DEFICIENT}),
        BOTH,
        Text("Resubmit the missing materials", "确认已补正材料"),
        S.RECEIVED,
        Text("Missing materials resubmitted", "已补正材料"),
    ),
    Action(
        "accept",
        frozenset({S.RECEIVED}),
        HALL,
        Text("Accept and issue the receipt", "受理并出具回执"),
        S.ACCEPTED,
        Text("Accepted, receipt issued", "已受理，已出具回执"),
        makes="receipt",
        refusal=Text("cannot accept a case that is {state}", "状态为“{state}”的申请不能受理。"),
    ),
    # Resubmitted after the one-time notice and still short (``services.refuse_short_of_materials``): not
    # approved on Regulations Art. 21(1), where Art. 21 reaches the procedure; the case is decided and closed.
    Action(
        "refuse_short",
        frozenset({S.RECEIVED}),
        HALL,
        Text("Decide not to approve: materials not provided", "作出不予批准决定：未按规定提供申请材料"),
        S.REFUSED,
        Text(
            "Not approved: the application materials were not provided as required",
            "不予批准：未按照规定提供申请材料",
        ),
        makes="decision",
        condition=_art_21_reaches,
        refusal=Text(
            "a refusal for missing materials is decided at intake, after the resubmission; not for a case "
            "that is {state}",
            "因缺少材料不予批准的决定在补正材料后的收件环节作出；状态为“{state}”的申请不能作出该决定。",
        ),
    ),
    Action(
        "verify",
        VERIFYING,
        HALL,
        Text("Open a verification task", "发起核查"),
        inputs=("kind", "outcome"),
        refusal=Text(
            "verification happens after acceptance and before the decision",
            "核查在受理之后、作出决定之前进行。",
        ),
        steps=(
            ("open_task", Text("Open a verification task", "发起核查")),
            ("close_task", Text("Close the verification task", "完成核查")),
        ),
    ),
    Action(
        "forward_to_ministry",
        frozenset({S.ACCEPTED}),
        HALL,
        Text("Forward to the Ministry", "报送公安部"),
        S.MINISTRY_REVIEW,
        Text("Forwarded to the Ministry", "已报送公安部"),
        condition=_decided_here,
    ),
    Action(
        "decide",
        VERIFYING,
        HALL,
        Text("Decide", "作出决定"),
        DECIDED,
        Text("Decided", "已作出决定"),
        inputs=("outcome", "validity", "ground_id"),
        makes="decision",
        condition=_ministry_first,
        also="decide_for_ministry",
    ),
    Action(
        "decide_for_ministry",
        frozenset({S.MINISTRY_REVIEW}),
        SUPERVISOR,
        Text("Record the Ministry's decision", "登记公安部的决定"),
        inputs=("outcome", "validity", "ground_id"),
        condition=_decided_here,
    ),
    Action(
        "issue",
        frozenset({S.APPROVED}),
        HALL,
        Text("Issue the permit", "签发证件"),
        S.ISSUED,
        Text("Permit issued", "证件已签发"),
    ),
    Action(
        "mark_ready",
        frozenset({S.ISSUED}),
        HALL,
        Text("Mark ready for pick-up", "标记为可领取"),
        S.READY,
        Text("Permit ready for pick-up", "证件可领取"),
        refusal=Text("cannot mark ready a case that is {state}", "状态为“{state}”的申请不能通知领取。"),
    ),
    Action(
        "collect",
        frozenset({S.READY}),
        HALL,
        Text("Record collection", "登记领取"),
        S.COLLECTED,
        Text("Permit collected", "证件已领取"),
        refusal=Text("cannot collect a case that is {state}", "状态为“{state}”的申请不能办理领取。"),
    ),
    Action(
        "pay",
        TAKES_FEES,
        HALL,  # paid at the hall's counter and recorded by it, never declared by the applicant's side
        Text("Record a payment", "登记缴费"),
        inputs=("amount_cny", "method"),
        steps=(("record_payment", Text("Record a payment", "登记缴费")),),
        refusal=Text(
            "the fee is paid at the hall once it has received the materials and before collection; no fee "
            "is taken for a case that is {state}",
            "费用在大厅接收材料后、领取证件前缴纳；状态为“{state}”的申请不收费。",
        ),
    ),
    Action(
        "exempt_fee",
        TAKES_FEES,
        HALL,
        Text("Record a fee exemption", "登记免收费用"),
        inputs=("reason",),
        refusal=Text(
            "a fee exemption is recorded at the hall once it has received the materials and before "
            "collection; not for a case that is {state}",
            "免收费用在大厅接收材料后、领取证件前登记；状态为“{state}”的申请不能登记。",
        ),
    ),
    Action(
        "book",
        BOOKABLE,
        APPLICANT,
        Text("Book an appointment", "预约"),
        inputs=("slot_id",),
        condition=_pre_examined_first,
        refusal=Text(
            "an appointment is booked once the case is submitted and until the hall holds the materials; "
            "not for a case that is {state}",
            "申请提交后、大厅收齐材料前方可预约；状态为“{state}”的申请不能预约。",
        ),
    ),
    Action(
        "withdraw",
        BEFORE_DECISION,
        APPLICANT,
        Text("Withdraw", "撤回"),
        S.WITHDRAWN,
        Text("Withdrawn", "已撤回"),
    ),
    Action("queue_health", ALL_STATES, SUPERVISOR, Text("Queue health", "队列状况")),
)
TABLE: dict[str, Action] = {a.id: a for a in _TABLE}
# The steps that move a case and take no input and issue no document, in the order a case goes through them.
SIMPLE_STEPS = tuple(a.id for a in _TABLE if a.to is not None and not a.inputs and not a.makes)
OPEN_STATES = frozenset(s for a in _TABLE if a.to is not None for s in a.states)
# Where no action moves the case on any more: refused, collected, withdrawn, expired.
CLOSED_STATES = ALL_STATES - OPEN_STATES
# While the hall holds the materials and checks them against the one-time list (what is outstanding).
CHECKING_MATERIALS = TABLE["notify_deficiency"].states | TABLE["resubmit"].states
# What the hall still has to work on: submitted and not closed (a tuple, so the queue's query and its
# partial index name the same states in the same order).
QUEUE_STATES = tuple(sorted(OPEN_STATES - {S.DRAFT}))


def action(action_id: str) -> Action:
    try:
        return TABLE[action_id]
    except KeyError:
        raise IllegalTransition(
            Text(f"unknown action {action_id!r}", f"没有“{action_id}”这一步骤。")
        ) from None


def row_of(name: str) -> Action | None:
    """The row of an action, or of the action one of its parts belongs to (``open_task``: ``verify``)."""
    return TABLE.get(name) or next((a for a in _TABLE if any(step == name for step, _ in a.steps)), None)


def label(name: str) -> Text:
    """An action's (or one of its parts') label, in both languages; the name itself for anything else."""
    row = row_of(name)
    if row is None:
        return Text(name, name)
    return next((text for step, text in row.steps if step == name), row.label)


# What the system does to a case, which no one's side may do (so it is no row of the table), as its history
# names it.
EXPIRE = "expire"
_SYSTEM_STEPS = {EXPIRE: Text("Expired (the draft was left untouched)", "已过期（草稿长期未处理）")}


def done_label(action_id: str) -> Text:
    """How the case's history names an action taken."""
    if action_id in _SYSTEM_STEPS:
        return _SYSTEM_STEPS[action_id]
    a = TABLE.get(action_id)
    return (a.done or a.label) if a is not None else label(action_id)


def refusal(procedure: Procedure, state: str, action_id: str, outcome: str | None = None) -> Text | None:
    """Why ``action_id`` is not allowed on a case of ``procedure`` in ``state``; None when it is."""
    a = action(action_id)
    if state not in a.states:
        return a.refused_in(state)
    if a.condition is not None and (why := a.condition(procedure, state)) is not None:
        return why
    if a.to == DECIDED and outcome not in (S.APPROVED, S.REFUSED):
        return Text("a decision approves or refuses", "决定只能是批准或不予批准。")
    return None


def state_allows(procedure: Procedure, state: str, action_id: str, outcome: str | None = None) -> bool:
    return refusal(procedure, state, action_id, outcome) is None


def target(procedure: Procedure, state: str, action_id: str, outcome: str | None = None) -> str:
    """The state ``action_id`` leads to from ``state`` (the same state for one that moves none), or
    ``IllegalTransition`` naming why not."""
    why = refusal(procedure, state, action_id, outcome)
    if why is not None:
        raise IllegalTransition(why)
    to = TABLE[action_id].to
    return outcome if to == DECIDED else (to or state)


def ministry_side(procedure: Procedure, action_id: str) -> str | None:
    """The action whose side must also allow ``action_id`` on this procedure (the Ministry's decision is
    recorded by a supervisor), if any."""
    also = TABLE[action_id].also
    return also if also and needs_ministry(procedure) else None
