"""The fee: where it stands, payments at the hall, and an exemption recorded with its reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import override

from exitentry.accounts.audit import Actor, record
from exitentry.bilingual import cny, in_both
from exitentry.cases.lifecycle import FEE_STAGE, IllegalTransition
from exitentry.cases.models import Case, FeeExemption, Payment
from exitentry.cases.reads import CaseLists
from exitentry.cases.services.reading import Refused, advice_as_granted, typed
from exitentry.cases.services.steps import lock_case
from exitentry.law.advice import Answer
from exitentry.law.calendar import beijing_today
from exitentry.law.fees import (
    MORE_THAN_DUE_NOW,
    NOT_PAYABLE_YET,
    Part,
    PartState,
    Summary,
    part_state,
    summary,
    yuan,
)
from exitentry.law.model import FEE_CHARGED, FEE_DUE_NOW, FEE_NOT_CHARGED, PAID_AT, PAID_WHEN
from exitentry.law.text import Text, continued


@dataclass(frozen=True, slots=True)
class FeePart:
    """One of the law core's fee lines on a case: what of it is paid, whether it is charged now, later or not
    at all (``law.model.FEE_CHARGED``), and whether the hall waived the rest of a charged part."""

    line: Answer  # its amount, when it is paid (``paid_at``), its text and citations
    paid: int
    waived: bool  # only of a part charged
    due: str  # "now" once the hall takes it, "later" before, "not_charged" where the case ends without
    stage: str  # the case's (``lifecycle.FEE_STAGE``)

    @property
    def amount(self) -> int:
        return self.line.amount_cny or 0

    @property
    def charged_now(self) -> bool:
        """Whether the part is charged at the case's stage (``law.model.FEE_CHARGED``)."""
        return self.due == FEE_DUE_NOW

    @property
    def outstanding(self) -> int:
        return 0 if self.waived or self.due == FEE_NOT_CHARGED else self.amount - self.paid

    @property
    def paid_when(self) -> Text:
        return PAID_WHEN[self.line.paid_at]

    @property
    def state(self) -> PartState:
        """Where it stands in words, as the pages, the API and the decision say it (``law.fees``)."""
        return part_state(self.line, self.paid, waived=self.waived, due=self.due, stage=self.stage)


@dataclass(frozen=True, slots=True)
class Fee:
    """Where a case's fee stands: due (None where the sources state no fee), the part of it due when the
    hall accepts the application (the law core's fee lines paid at acceptance), paid, and any exemption;
    ``lines`` are the law core's fee lines it is the sum of."""

    due: int | None
    due_at_acceptance: int | None
    paid: int
    payments: tuple[Payment, ...]
    exemption: FeeExemption | None
    lines: tuple[Answer, ...]
    state: str  # the case's, whose stage says when each part is charged (``lifecycle.FEE_STAGE``)

    @property
    def parts(self) -> tuple[FeePart, ...]:
        """Each fee line in the order it is paid, with what of it is paid: payments count towards the lines
        paid at acceptance first, then the rest; none without a fee due. What is outstanding is read from it."""
        if self.due is None:
            return ()
        left, parts = self.paid, []
        for line in sorted(self.lines, key=lambda a: PAID_AT.index(a.paid_at)):
            paid = min(left, line.amount_cny or 0)
            left -= paid
            stage = FEE_STAGE[self.state]
            due = FEE_CHARGED[line.paid_at].get(stage, FEE_NOT_CHARGED)
            waived = due != FEE_NOT_CHARGED and self.exemption is not None and paid < (line.amount_cny or 0)
            parts.append(FeePart(line, paid, waived, due, stage))
        return tuple(parts)

    @property
    def summary(self) -> Summary | None:
        """The fee summed up from its parts (``law.fees.summary``): what is charged and paid, and what the
        case ended without charging, with why; None without a fee due."""
        if self.due is None:
            return None
        return summary([Part(p.amount, p.paid, p.state) for p in self.parts])

    @property
    def outstanding(self) -> int:
        """What is still to pay: nothing waived, nor a part the case ends without (a refused card fee)."""
        return sum(p.outstanding for p in self.parts)

    @property
    def outstanding_now(self) -> int:
        """What of ``outstanding`` is due at this step of the case (a part paid later is not, yet)."""
        return sum(p.outstanding for p in self.parts if p.charged_now)

    @property
    def outstanding_at_acceptance(self) -> int:
        """What of the lines paid at acceptance is unpaid (``parts``: payments count towards them first)."""
        return sum(p.outstanding for p in self.parts if p.line.paid_at == "acceptance")


def fee_of(case: Case, on: date, lists: CaseLists | None = None) -> Fee:
    """The fee as it stands; the amount due is fixed on the day the hall received the materials, for the
    validity applied for until the approval grants one, then for the validity granted (``advice_as_granted``:
    its fee band, not the one applied for).

    ``lists`` are the case's payments and exemption (``cases.reads``), where the caller has read them."""
    if lists is not None:
        payments, exemption = tuple(lists.payments), lists.exemption
    else:
        payments = tuple(case.payments.all())
        try:
            exemption = case.fee_exemption
        except FeeExemption.DoesNotExist:
            exemption = None
    advice = advice_as_granted(case, case.received_on or on)
    return Fee(
        advice.fee_total_cny,
        advice.fee_due_at_acceptance_cny,
        sum(p.amount_cny for p in payments),
        payments,
        exemption,
        advice.fees,
        case.state,
    )


