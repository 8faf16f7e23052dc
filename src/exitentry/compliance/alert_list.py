"""The alerts an officer or supervisor works through, as the console's list (``/console/alerts/``) and the
API's ``GET /alerts`` show them: those of the people of the user's halls' districts (``district``),
filtered by ground and by status, the most urgent first.

Status: open; overdue (illegal residence, or a duty whose day has passed); due (its day still ahead, as a
permanent resident card in its renewal window); closed; all.
"""

from __future__ import annotations

from datetime import date

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from exitentry.compliance import district
from exitentry.compliance.change_reports import HOLDER_CAUSE, HOLDER_TOLD, opened_by_holder
from exitentry.compliance.models import Alert, ChangeReport, UnitReport
from exitentry.compliance.scan import SCANNED, described
from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND, FOLLOW_UP_GROUNDS

STATUSES = ("open", "overdue", "due", "closed", "all")
# the choice of a follow-up of the reason for residence a holder's own report opened (its ground is a unit's)
HOLDER_FOLLOW_UP = "follow-up-opened-by-holder"


def _status_filter(status: str, on: date) -> Q:
    is_open = Q(closed_on__isnull=True)
    return {
        "open": is_open,
        "overdue": is_open & (Q(since__isnull=False) | Q(due_on__lt=on)),
        "due": is_open & Q(since__isnull=True, due_on__gte=on),
        "closed": Q(closed_on__isnull=False),
        "all": Q(),
    }[status]


def grounds(on: date) -> list[dict]:
    """Every ground an alert can have, each once, in words with its citation: the scanned grounds, the
    follow-ups a unit's report opens, and the follow-up a holder's own report opened (``HOLDER_FOLLOW_UP``).
    The filter's choices, and what each alert's row says (``key``)."""
    rows = []
    for ground_id in (*SCANNED, *FOLLOW_UP_GROUNDS):
        text, cite = described(ground_id, on)
        rows.append({"id": ground_id, "text": text, "cite": cite})
    rows.append({"id": HOLDER_FOLLOW_UP, "text": HOLDER_TOLD, "cite": described(FOLLOW_UP_GROUND, on)[1]})
    return rows


def key(alert: Alert) -> str:
    """The alert's choice among ``grounds``: its ground, or ``HOLDER_FOLLOW_UP`` for a holder's follow-up."""
    return key_of(alert.ground_id, alert.cause_key)


def key_of(ground_id: str, cause_key: str) -> str:
    """``key`` of an alert's ground and cause, as a query's ``values`` give them."""
    return HOLDER_FOLLOW_UP if opened_by_holder(cause_key) else ground_id


def _of_ground(ground_id: str) -> Q:
    """The alerts of one choice among ``grounds``: a follow-up of the reason for residence is a unit's
    report's or a holder's, by what opened it (``change_reports.opened_by_holder``)."""
    by_holder = Q(cause_key__startswith=HOLDER_CAUSE)
    if ground_id == HOLDER_FOLLOW_UP:
        return Q(ground_id=FOLLOW_UP_GROUND) & by_holder
    if ground_id == FOLLOW_UP_GROUND:
        return Q(ground_id=FOLLOW_UP_GROUND) & ~by_holder
    return Q(ground_id=ground_id)


def listed(user, on: date, status: str = "open", ground_id: str = "") -> QuerySet:
    """The alerts of ``user``'s halls' districts in ``status`` (one of ``STATUSES``) on ``on``, of
    ``ground_id`` if given: illegal residence longest first, then the duty due earliest, the closed last."""
    found = (
        district.alerts_for_officer(user)
        .filter(_status_filter(status, on))
        .select_related("person")
        .order_by(
            F("closed_on").desc(nulls_first=True),
            Coalesce("since", "due_on").asc(nulls_last=True),
            "pk",
        )
    )
    return found.filter(_of_ground(ground_id)) if ground_id else found


def is_overdue(alert: Alert, on: date) -> bool:
    """Open, and illegal residence or a duty whose day has passed."""
    return alert.closed_on is None and (alert.since is not None or (alert.due_on or on) < on)


def reports_named(alerts: list[Alert]) -> dict[int, dict[str, list[str]]]:
    """The receipt numbers of the reports each follow-up among ``alerts`` names, oldest first: the units'
    (``"unit"``, Regulations Art. 26) and the holder's (``"holder"``, Exit and Entry Administration Law
    Art. 33); one query each, whatever their number."""
    ids = [a.pk for a in alerts if a.ground_id == FOLLOW_UP_GROUND]
    named: dict[int, dict[str, list[str]]] = {pk: {"unit": [], "holder": []} for pk in ids}
    if not ids:
        return named
    for side, model in (("unit", UnitReport), ("holder", ChangeReport)):
        rows = model.objects.filter(follow_up__in=ids).order_by("filed_at", "pk")
        for alert_id, number in rows.values_list("follow_up_id", "number"):
            named[alert_id][side].append(number)
    return named
