"""Public notices before voiding a permit for an unreported change of the reason for residence
(Regulations Art. 34(3)): publishing one, and whether a voiding may follow.

What the public page shows of the holder (a recorded choice, the least that identifies the notice to its
holder): the initials of the given names and surname, the nationality and the permit's number with all
but its last ``SHOWN_DIGITS`` characters masked; never the full name, the passport or an address.

The hall the notice sends its holder to (``law.rules.public_notice.notice_hall``) is recorded with it on
publication, its name, address and hours in both languages (``report_hall``): the notice reads as it was
published, whatever the halls become later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from exitentry.accounts.audit import Actor, record
from exitentry.compliance import change_reports, numbers
from exitentry.compliance.models import PublicNotice
from exitentry.law.halls import hours
from exitentry.law.model import Hall
from exitentry.law.rules.change_reports import REASON
from exitentry.law.rules.endings import PUBLIC_NOTICE, out_of_reach
from exitentry.law.rules.public_notice import (
    NOTICE_GROUND,
    Decision,
    decide,
    needs_public_notice,
    notice_hall,
    notice_period_ends,
)
from exitentry.law.rules.unit_reports import reason_change_events
from exitentry.law.sources import cite
from exitentry.law.text import Text, day_text
from exitentry.registry.models import Permit
from exitentry.registry.services import check_reach

SHOWN_DIGITS = 3
MASK = "•"


class NoticeRefused(ValueError):
    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


def masked(number: str) -> str:
    return MASK * max(len(number) - SHOWN_DIGITS, 0) + number[-SHOWN_DIGITS:]


@dataclass(frozen=True, slots=True)
class ReportHall:
    """The hall a notice sends its holder to, as the notice named it when it was published."""

    id: str
    name: Text
    address: Text
    hours: Text


def recorded(hall: Hall) -> dict:
    """``hall`` as a notice published now records it (``PublicNotice.hall``)."""
    return {
        "id": hall.id,
        "name": hall.name.as_dict(),
        "address": hall.address.as_dict(),
        "hours": hours(hall).as_dict(),
    }


def report_hall(notice: PublicNotice) -> ReportHall:
    """The hall ``notice`` names as where its holder reports, as recorded on publication."""
    said = notice.hall
    return ReportHall(said["id"], Text(**said["name"]), Text(**said["address"]), Text(**said["hours"]))


def latest(permit: Permit) -> PublicNotice | None:
    return permit.public_notices.order_by("-published_on", "-pk").first()


def reason_changed_on(permit: Permit) -> date | None:
    """The day the permit's reason for residence changed, as a unit reported it (the earliest report
    that named this permit of an event that ends its basis, ``law.rules.unit_reports.reason_change_events``,
    Regulations Art. 26); None when no change is on record."""
    return min(
        (r.happened_on for r in permit.unit_reports.all() if r.event in reason_change_events()), default=None
    )


def decision(permit: Permit, on: date) -> Decision | None:
    """Art. 34(3) for ``permit`` on ``on`` (``law.rules.public_notice.decide``): from the change of the
    reason for residence on record, the holder's report of it (``change_reports.reported_on``) and the
    latest notice; None when Art. 34(3) does not reach the permit's kind (``law.rules.endings``) or no
    change is on record."""
    changed = reason_changed_on(permit)
    if changed is None or out_of_reach(permit.kind, PUBLIC_NOTICE) is not None:
        return None
    notice = latest(permit)
    return decide(
        changed,
        change_reports.reported_on(permit, changed),
        notice.published_on if notice else None,
        on,
        notice=notice.number if notice else "",
    )


# Art. 34(3) as the law core's decisions cite it (``law.rules.public_notice``): the Regulations' title and the
# article, readable, never the bare locator
ART_34_3 = cite("regulations", "Art. 34(3)").label

_NO_CHANGE = Text(
    f"{ART_34_3.en}: no change of the reason for residence is on record for this permit "
    "(a unit's report); there is nothing to announce.",
    f"{ART_34_3.zh}：该证件没有居留事由发生变更的记录（单位报告），无需公告。",
)


_NO_GROUND = Text(
    f"{ART_34_3.en} cannot be used for this permit: no change of the reason for residence is on record for "
    "it (a unit's report), so there is no unreported change to void it for. Choose another ground.",
    f"本证件不适用{ART_34_3.zh}：该证件没有居留事由发生变更的记录（单位报告），不存在未申报的变更，"
    "不能以此项宣布作废。请选择其他情形。",
)


def publish_refusal(permit: Permit, on: date) -> Text | None:
    """Why no notice may be published for ``permit`` on ``on`` (None: one may): the permit is in force, a
    change of the reason is on record, and the law core's ``decide`` allows it (the holder has not
    reported, their period has run out, no notice was published yet)."""
    if permit.status != Permit.Status.VALID:
        return Text("This permit is no longer in force.", "该证件已失效。")
    said = decision(permit, on)
    if said is None:
        return _reported_by_holder(permit) or _NO_CHANGE
    return None if said.may_publish else said.why


def _reported_by_holder(permit: Permit) -> Text | None:
    """Where no unit reported a change but the holder reported their reason for residence changed: the
    latest such report, so Art. 34(3)'s voiding for an unreported change does not arise."""
    reports = [r for r in permit.change_reports.all() if r.particular == REASON]
    if not reports:
        return None
    report = max(reports, key=lambda r: (r.reported_on, r.pk))
    day = day_text(report.reported_on)
    return Text(
        f"{ART_34_3.en}: the holder reported the change of the reason for residence themselves (receipt "
        f"{report.number}, {day.en}), so the permit cannot be voided for an unreported change; no notice "
        "is published.",
        f"{ART_34_3.zh}：持证人已自行报告居留事由变更（回执号{report.number}，{day.zh}），"
        "不存在未申报的变更，不能据此宣布证件作废，不发布公告。",
    )


def publish(actor: Actor, permit: Permit, *, on: date) -> PublicNotice:
    """Publish the Art. 34(3) notice for ``permit`` on ``on``: ``OutOfReach`` for a kind it does not reach
    (``law.rules.endings``), ``NoticeRefused`` when ``publish_refusal`` says why not."""
    check_reach(permit, PUBLIC_NOTICE)
    refusal = publish_refusal(permit, on)
    if refusal is not None:
        raise NoticeRefused(refusal)
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            permit=permit,
            ground_id=NOTICE_GROUND,
            number=f"pending-{permit.pk}-{on.isoformat()}",
            published_on=on,
            period_ends_on=notice_period_ends(on),
            initials=permit.person.initials,
            nationality=permit.person.nationality,
            masked_number=masked(permit.number),
            hall=recorded(notice_hall()),
            published_by=actor.user,
        )
        notice.number = numbers.receipt("GG", on, notice.pk, width=6)
        notice.save(update_fields=["number"])
        record(
            actor,
            "permit.public_notice",
            "permit",
            permit.pk,
            new={
                "notice": notice.number,
                "ground_id": NOTICE_GROUND,
                "period_ends_on": notice.period_ends_on,
                "hall": notice.hall["id"],
            },
        )
    return notice


def voiding_refusal(permit: Permit, ground_id: str, on: date) -> Text | None:
    """Why ``permit`` may not be voided on ``ground_id`` on ``on`` yet (None: it may): Art. 34(3) needs a
    notice whose period has run, and a holder who still has not reported (``decision``)."""
    if not needs_public_notice(ground_id):
        return None
    said = decision(permit, on)
    if said is None:
        return _NO_GROUND
    return None if said.may_void else said.why
