"""Check a document's QR token: genuine or not, in force or not, and why, in both languages.

A receipt stands in for the passport while it is kept for processing (Regulations Arts. 13 and 18): it is
in force until its last day (24:00 Beijing time, Art. 36(2)) and while the application is still being
processed; once the application is refused, withdrawn or the permit collected, the passport is back
and the receipt no longer serves. An approval answers from its permit as it stands now
(``registry.standing``): not in force once the permit is declared void (Art. 34), cancelled (Art. 35),
expired, or renewed, reissued or replaced under a later decision. What the check shows of the holder is just enough to match them to
the person presenting it: initials, nationality and the last four characters of the passport the case was
received on, or the unit's report filed on (with a note, not the number, when the holder has another one
since).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exitentry.accounts.audit import Actor, record
from exitentry.cases.lifecycle import State, receipt_serves
from exitentry.cases.models import Case, Decision, DeficiencyNotice, Receipt
from exitentry.compliance.models import ChangeReport, UnitReport
from exitentry.documents.tokens import BadToken, read_token
from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.rules.change_reports import REPORT_IS_NOT_THE_CHANGE_CITE
from exitentry.law.rules.residence import receipt_validity
from exitentry.law.rules.unit_reports import report_event
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text, day_text
from exitentry.registry.models import Person, TravelDocument
from exitentry.registry.standing import beijing_date, standing, superseded_after

# What the check is called and what it says of a code of nothing issued: "文书", as the verification desk
# that opens it names the documents the exit-entry administration issues (receipts, notices, decisions).
DOCUMENT_CHECK = Text("Document check", "文书核验")
NOT_FOUND = Text("Document not found", "未找到该文书")
NOT_ISSUED = Text("No such document was issued.", "未签发过该文书。")

ENDED = {
    "void": Text("declared void", "宣布作废"),
    "cancelled": Text("cancelled or confiscated", "注销或收缴"),
}
PASSPORT_CHANGED = Text(
    "The holder has had another passport since; this document names the one it was issued on.",
    "持有人此后已持有其他护照；本文书所列为签发时所用的护照。",
)
SUPERSEDED = {
    "renewal": Text("renewed", "换发"),
    "reissue": Text("reissued", "补发"),
    "replacement": Text("replaced", "换领"),
}


@dataclass(frozen=True, slots=True)
class Verdict:
    genuine: bool
    in_force: bool
    reason: Text
    kind: str | None = None
    number: str | None = None
    valid_until: date | None = None
    ended_on: date | None = None
    holder: str | None = None
    nationality: str | None = None
    passport_ends: str | None = None
    passport_note: Text | None = None
    cite: tuple[Citation, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "genuine": self.genuine,
            "in_force": self.in_force,
            "reason": self.reason.as_dict(),
            "kind": self.kind,
            "number": self.number,
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "holder": self.holder,
            "nationality": self.nationality,
            "passport_ends": self.passport_ends,
            "passport_note": self.passport_note.as_dict() if self.passport_note else None,
            "cite": [c.as_dict() for c in self.cite],
        }


def _holder(person: Person, bound: TravelDocument | None, today: date) -> dict[str, object]:
    """The holder as a document names them: the passport it was made on (``bound``; without one, the one
    held ``today``), and a note when the holder has another one by ``today`` (its number not shown). Only
    the registry's passports count: a claim is nothing an institution sees (``TravelDocument.claim``)."""
    held = person.travel_document_on(today, claims=False)
    document = bound or held
    return {
        "holder": person.initials,
        "nationality": person.nationality,
        "passport_ends": document.number[-4:] if document else None,
        "passport_note": PASSPORT_CHANGED if bound is not None and held != bound else None,
    }


