"""What an officer records about an alert: contacted, ordered to leave, a case opened, closed as resolved
or unfounded. Each is one ``AlertAction`` row (who, when, kind, note) and one audit entry, in one
transaction.

Which actions an alert takes is the law core's, by its ground (``law.rules.alert_actions``: a holder a unit
reported dead is neither contacted nor ordered to leave); another is refused naming why, nothing written.

"Ordered to leave" is the order itself: ``order_to_leave`` records the ``OrderToLeave`` through
``compliance.services`` (Art. 33 decides its last day) and the action links to it, in one transaction, so
the order is one record that the enforcement page tracks, not a note.

Closing (resolved, unfounded) needs a note and sets the alert's ``closed_on`` and ``resolution``. The
scan (``compliance.scan``) never reopens a cause an officer closed: it finds the same (person, ground,
cause) again, sees the officer's resolution and opens nothing; a new cause (another permit, a later
entry, another last day) is a new alert.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from exitentry import clock
from exitentry.accounts.audit import Actor, record
from exitentry.cases.models import Case
from exitentry.cases.services import Refused
from exitentry.compliance import services
from exitentry.compliance.models import Alert, AlertAction, OrderToLeave
from exitentry.law.rules.alert_actions import refusal
from exitentry.law.text import Text

Kind = AlertAction.Kind
CLOSING = (Kind.RESOLVED, Kind.UNFOUNDED)
ORDER_NEEDS = Text("Record the order to leave with its date and days.", "请填写限期出境决定的日期和期限。")


class ActionRefused(ValueError):
    """An action the alert cannot take, naming the field and saying why in both languages."""

    def __init__(self, field: str, text: Text):
        self.field, self.text = field, text
        super().__init__(text.en)


def offered(alert: Alert, kind: str) -> None:
    """``ActionRefused`` on the kind unless the law core offers ``kind`` for ``alert``'s ground."""
    if (why := refusal(alert.ground_id, kind)) is not None:
        raise ActionRefused("kind", why)


def act(
    actor: Actor,
    alert: Alert,
    kind: str,
    *,
    on: date,
    note: str = "",
    case: Case | None = None,
    order: OrderToLeave | None = None,
):
    """Record ``kind`` on ``alert`` by ``actor`` on ``on``; ``case`` (the person's) for "case opened",
    ``order`` (the person's) for "ordered to leave"."""
    offered(alert, kind)
    note = note.strip()
    if kind in CLOSING and not note:
        raise ActionRefused(
            "note", Text("Say in a note why the alert is closed.", "请在备注中说明关闭预警的理由。")
        )
    if kind == Kind.CASE_OPENED and (case is None or case.person_id != alert.person_id):
        raise ActionRefused(
            "case", Text("Choose one of this person's applications.", "请选择此人的一项申请。")
        )
    if kind == Kind.ORDER_TO_LEAVE and (order is None or order.person_id != alert.person_id):
        raise ActionRefused("order", ORDER_NEEDS)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.closed_on is not None:
            raise ActionRefused("alert", Text("This alert is closed already.", "此预警已关闭。"))
        action = AlertAction.objects.create(
            alert=alert,
            kind=kind,
            by=actor.user,
            at=clock.now(),
            note=note,
            case=case if kind == Kind.CASE_OPENED else None,
            order=order if kind == Kind.ORDER_TO_LEAVE else None,
        )
        old = None
        if kind in CLOSING:
            old = {"closed_on": None, "resolution": ""}
            alert.closed_on, alert.resolution = on, kind
            alert.save(update_fields=["closed_on", "resolution"])
        record(
            actor,
            f"alert.{kind}",
            "alert",
            alert.pk,
            old=old,
            new={
                "action": action.pk,
                "note": note,
                "case": action.case_id,
                "order": action.order_id,
                "closed_on": alert.closed_on,
            },
        )
    return action


def order_to_leave(actor: Actor, alert: Alert, *, ordered_on: date, days: int, on: date, note: str = ""):
    """Record an order to leave within ``days`` of ``ordered_on`` (Art. 33) for the alert's person and the
    "ordered to leave" action linked to it, both or neither."""
    offered(alert, Kind.ORDER_TO_LEAVE)
    with transaction.atomic():
        try:
            order = services.order_to_leave(actor, alert.person, ordered_on=ordered_on, days=days)
        except Refused as refused:
            raise ActionRefused(refused.field, refused.message) from None
        return act(actor, alert, Kind.ORDER_TO_LEAVE, on=on, note=note, order=order)