def exempt_fee(actor: Actor, case: Case, reason: str, on: date | None = None) -> FeeExemption:
    """The hall waives what is outstanding of the fee, and records why (audited)."""
    on = on or beijing_today()
    reason = typed(
        "reason",
        reason,
        limit=FeeExemption._meta.get_field("reason").max_length,
        empty=Text("Say why the fee is waived.", "请填写免收费用的理由。"),
    )
    with transaction.atomic():
        locked, _ = lock_case(actor, case, "exempt_fee")
        if FeeExemption.objects.filter(case=locked).exists():
            raise Refused(
                "reason",
                Text("A fee exemption is already recorded for this application.", "此申请已登记免收费用。"),
            )
        fee = fee_of(locked, on)
        if fee.due is None:
            raise Refused(
                "reason",
                Text(
                    "The sources state no fee for this application; there is nothing to waive.",
                    "资料未规定此项申请的收费，无需免收。",
                ),
            )
        if not fee.outstanding:
            raise Refused(
                "reason",
                Text("The fee is paid in full; there is nothing to waive.", "费用已全额缴纳，无需免收。"),
            )
        exemption = FeeExemption.objects.create(case=locked, reason=reason, recorded_by=actor.user)
        record(actor, "case.exempt_fee", "case", locked.pk, new={"reason": exemption.reason})
    return exemption


_ABOVE_ZERO = Text(
    "Enter the amount received, in whole yuan above zero; {outstanding} is outstanding.",
    "请填写收到的金额（大于零的整数元）；尚欠{outstanding}。",
)
_MORE_THAN_OUTSTANDING = Text(
    "{amount} is more than is outstanding: {outstanding} of the {due} fee.",
    "{amount}超过尚欠金额：应缴费用{due}，尚欠{outstanding}。",
)


def record_payment(actor: Actor, case: Case, amount_cny: int, method: str, on: date | None = None) -> Payment:
    """Take a fee payment; the amount due is the law core's fee total for the case's facts, and only what of
    it is due at the case's stage is taken (``Fee.outstanding_now``: the law core's ``FEE_CHARGED``): none
    due yet is ``IllegalTransition`` (a residence permit's fee before approval, paid on collection)."""
    on = on or beijing_today()
    if not method.strip():  # asked for, never quoted empty
        labels = [in_both(label) for label in Payment.Method.labels]
        raise Refused(
            "method",
            Text(
                f"Choose how the fee was paid: {', '.join(label.en for label in labels)}.",
                f"请选择缴费方式：{'、'.join(label.zh for label in labels)}。",
            ),
        )
    if method not in Payment.Method.values:
        raise Refused(
            "method",
            Text(
                f"{method!r} is not a way to pay at the hall; choose one of {', '.join(Payment.Method.values)}.",
                f"“{method}”不是大厅的缴费方式，请选择：{'、'.join(str(label) for label in _zh_methods())}。",
            ),
        )
    with transaction.atomic():
        locked, _ = lock_case(actor, case, "pay")
        fee = fee_of(locked, on)  # the law core's fee, as on the day the hall received the materials
        due, paid = fee.due, fee.paid
        if due is None:
            raise Refused(
                "amount_cny",
                Text(
                    "The sources state no fee for this application; nothing can be charged.",
                    "资料未规定此项申请的收费，不能收费。",
                ),
            )
        if amount_cny <= 0:
            raise Refused("amount_cny", _ABOVE_ZERO.format(outstanding=cny(due - paid)))
        later = [p for p in fee.parts if p.outstanding and not p.charged_now]
        if later and not fee.outstanding_now:
            raise IllegalTransition(NOT_PAYABLE_YET.format(later=_when(later)))
        if later and amount_cny > fee.outstanding_now:
            now, when = yuan(fee.outstanding_now), _when(later)
            raise Refused(
                "amount_cny", MORE_THAN_DUE_NOW.format(amount=yuan(amount_cny), now=now, later=when)
            )
        if amount_cny > due - paid:
            raise Refused(
                "amount_cny",
                _MORE_THAN_OUTSTANDING.format(
                    amount=cny(amount_cny), outstanding=cny(due - paid), due=cny(due)
                ),
            )
        payment = Payment.objects.create(
            case=locked, amount_cny=amount_cny, method=method, received_by=actor.user
        )
        record(actor, "case.pay", "case", locked.pk, new={"amount_cny": amount_cny, "method": payment.method})
    return payment


def _when(parts: list[FeePart]) -> Text:
    """Parts still to pay, each with when it is paid: "CNY 800: paid when the permit is issued, on
    collection"."""
    said = [(yuan(p.outstanding), p.paid_when) for p in parts]
    return Text(
        "; ".join(f"{a.en}: {continued(w.en)}" for a, w in said),
        "；".join(f"{a.zh}：{w.zh}" for a, w in said),
    )


def _zh_methods() -> list[str]:
    with override("zh-hans"):
        return [str(label) for label in Payment.Method.labels]