def check(token: str, today: date) -> Verdict:
    """What the document behind ``token`` is and whether it is in force on ``today``."""
    try:
        kind, number = read_token(token)
    except BadToken as exc:
        return Verdict(
            False,
            False,
            Text(
                str(exc),
                "此核验码无效：可能输入有误、不完整或被改动。请重新扫描文书上的二维码，或完整输入其下方的网址。",
            ),
        )
    if kind == "unit-report":
        return _unit_report(number, today)
    if kind == "change-report":
        return _change_report(number, today)
    found = {
        "receipt": lambda: (
            Receipt.objects.select_related("case__person", "case__travel_document")
            .filter(number=number)
            .first()
        ),
        "deficiency": lambda: (
            DeficiencyNotice.objects.select_related("case__person", "case__travel_document")
            .filter(number=number)
            .first()
        ),
        "decision": lambda: (
            Decision.objects.select_related("case__person", "case__permit", "case__travel_document")
            .filter(number=number)
            .first()
        ),
    }[kind]()
    if found is None:
        return Verdict(False, False, NOT_ISSUED, kind, number)
    case = found.case
    common = {"kind": kind, "number": number, **_holder(case.person, case.travel_document, today)}
    if kind == "receipt":
        return _receipt(found, case, today, common)
    if kind == "deficiency":
        notices = list(case.deficiency_notices.order_by("issued_on", "pk").values_list("pk", flat=True))
        # each notice is answered by the resubmission after it (a case is noticed again only once received)
        answered = case.events.filter(action="resubmit").count() > notices.index(found.pk)
        open_ = case.state == State.DEFICIENT and not answered
        reason = (
            Text(
                "Genuine; the applicant has still to supply what it lists.",
                "真实有效；申请人尚需补充所列材料。",
            )
            if open_
            else Text("Genuine; the materials it lists have been supplied.", "真实；所列材料已补正。")
            if answered
            else Text(
                "Genuine; the application was withdrawn before the materials it lists were supplied.",
                "真实；申请人在补正所列材料前已撤回申请。",
            )
        )
        return Verdict(True, open_, reason, **common)
    return _decision(found, case, today, common)


def _unit_report(number: str, today: date) -> Verdict:
    """A unit's Art. 26 report: genuine once received; it stays a record of what was reported."""
    report = UnitReport.objects.select_related("person", "travel_document").filter(number=number).first()
    if report is None:
        return Verdict(False, False, NOT_ISSUED, "unit-report", number)
    day = report.filed_at.astimezone(BEIJING).date()
    under = cite("regulations", "Art. 26").label
    reason = Text(
        f"Genuine: a unit's report under the {under.en}, received on {day_text(day).en}.",
        f"真实：单位依据{under.zh}提交的报告，已于{day_text(day).zh}收到。",
    )
    return Verdict(
        True,
        True,
        reason,
        "unit-report",
        number,
        cite=report_event(report.event).cite,
        **_holder(report.person, report.travel_document, today),
    )


def _change_report(number: str, today: date) -> Verdict:
    """A holder's report of a change of particulars (Exit and Entry Administration Law Art. 33): genuine
    once received; it stays a record of what was reported."""
    report = ChangeReport.objects.select_related("permit__person").filter(number=number).first()
    if report is None:
        return Verdict(False, False, NOT_ISSUED, "change-report", number)
    day = report.filed_at.astimezone(BEIJING).date()
    under = cite("exit-entry-law", "Art. 33").label
    reason = Text(
        f"Genuine: a report of a change of a residence permit's particulars under the {under.en}, received on"
        f" {day_text(day).en}.",
        f"真实：依据{under.zh}提交的居留证件登记事项变更报告，已于{day_text(day).zh}收到。",
    )
    return Verdict(
        True,
        True,
        reason,
        "change-report",
        number,
        cite=REPORT_IS_NOT_THE_CHANGE_CITE,
        **_holder(report.permit.person, report.passports()[0], today),
    )


