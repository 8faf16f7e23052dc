"""The case state machine: which action moves a case from which state to which, and nothing else.

An action not in the table for the case's state is refused (``IllegalTransition``, saying why in both
languages), never logged and let through. Some actions exist only for some procedures: pre-examination for the one-stop service
(its catalog time limits count a pre-examination), forwarding to the Ministry for permanent residence
(casework approval "ministry"); ``allowed`` asks the procedure.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from exitentry.law.model import Procedure
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


S = State
BEFORE_DECISION = (
    S.DRAFT,
    S.SUBMITTED,
    S.PRE_EXAMINED,
    S.RECEIVED,
    S.DEFICIENT,
    S.ACCEPTED,
    S.MINISTRY_REVIEW,
)

# action -> ({from states}, to state); "decide" goes to APPROVED or REFUSED by outcome.
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "submit": (frozenset({S.DRAFT}), S.SUBMITTED),
    "pre_examine": (frozenset({S.SUBMITTED}), S.PRE_EXAMINED),
    "receive": (frozenset({S.SUBMITTED, S.PRE_EXAMINED}), S.RECEIVED),
    "notify_deficiency": (frozenset({S.RECEIVED}), S.DEFICIENT),
    "resubmit": (frozenset({S.DEFICIENT}), S.RECEIVED),
    "accept": (frozenset({S.RECEIVED}), S.ACCEPTED),
    "forward_to_ministry": (frozenset({S.ACCEPTED}), S.MINISTRY_REVIEW),
    "decide": (frozenset({S.ACCEPTED, S.MINISTRY_REVIEW}), None),
    "issue": (frozenset({S.APPROVED}), S.ISSUED),
    "mark_ready": (frozenset({S.ISSUED}), S.READY),
    "collect": (frozenset({S.READY}), S.COLLECTED),
    "withdraw": (frozenset(BEFORE_DECISION), S.WITHDRAWN),
}
ACTIONS = tuple(TRANSITIONS)
# How a refusal names each action in Chinese (the English is the action's id in words).
_ACTIONS_ZH = {
    "submit": "提交",
    "pre_examine": "进行预审",
    "receive": "接收材料",
    "notify_deficiency": "出具一次性告知书",
    "resubmit": "确认已补正材料",
    "accept": "受理",
    "forward_to_ministry": "报送公安部",
    "decide": "作出决定",
    "issue": "签发证件",
    "mark_ready": "通知领取",
    "collect": "办理领取",
    "withdraw": "撤回",
}
OPEN_STATES = frozenset(S.values) - {S.REFUSED, S.COLLECTED, S.WITHDRAWN}
# What the hall still has to work on: submitted and not closed (a tuple, so the queue's query and its
# partial index name the same states in the same order).
QUEUE_STATES = tuple(sorted(OPEN_STATES - {S.DRAFT}))


class IllegalTransition(ValueError):
    """The action is not allowed from the case's state, or not for its procedure; ``text`` says why in
    both languages and ``str()`` in English."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


def state_label(state: str) -> Text:
    """The label of ``state`` in both languages."""
    label = State(state).label
    with override("en"):
        en = str(label)
    with override("zh-hans"):
        return Text(en, str(label))


def has_pre_examination(procedure: Procedure) -> bool:
    return any(r.counts == "pre-examination" for r in procedure.rules["time_limits"])


def needs_ministry(procedure: Procedure) -> bool:
    return procedure.casework.approval == "ministry"


def target(procedure: Procedure, state: str, action: str, outcome: str | None = None) -> str:
    """The state ``action`` leads to from ``state``, or ``IllegalTransition`` naming why not."""
    if action not in TRANSITIONS:
        raise IllegalTransition(Text(f"unknown action {action!r}", f"没有“{action}”这一步骤。"))
    sources, to = TRANSITIONS[action]
    if state not in sources:
        label = state_label(state)
        raise IllegalTransition(
            Text(
                f"cannot {action.replace('_', ' ')} a case that is {label.en}",
                f"状态为“{label.zh}”的申请不能{_ACTIONS_ZH[action]}。",
            )
        )
    pre = has_pre_examination(procedure)
    title = procedure.title.zh
    if action == "pre_examine" and not pre:
        raise IllegalTransition(Text(f"{procedure.id} has no pre-examination", f"“{title}”没有预审环节。"))
    if action == "receive" and pre and state == S.SUBMITTED:
        raise IllegalTransition(
            Text(
                f"{procedure.id} is pre-examined online before the hall receives the materials",
                f"“{title}”须先在网上通过预审，大厅才能接收材料。",
            )
        )
    if action == "forward_to_ministry" and not needs_ministry(procedure):
        raise IllegalTransition(
            Text(
                f"{procedure.id} is decided by the exit-entry administration, not the Ministry",
                f"“{title}”由出入境管理机构决定，不报送公安部。",
            )
        )
    if action == "decide":
        if needs_ministry(procedure) and state != S.MINISTRY_REVIEW:
            raise IllegalTransition(
                Text(
                    f"{procedure.id} is approved by the Ministry: forward it first",
                    f"“{title}”由公安部审批，请先报送公安部。",
                )
            )
        if outcome not in (S.APPROVED, S.REFUSED):
            raise IllegalTransition(Text("a decision approves or refuses", "决定只能是批准或不予批准。"))
        return outcome
    return to
