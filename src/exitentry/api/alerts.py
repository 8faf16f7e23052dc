"""``/alerts``: the compliance alerts of the officer's halls' districts, and what was done about one
(contacted, ordered to leave, a case opened, closed as resolved or unfounded).

The list is the console's (``compliance.alert_list``: the same district rule, filters and order); an
action goes through the same service as the console's form (``compliance.actions``), one row and one
audit entry, once per ``Idempotency-Key`` (a retry gets the first answer, ``idempotency``). Officers and
supervisors only, with their second factor (``SignedIn``): another signed-in user is 403; an alert of
another district is 404, as if it did not exist; an action the alert cannot take is 422 naming the field,
on a closed alert 409. Which actions an alert takes is the law core's, by its ground (``offers``: a holder
a unit reported dead is neither contacted nor ordered to leave); another is 422 on ``kind``, saying why.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema

from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record, record_alert_list
from exitentry.api import idempotency
from exitentry.api.auth import SignedIn
from exitentry.api.errors import ApiError
from exitentry.api.language import filled
from exitentry.api.paging import WindowQuery
from exitentry.api.routing import Router, described
from exitentry.api.schemas import CitationOut, Out, TextOut, article
from exitentry.cases import access
from exitentry.compliance import actions, alert_list
from exitentry.compliance.models import Alert, AlertAction
from exitentry.law.calendar import beijing_today
from exitentry.law.rules import alert_actions
from exitentry.law.sources import Citation
from exitentry.law.text import Text

router = Router(tags=["alerts"], auth=SignedIn(), errors=[409])
_ORDER = article("regulations", "Art. 33")  # an order to leave within a time limit

_HALL_ONLY = Text(
    "Only officers and supervisors work on the compliance alerts.", "只有民警和审批主管可以处理合规预警。"
)
_UNKNOWN_GROUND = Text(
    "No alert has this ground: give one of the ids GET /alerts answers with.",
    "没有此类预警理由：请使用 GET /alerts 返回的理由标识。",
)


class ActionOut(Out):
    id: int
    kind: str = Field(description=_("contacted, order_to_leave, case_opened, resolved or unfounded"))
    by: str = Field(description=_("the officer's user name"))
    at: datetime
    note: str
    case_id: int | None
    order_id: int | None = Field(description=_("the order to leave, under /people/{id}/enforcement"))


class AlertOut(Out):
    id: int
    person_id: int
    person: str = Field(description=_("SURNAME Given Names"))
    ground_id: str
    ground: TextOut | None = Field(description=_("what the ground or duty says"))
    cite: CitationOut
    due_on: date | None = Field(description=_("the day a late duty was due"))
    since: date | None = Field(description=_("the first day of illegal residence"))
    opened_on: date
    closed_on: date | None
    resolution: str = Field(
        description=_("resolved or unfounded once an officer closed it; empty while open")
    )
    overdue: bool
    offers: list[str] = Field(description=_("the actions this alert takes, by its ground (POST .../actions)"))
    offers_why: TextOut | None = Field(
        description=_("why it takes no other action; null when it takes every one")
    )
    offers_cite: list[CitationOut]


class AlertDetailOut(AlertOut):
    actions: list[ActionOut] = Field(description=_("what was done about it, the earliest first"))


class ListQuery(WindowQuery):
    status: Literal[alert_list.STATUSES] = Field(  # type: ignore[valid-type]
        "open", description=_("open, overdue (past its day), due (not yet late), closed or all")
    )
    ground: str = Field("", max_length=60, description=_("one ground id; empty for every ground"))


class ActionIn(Schema):
    kind: Literal[tuple(AlertAction.Kind.values)] = Field(  # type: ignore[valid-type]
        description=_("contacted, order_to_leave, case_opened, resolved or unfounded")
    )
    note: str = Field("", max_length=2000, description=_("needed to close (resolved, unfounded)"))
    case_id: int | None = Field(None, description=_("case_opened: one of the person's applications"))
    ordered_on: date | None = Field(
        None, description=filled(_("order_to_leave: the day of the order (%(order)s)"), order=_ORDER)
    )
    days: int | None = Field(
        None,
        ge=1,
        description=filled(_("order_to_leave: days to leave, at most the maximum (%(order)s)"), order=_ORDER),
    )


def _hall_side(request) -> None:
    if not policy.is_hall_side(request.user):
        raise ApiError(403, None, _HALL_ONLY)


def _alert(request, alert_id: int) -> Alert:
    _hall_side(request)
    return get_object_or_404(alert_list.listed(request.user, beijing_today(), "all"), pk=alert_id)


def alert_out(alert: Alert, by_ground: dict, on: date) -> dict:
    said = by_ground.get(alert_list.key(alert))
    offered = alert_actions.offered(alert.ground_id)
    return {
        "id": alert.pk,
        "person_id": alert.person_id,
        "person": str(alert.person),
        "ground_id": alert.ground_id,
        "ground": said["text"].as_dict() if said else None,
        "cite": Citation(alert.source_id, alert.section).as_dict(),
        "due_on": alert.due_on,
        "since": alert.since,
        "opened_on": alert.opened_on,
        "closed_on": alert.closed_on,
        "resolution": alert.resolution,
        "overdue": alert_list.is_overdue(alert, on),
        "offers": list(offered.actions),
        "offers_why": offered.why.as_dict() if offered.why else None,
        "offers_cite": [c.as_dict() for c in offered.cite],
    }


def _detail(alert: Alert, on: date) -> dict:
    by_ground = {g["id"]: g for g in alert_list.grounds(on)}
    done = alert.actions.select_related("by").order_by("at", "pk")
    return {
        **alert_out(alert, by_ground, on),
        "actions": [
            {
                "id": a.pk,
                "kind": a.kind,
                "by": a.by.get_username(),
                "at": a.at,
                "note": a.note,
                "case_id": a.case_id,
                "order_id": a.order_id,
            }
            for a in done
        ],
    }


@router.get(
    "/alerts",
    response=list[AlertOut],
    description=described(
        _(
            "officers and supervisors, with their second factor (403 for anyone else); an alert of another district is 404."
        ),
        _(
            "The compliance alerts of the caller's halls' districts (an overstay, a duty missed, a unit's report), most"
            " urgent first, filtered by `status` and `ground`, paginated. Recorded as a read of the people shown."
        ),
    ),
    summary=_("The alerts of your halls' districts, most urgent first"),
)
def list_alerts(request, query: Query[ListQuery]):
    _hall_side(request)
    on = beijing_today()
    by_ground = {g["id"]: g for g in alert_list.grounds(on)}
    if query.ground and query.ground not in by_ground:
        raise ApiError(422, "ground", _UNKNOWN_GROUND)
    found = alert_list.listed(request.user, on, query.status, query.ground)
    rows = [alert_out(a, by_ground, on) for a in found[query.offset : query.offset + query.limit]]
    shown = [(r["id"], r["person_id"]) for r in rows]
    record_alert_list(Actor.of(request), f"{query.offset}+{query.limit}", shown)
    return rows


@router.get(
    "/alerts/{alert_id}",
    response=AlertDetailOut,
    description=described(
        _(
            "officers and supervisors, with their second factor (403 for anyone else); an alert of another district is 404."
        ),
        _(
            "One alert with its ground, the person, the actions it offers and what was done about it. Recorded as a read."
        ),
    ),
    summary=_("An alert and what was done about it"),
)
def get_alert(request, alert_id: int):
    alert = _alert(request, alert_id)
    record(Actor.of(request), "alert.read", "alert", alert.pk)
    return _detail(alert, beijing_today())


@router.post(
    "/alerts/{alert_id}/actions",
    response={201: AlertDetailOut},
    description=described(
        _(
            "officers and supervisors, with their second factor (403 for anyone else); an alert of another district is 404."
        ),
        _(
            "Records an action (`kind`): the person contacted, an order to leave (with `ordered_on` and `days`), a case"
            " opened (`case_id`), or the alert closed as resolved or unfounded (closing needs a `note`). Which actions an"
            " alert takes depends on its ground; another is 422 on `kind`, saying why. An action on a closed alert is 409."
        ),
        filled(
            _("an order to leave is one under the %(article)s."), article=article("regulations", "Art. 33")
        ),
    ),
    summary=filled(
        _(
            "Record what was done about an alert (send an Idempotency-Key; closing needs a note; an order to leave is one under the %(order)s)"
        ),
        order=_ORDER,
    ),
)
def act(request, alert_id: int, payload: ActionIn, idempotency_key: str = idempotency.KEY):
    def write() -> tuple[int, dict]:
        alert = _alert(request, alert_id)
        actor, on = Actor.of(request), beijing_today()
        try:
            actions.offered(alert, payload.kind)  # before the order's fields
            if payload.kind == AlertAction.Kind.ORDER_TO_LEAVE:
                for field in ("ordered_on", "days"):
                    if getattr(payload, field) is None:
                        raise actions.ActionRefused(field, actions.ORDER_NEEDS)
                actions.order_to_leave(
                    actor, alert, ordered_on=payload.ordered_on, days=payload.days, on=on, note=payload.note
                )
            else:
                case = None
                if payload.case_id is not None:
                    case = access.cases_for(request.user).filter(pk=payload.case_id).first()
                actions.act(actor, alert, payload.kind, on=on, note=payload.note, case=case)
        except actions.ActionRefused as refused:
            raise ApiError(409 if refused.field == "alert" else 422, refused.field, refused.text) from None
        alert.refresh_from_db()
        return 201, AlertDetailOut.model_validate(_detail(alert, on)).model_dump(mode="json")

    return idempotency.once(request, idempotency_key, write)