def _decision(decision: Decision, case: Case, today: date, common: dict) -> Verdict:
    if decision.outcome != "approved":
        reason = Text(
            f"Genuine: the application was refused on {day_text(decision.decided_on).en}.",
            f"真实：该申请已于{day_text(decision.decided_on).zh}不予批准。",
        )
        return Verdict(True, True, reason, **common)
    approved = Text(
        f"Genuine: the application was approved on {day_text(decision.decided_on).en}.",
        f"真实：该申请已于{day_text(decision.decided_on).zh}批准。",
    )
    permit = case.permit
    if permit is None:
        return Verdict(True, True, approved, **common)
    now = standing(permit, today)
    if now.state in ("void", "cancelled"):
        ground = now.ground
        ended = ENDED[now.state]
        because = (
            Text(f" (ground: {ground.text.en})", f"（理由：{ground.text.zh}）") if ground else Text("", "")
        )
        reason = Text(
            f"{approved.en} The permit is no longer in force: it was {ended.en} on {day_text(now.ended_on).en}{because.en}.",
            f"{approved.zh}该证件已于{day_text(now.ended_on).zh}{ended.zh}，不再有效{because.zh}。",
        )
        cite_ = ground.cite if ground else ()
        return Verdict(True, False, reason, ended_on=now.ended_on, cite=cite_, **common)
    later = superseded_after(permit, case.pk)
    if later is not None:
        on = beijing_date(later)
        how = SUPERSEDED[later.kind]
        reason = Text(
            f"{approved.en} The permit is no longer as this decision states: it was {how.en} on {day_text(on).en} "
            "under a later decision.",
            f"{approved.zh}该证件已于{day_text(on).zh}根据其后的决定{how.zh}，不再以本决定为准。",
        )
        return Verdict(True, False, reason, ended_on=on, **common)
    if now.state == "expired":
        reason = Text(
            f"{approved.en} The permit is no longer in force: it expired at the end of {day_text(permit.valid_until).en}.",
            f"{approved.zh}该证件已于{day_text(permit.valid_until).zh}期满，不再有效。",
        )
        return Verdict(True, False, reason, valid_until=permit.valid_until, ended_on=now.ended_on, **common)
    if (
        case.state == State.APPROVED and permit.valid_until is not None
    ):  # acts on a held permit, not yet issued
        until = day_text(permit.valid_until)
        reason = Text(
            f"{approved.en} The permit is in force until {until.en}; what was approved takes effect when "
            "the permit is issued.",
            f"{approved.zh}该证件有效期至{until.zh}；批准的事项自证件签发后生效。",
        )
    else:
        reason = Text(f"{approved.en} The permit is in force.", f"{approved.zh}该证件有效。")
    return Verdict(True, True, reason, valid_until=permit.valid_until, **common)


def _receipt(receipt: Receipt, case: Case, today: date, common: dict) -> Verdict:
    """A receipt's standing, citing what the law core says it means for the holder (``receipt_validity``:
    stay, Art. 13 para. 3; reside, Art. 18 para. 3; or by analogy), as its PDF and the case page do."""
    validity = receipt_validity(receipt.valid_until, catalog().procedure(case.procedure_id))
    basis = {"valid_until": receipt.valid_until, "cite": validity.cite}
    if not receipt_serves(case.state):
        reason = Text(
            "Genuine, but the application is closed; the passport is no longer held and the receipt does not stand in for it.",
            "真实，但该申请已办结；护照已不再留存，本回执不再代替护照使用。",
        )
        return Verdict(True, False, reason, **basis, **common)
    if receipt.valid_until is not None and today > receipt.valid_until:
        reason = Text(
            f"Genuine, but it expired at the end of {day_text(receipt.valid_until).en}.",
            f"真实，但已于{day_text(receipt.valid_until).zh}期满。",
        )
        return Verdict(True, False, reason, **basis, **common)
    said = validity.reside
    reason = Text(f"Genuine and in force. {said.en}", f"真实有效。{said.zh}")
    return Verdict(True, True, reason, **basis, **common)


def verify(actor: Actor, token: str, today: date) -> Verdict:
    """Check a token and record who checked what (anonymous checks keep their address)."""
    verdict = check(token, today)
    record(
        actor,
        "document.verify",
        verdict.kind or "token",
        verdict.number or "-",
        new={"genuine": verdict.genuine, "in_force": verdict.in_force},
    )
    return verdict
