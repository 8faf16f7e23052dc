"""A holder's report that a residence permit's registered particulars changed (Exit and Entry
Administration Law Art. 33: the name, sex, date of birth, reason for residence, residence duration, date and
place of issuance or passport number changed, and the holder applies for the change within 10 days; the
personal-affairs guide's Legal Reminders 4 repeats it).

What a report names is one of ``PARTICULARS``; the day it changed is neither after the day of the report
nor before the permit was issued. Applying to renew or change the residence permit (Regulations Art. 17,
the catalog's procedures whose casework renews or changes a residence permit) reports the change too, on
the day it is filed: it is the formality Art. 33 asks for. Whether a report came in time for Regulations
Art. 34(3) is ``public_notice.decide``'s.
"""

from __future__ import annotations

from datetime import date

from exitentry.law.model import Procedure
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.sources import Citation
from exitentry.law.text import Text, day_text

REASON = "reason"  # the particular whose unreported change Regulations Art. 34(3) reaches
PASSPORT_NUMBER = "passport_number"  # what a new travel document changes
ISSUANCE = "issuance"  # the date and place of issuance, which Legal Reminders 4 names
PARTICULARS: dict[str, Text] = {
    REASON: Text("Reason for residence", "居留事由"),
    "name": Text("Name", "姓名"),
    "sex": Text("Sex", "性别"),
    "birth_date": Text("Date of birth", "出生日期"),
    "duration": Text("Residence duration", "居留期限"),
    ISSUANCE: Text("Date and place of issuance", "签发日期和地点"),
    PASSPORT_NUMBER: Text("Passport number", "护照号码"),
    "other": Text("Other registered particulars", "其他登记事项"),
}
REPORTING_ACTIONS = ("renewal", "change")  # casework actions that apply for the permit's change
# A report records the change; Art. 33 asks the holder to apply for the change itself, which the
# permit's renewal or change procedure does (REPORTING_ACTIONS).
REPORT_IS_NOT_THE_CHANGE = Text(
    "A report records the change; the permit itself is changed only by applying for its change at a hall within"
    " the period (a renewal or change procedure, offered from this permit).",
    "报告仅登记变更情况；证件本身须在期限内向受理大厅申请办理变更（可由本证件发起换发或变更申请）后方予变更。",
)
REPORT_IS_NOT_THE_CHANGE_CITE = (Citation("exit-entry-law", "Art. 33"),)


@cites("exit-entry-law: Art. 33", "bj-personal-affairs: Legal Reminders 4")
def reportable(kind: str, in_force: bool) -> bool:
    """Whether a change of registered particulars is reported on a permit of ``kind``: a residence permit
    in force (not void, cancelled or past its last day)."""
    return kind == "residence-permit" and in_force


@cites("exit-entry-law: Art. 33", "bj-personal-affairs: Legal Reminders 4")
def report_refusal(particular: str, changed_on: date, issued_on: date, on: date) -> tuple[str, Text] | None:
    """Why a report on ``on`` that ``particular`` of a permit issued on ``issued_on`` changed on
    ``changed_on`` cannot be taken, with the field at fault; None when it can."""
    if particular not in PARTICULARS:
        names = Text(
            ", ".join(t.en.lower() for t in PARTICULARS.values()),
            "、".join(t.zh for t in PARTICULARS.values()),
        )
        return "particular", Text(
            f"Choose what changed among the registered particulars: {names.en}.",
            f"请从登记事项中选择发生变更的事项：{names.zh}。",
        )
    if changed_on > on:
        return "changed_on", Text("The day of the change cannot be after today.", "变更日期不能晚于今天。")
    if changed_on < issued_on:
        issued = day_text(issued_on)
        return "changed_on", Text(
            f"The permit was issued on {issued.en}: a change of its particulars cannot be earlier.",
            f"该证件签发于{issued.zh}，其登记事项的变更日期不能早于签发日期。",
        )
    return None


@cites("exit-entry-law: Art. 33", "regulations: Art. 17")
def counts_as_report(procedure: Procedure) -> bool:
    """Whether filing ``procedure`` for a residence permit reports a change of its particulars: it renews
    or changes that permit."""
    work = procedure.casework
    return work.permit == "residence-permit" and work.action in REPORTING_ACTIONS


@cites(
    "regulations: Art. 34(3)",
    "exit-entry-law: Art. 33",
    params=("residence-permit-change-of-particulars",),
)
def report_covers(reported_change: date, changed_on: date) -> bool:
    """Whether the holder's report of a change of the reason for residence on ``reported_change`` reports
    the change another source (a unit's Art. 26 report) dates ``changed_on``. Recorded choice: the same
    change when ``changed_on`` falls on or before the last day the holder had to report theirs (the two
    sources may date one change a few days apart); a report of an earlier change is not a report of this one."""
    return changed_on <= particulars_change_due(reported_change)
