"""Voiding (Art. 34) and cancelling or confiscating (Art. 35) a permit, as the console and the API do it:
the registry's ``end_permit`` after the checks the law adds, audited.

- Voiding for an unreported change of the reason for residence (Art. 34(3)) waits for a public notice's
  period (``compliance.notices``).
- Only a visa, stay or residence permit is voided or cancelled, and only a residence permit on the
  Art. 34(3) ground (``law.rules.endings``): a work permit is not the hall's to end.
- A permit past its last valid day is neither voided nor cancelled (``law.rules.grounds.ending_refusal``).
- A cancellation records who notified the issuing authority, and when (Art. 35: the deciding authority
  promptly notifies it); the console asks for it, the API records it when told.
- A cancellation on the holder's death (Exit and Entry Administration Law Art. 40 para. 2) closes, as
  resolved, the open follow-up a unit's report of the death opened on the permit: what it awaited is done.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from exitentry.accounts.audit import Actor, record
from exitentry.compliance import actions
from exitentry.compliance.models import Alert, UnitReport
from exitentry.compliance.notices import NoticeRefused, voiding_refusal
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.law.rules.grounds import ending_refusal, ground_for
from exitentry.law.rules.unit_reports import DEATH_FOLLOW_UP_GROUND
from exitentry.law.sources import cited
from exitentry.law.text import Text
from exitentry.registry import services as registry
from exitentry.registry.models import Permit

STATUSES = {"void": Permit.Status.VOID, "cancel": Permit.Status.CANCELLED}
KINDS = {"void": "void", "cancel": "cancellation"}  # the ground kinds (``catalog/grounds.yaml``)
CANCELLED_ON_DEATH = cited(
    Text("Permit {number} cancelled on the holder's death", "证件{number}已因持证人死亡注销"),
    "exit-entry-law",
    "Art. 40 para. 2",
)


def end_permit(
    actor: Actor, permit: Permit, ending: str, ground_id: str, *, on: date, authority_notified: bool = False
) -> Permit:
    """Void or cancel ``permit`` on ``ground_id``; ``UnknownGround``, ``OutOfReach``,
    ``PermitAlreadyEnded`` or ``NoticeRefused`` when the law does not allow it."""
    ground_for(KINDS[ending], ground_id, on)  # an unknown ground first: the input, before the permit
    registry.check_reach(permit, ending, ground_id)
    if (why := ending_refusal(permit.valid_until, on)) is not None:
        raise NoticeRefused(why)
    if ending == "void" and (why := voiding_refusal(permit, ground_id, on)) is not None:
        raise NoticeRefused(why)
    notified_by = actor.user if ending == "cancel" and authority_notified else None
    old = permit.particulars()
    with transaction.atomic():
        # The follow-ups first, locked (skipping any another officer closed meanwhile): the audit head last.
        waiting = _death_follow_ups(permit) if ending == "cancel" and ground_id == DEATH_CANCEL_GROUND else []
        registry.end_permit(permit, STATUSES[ending], ground_id, on=on, notified_by=notified_by)
        record(
            actor,
            f"permit.{ending}",
            "permit",
            permit.pk,
            old=old,
            new={
                **permit.particulars(),
                "ground_id": ground_id,
                **({"authority_notified_by": actor.name} if notified_by else {}),
            },
        )
        said = CANCELLED_ON_DEATH.format(number=permit.number)
        for alert in waiting:
            actions.act(actor, alert, actions.Kind.RESOLVED, on=on, note=f"{said.en}\n{said.zh}")
    return permit


def _death_follow_ups(permit: Permit) -> list[Alert]:
    """The open follow-ups units' reports of the holder's death opened on ``permit``, locked in key order."""
    reported = UnitReport.objects.filter(permit=permit).values("follow_up_id")
    waiting = Alert.objects.filter(pk__in=reported, ground_id=DEATH_FOLLOW_UP_GROUND, closed_on__isnull=True)
    return list(waiting.select_for_update().order_by("pk"))
