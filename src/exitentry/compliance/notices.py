"""Public notices before voiding a permit for an unreported change of the reason for residence
(Regulations Art. 34(3)): publishing one, and whether a voiding may follow.

What the public page shows of the holder (a recorded choice, the least that identifies the notice to its
holder): the initials of the given names and surname, the nationality and the permit's number with all
but its last ``SHOWN_DIGITS`` characters masked; never the full name, the passport or an address.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from exitentry.accounts.audit import Actor, record
from exitentry.compliance.models import PublicNotice
from exitentry.law.rules.public_notice import (
    NOTICE_GROUND,
    may_void_after_notice,
    needs_public_notice,
    notice_period_ends,
    publication_too_early,
)
from exitentry.law.text import Text, day_text
from exitentry.registry.models import Permit, Person

SHOWN_DIGITS = 3
MASK = "•"


class NoticeRefused(ValueError):
    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


def initials(person: Person) -> str:
    """ "A. S." for Anna Schmidt: the given names' first letters, then the surname's."""
    names = [*person.given_names.split(), person.surname]
    return " ".join(f"{n[0].upper()}." for n in names if n)


def masked(number: str) -> str:
    return MASK * max(len(number) - SHOWN_DIGITS, 0) + number[-SHOWN_DIGITS:]


def latest(permit: Permit) -> PublicNotice | None:
    return permit.public_notices.order_by("-published_on", "-pk").first()


def reason_changed_on(permit: Permit) -> date | None:
    """The day the permit's reason for residence changed, as a unit reported it (the earliest report
    that named this permit, Regulations Art. 26); None when no change is on record."""
    report = permit.unit_reports.order_by("happened_on", "pk").first()
    return report.happened_on if report is not None else None


def publish_refusal(permit: Permit, on: date) -> Text | None:
    """Why no notice may be published for ``permit`` on ``on`` (None: one may): the permit is in force, no
    notice runs, a change of the reason is on record and the holder's period to report it has run out
    (``law.rules.public_notice.publication_too_early``)."""
    if permit.status != Permit.Status.VALID:
        return Text("This permit is no longer in force.", "该证件已失效。")
    running = latest(permit)
    if running is not None and not may_void_after_notice(running.published_on, on):
        ends = day_text(running.period_ends_on)
        return Text(
            f"Notice {running.number} runs until {ends.en}.",
            f"公告{running.number}的期限至{ends.zh}。",
        )
    changed = reason_changed_on(permit)
    if changed is None:
        return Text(
            "Art. 34(3): no change of the reason for residence is on record for this permit "
            "(a unit's report); there is nothing to announce.",
            "第三十四条第三项：该证件没有居留事由发生变更的记录（单位报告），无需公告。",
        )
    return publication_too_early(changed, on)


def publish(actor: Actor, permit: Permit, *, on: date) -> PublicNotice:
    """Publish the Art. 34(3) notice for ``permit`` on ``on``, unless ``publish_refusal`` says why not."""
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
            initials=initials(permit.person),
            nationality=permit.person.nationality,
            masked_number=masked(permit.number),
            published_by=actor.user,
        )
        notice.number = f"GG{on:%Y}{notice.pk:06d}"
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
            },
        )
    return notice


def voiding_refusal(permit: Permit, ground_id: str, on: date) -> Text | None:
    """Why ``permit`` may not be voided on ``ground_id`` on ``on`` yet (None: it may): Art. 34(3) needs a
    notice whose period has run."""
    if not needs_public_notice(ground_id):
        return None
    notice = latest(permit)
    if notice is None:
        return Text(
            "Art. 34(3): publish a public notice first; the permit may be declared void after its period.",
            "第三十四条第三项：须先发布公告，公告期满后方可宣布证件作废。",
        )
    if not may_void_after_notice(notice.published_on, on):
        return Text(
            f"Art. 34(3): notice {notice.number} runs until {notice.period_ends_on}; "
            "the permit may be declared void from the day after.",
            f"第三十四条第三项：公告{notice.number}的期限至{notice.period_ends_on}，期满次日起方可宣布作废。",
        )
    return None
