"""Where a fee stands, in words: the state of each fee line on an application, and the sentence that sums
them up. One computation for the case pages, the API and the documents, so the sum never says more is due
than its parts (``model.FEE_CHARGED`` says when each line is charged).

A part is paid, partly paid, waived, due now, not yet due, or not charged (the application ended without it
being charged); a part not charged says why, citing only the sources that say when that part is charged (its
fee line's ``paid_at_cite``), not every source of the line (a residence permit's fee cites the Exit and Entry
Administration Law's Art. 30 for the validity ranges its bands follow, which says nothing of when it is paid).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exitentry.law.advice import Answer
from exitentry.law.model import FEE_DUE_NOW, FEE_NOT_CHARGED
from exitentry.law.sources import Citation
from exitentry.law.text import Text

# Where one fee part stands, as every reader of the case is told it.
FEE_PART_STATES = ("paid", "partly_paid", "waived", "due_now", "not_yet_due", "not_charged")
# Why a part is not charged, by the stage the application ended at (``model.FEE_STAGES``; the stages not
# named charge every line, now or later). Source: the one that says when the line is paid, its ``paid_at_cite``
# (bj-permanent-residence, Fees (Issuance): "charged ... during the issuance of the ... card", so not for an
# application refused; bj-personal-affairs, Steps: "Pay the application fee and pick up your documents"). Recorded
# choice (the sources are silent on a withdrawal and on refunds): a withdrawn application is charged nothing
# more and what was paid stays paid (``model.FEE_CHARGED``).
NOT_CHARGED_WHY = {
    "refused": Text(
        "The application was refused: no permit is issued, so what is paid when the permit is issued is not "
        "charged.",
        "申请不予批准：不发放证件，发证时缴纳的费用不收取。",
    ),
    "withdrawn": Text(
        "The application was withdrawn: nothing more of the fee is charged (the sources say nothing of a "
        "withdrawal).",
        "申请已撤回：不再收取费用（依据文件对撤回未作规定）。",
    ),
    "expired": Text(
        "The draft expired before the hall received the materials: no fee is charged.",
        "草稿在受理大厅接收材料前已过期：不收取费用。",
    ),
}
# Said of a part not charged with something of it paid before (the same recorded choice).
NOT_REFUNDED = Text("What was paid is not refunded.", "已缴费用不予退还。")
PAID_IN_FULL = Text("Paid in full", "已全额缴纳")
WAIVED = Text("Waived", "已免收")
PAID_REST_WAIVED = Text("{paid} paid, the rest waived", "已缴{paid}，其余免收")
NOT_CHARGED = Text("Not charged", "不收取")
PAID_REST_NOT_CHARGED = Text("{paid} paid, the rest not charged", "已缴{paid}，其余不收取")
PARTLY_PAID_DUE_NOW = Text(
    "{paid} paid, {outstanding} outstanding; due now", "已缴{paid}，尚欠{outstanding}；现应缴纳"
)
PARTLY_PAID_LATER = Text(
    "{paid} paid, {outstanding} outstanding; not yet due", "已缴{paid}，尚欠{outstanding}；尚未到缴纳时间"
)
DUE_NOW = Text("Due now", "现应缴纳")
# Said when the hall would take a payment while no part is due at the application's stage (``FEE_CHARGED``):
# each part still to pay with when it is paid ("CNY 800: paid when the permit is issued, on collection").
NOT_PAYABLE_YET = Text("The fee is not payable yet: {later}.", "费用尚未到缴纳时间：{later}。")
MORE_THAN_DUE_NOW = Text(
    "{amount} is more than is due at this step: {now}; the rest is paid later ({later}).",
    "{amount}超过本环节应缴金额：本环节应缴{now}，其余以后缴纳（{later}）。",
)
NOT_YET_DUE = Text("Not yet due", "尚未到缴纳时间")
# The sum of the parts.
DUE_AND_PAID = Text("Due {due}, paid {paid}.", "应缴{due}，已缴{paid}。")
WAIVED_REST = Text("{amount} is waived.", "{amount}免收。")
NOT_CHARGED_REST = Text("{amount} is not charged.", "{amount}不收取。")
NOTHING_DUE = Text("Nothing is due.", "无需缴费。")
NOTHING_MORE_DUE = Text("{paid} paid; nothing more is due.", "已缴{paid}；无需再缴费用。")


def yuan(amount: int) -> Text:
    """An amount of yuan as the pages write it: "CNY 1,500" / "1,500元"."""
    return Text(f"CNY {amount:,}", f"{amount:,}元")


@dataclass(frozen=True, slots=True)
class PartState:
    """Where one fee part stands: its state (``FEE_PART_STATES``), that state in words (with what of it is
    paid and outstanding), and, for a part not charged, why, citing the sources that say when it is charged."""

    id: str
    label: Text
    why: Text | None = None
    cite: tuple[Citation, ...] = ()
    pressing: bool = False  # something of it is to be paid at this step (the pages set it in bold)


def part_state(line: Answer, paid: int, *, waived: bool, due: str, stage: str) -> PartState:
    """Where the part of fee line ``line`` stands with ``paid`` of it paid; ``due`` is when it is charged at
    ``stage`` (``model.FEE_CHARGED``: now, later, or not_charged), ``waived`` whether the hall waived the
    rest of a part charged. A part not charged cites the sources that say when the line is paid."""
    amount, cite = line.amount_cny or 0, line.paid_at_cite
    if waived:
        return PartState("waived", PAID_REST_WAIVED.format(paid=yuan(paid)) if paid else WAIVED)
    if paid >= amount:
        return PartState("paid", PAID_IN_FULL)
    if due == FEE_NOT_CHARGED:
        if not paid:
            return PartState("not_charged", NOT_CHARGED, NOT_CHARGED_WHY[stage], cite)
        label = PAID_REST_NOT_CHARGED.format(paid=yuan(paid))
        return PartState("not_charged", label, _joined(NOT_CHARGED_WHY[stage], NOT_REFUNDED), cite)
    if paid:
        said = PARTLY_PAID_DUE_NOW if due == FEE_DUE_NOW else PARTLY_PAID_LATER
        label = said.format(paid=yuan(paid), outstanding=yuan(amount - paid))
        return PartState("partly_paid", label, pressing=due == FEE_DUE_NOW)
    return (
        PartState("due_now", DUE_NOW, pressing=True)
        if due == FEE_DUE_NOW
        else PartState("not_yet_due", NOT_YET_DUE)
    )


@dataclass(frozen=True, slots=True)
class Summary:
    """The fee summed up from its parts: what is charged and paid, what is not charged and why (citing what
    the parts not charged cite)."""

    text: Text
    why: Text | None = None
    cite: tuple[Citation, ...] = ()

    @property
    def with_why(self) -> Text:
        """The summary and why, in one: "Nothing is due. The application was withdrawn: ..."."""
        return _joined(self.text, self.why) if self.why else self.text


@dataclass(frozen=True, slots=True)
class Part:
    """What ``summary`` reads of a part: its amount, what of it is paid, and where it stands."""

    amount: int
    paid: int
    state: PartState


def summary(parts: Sequence[Part]) -> Summary:
    """The parts summed up: "Due CNY 1,500, paid CNY 1,500. CNY 300 is not charged." with why; "Nothing is
    due." where every part ends without being charged (and nothing was paid); what of a part charged is
    waived, said. Only parts charged count as due, so the sum agrees with the parts."""
    charged = sum(p.amount for p in parts if p.state.id != "not_charged")
    paid = sum(p.paid for p in parts)
    said = DUE_AND_PAID.format(due=yuan(charged), paid=yuan(paid))
    if waived := sum(p.amount - p.paid for p in parts if p.state.id == "waived"):
        said = _joined(said, WAIVED_REST.format(amount=yuan(waived)))
    ended = [p for p in parts if p.state.id == "not_charged"]
    if not ended:
        return Summary(said)
    why = max(ended, key=lambda p: p.paid > 0).state.why  # one with something paid says it is kept
    cite = tuple(dict.fromkeys(c for p in ended for c in p.state.cite))
    if not charged:
        said = NOTHING_MORE_DUE.format(paid=yuan(paid)) if paid else NOTHING_DUE
        return Summary(said, why, cite)
    rest = NOT_CHARGED_REST.format(amount=yuan(sum(p.amount - p.paid for p in ended)))
    return Summary(_joined(said, rest), why, cite)


def _joined(first: Text, then: Text) -> Text:
    """Two sentences: a space between them in English, none in Chinese."""
    return Text(f"{first.en} {then.en}", f"{first.zh}{then.zh}")
