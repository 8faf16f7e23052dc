"""What a unit reports under Regulations Art. 26, and what each report does (``catalog/unit_reports.yaml``).

A unit that employs foreigners or enrolls foreign students reports "promptly" (the article sets no day
count, and none is set here) when one of them resigns or changes work location, graduates, completes or
interrupts studies, withdraws or leaves, violates the rules, dies or goes missing. Each event a unit can
name falls under one item of the article (a ``unit-report`` ground) and says whom it concerns, whether it
ends the person's place on the unit's roster, and whether it ends the basis of a running residence permit
of the type the relation gives (work for an employee, study for a student): then the reason for residence
has changed (Art. 34(3)) and the hall follows it up (``FOLLOW_UP_GROUND``). A change of work location is
only reported: the person still works for the unit, so the reason for residence is unchanged. A death is no change of the
reason for residence: the hall cancels the running residence permit, whatever its type, on the death
certificate (Exit and Entry Administration Law Art. 40 para. 2; ``DEATH_FOLLOW_UP_GROUND``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from exitentry.law.files import CATALOG_DIR, CatalogError, read_yaml
from exitentry.law.model import RESIDENCE_PERMIT_TYPES
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.grounds import Ground, ground, ground_for, ground_kind
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text

EVENTS_FILE = CATALOG_DIR / "unit_reports.yaml"
FOLLOW_UP_GROUND = "follow-up-reason-for-residence-changed"  # catalog/grounds.yaml, kind follow-up
DEATH_FOLLOW_UP_GROUND = "follow-up-holder-died"  # catalog/grounds.yaml, kind follow-up (Law Art. 40 para. 2)
FOLLOW_UP_GROUNDS = (FOLLOW_UP_GROUND, DEATH_FOLLOW_UP_GROUND)  # every follow-up a unit's report opens
RELATIONS = ("employee", "student")
RELATION_TEXT = {
    "employee": Text("an employee", "聘用的外国人"),
    "student": Text("a student", "留学生"),
}  # in a sentence
# The relation as a document's value (a receipt's "Relation to the unit"), not inside a sentence.
RELATION_NAME = {
    "employee": Text("Foreign employee", "聘用的外国人"),
    "student": Text("Foreign student", "留学生"),
}
# How the hall ends the permit of a holder a unit reported dead (Law Art. 40 para. 2), for the unit's
# receipt (``permit``: the permit by its number) and the events a unit reports (``RUNNING_PERMIT``).
CANCELLED_ON_DEATH = Text(
    "The exit-entry administration cancels {permit} on the death certificate the family, guardian or agent "
    "declares.",
    "出入境管理机构凭家属、监护人或者代理人申报时提交的死亡证明注销{permit}。",
)
RUNNING_PERMIT = Text("the person’s running residence permit", "此人有效的居留证件")
PERMIT_TYPE_TEXT = {"work": Text("work-type", "工作类"), "study": Text("study", "学习类")}


class ReportRefused(ValueError):
    """An event that cannot be reported for this person on this day; ``text`` says why in both languages."""

    def __init__(self, text: Text):
        self.text = text
        super().__init__(text.en)


@dataclass(frozen=True, slots=True)
class ReportEvent:
    """One event a unit names in a report: the Art. 26 item it falls under, whom it concerns, what it ends."""

    id: str
    ground_id: str
    relations: tuple[str, ...]
    ends_place: bool
    ends_basis: bool
    cancels_permit: bool
    text: Text

    @property
    def ground(self) -> Ground:
        """The item of Art. 26 the event falls under."""
        return ground(self.ground_id)

    @property
    def cite(self) -> tuple[Citation, ...]:
        return self.ground.cite


@dataclass(frozen=True, slots=True)
class Effect:
    """What a report of ``event`` for a person of ``relation`` does."""

    event: ReportEvent
    relation: str
    ends_place: bool
    ends_basis_of: tuple[str, ...]  # the residence permit types whose basis ends (empty: none)
    follow_up_cite: tuple[Citation, ...]  # where the hall's follow-up comes from (Art. 34(3)); empty: none
    follow_up_ground: str | None = None  # the follow-up the hall opens (a ``follow-up`` ground); None: none
    follow_up_of: tuple[str, ...] = ()  # the residence permit types a running permit of which it concerns

    @property
    def opens_follow_up(self) -> bool:
        return self.follow_up_ground is not None

    @property
    def cite(self) -> tuple[Citation, ...]:
        """The item of Art. 26 reported, then the follow-up's provision."""
        return self.event.cite + self.follow_up_cite


@cache
def _catalog() -> tuple[dict[str, tuple[str, ...]], dict[str, ReportEvent]]:
    raw = read_yaml(EVENTS_FILE) or {}
    where = "unit_reports.yaml"
    permit_types = {k: tuple(v) for k, v in (raw.get("permit_types") or {}).items()}
    if set(permit_types) != set(RELATIONS):
        raise CatalogError(f"{where}: permit_types names each relation ({', '.join(RELATIONS)})")
    listed = {g.id for g in ground_kind("unit-report").grounds}
    events: dict[str, ReportEvent] = {}
    for entry in raw.get("events") or ():
        at = f"{where}: {entry.get('id')}"
        if entry.get("id") in events:
            raise CatalogError(f"{at}: event id is used twice")
        if entry.get("ground") not in listed:
            raise CatalogError(f"{at}: ground must be one of the unit-report grounds: {sorted(listed)}")
        relations = tuple(entry.get("relations") or ())
        if not relations or not set(relations) <= set(RELATIONS):
            raise CatalogError(f"{at}: relations are some of {RELATIONS}")
        for flag in ("ends_place", "ends_basis"):
            if not isinstance(entry.get(flag), bool):
                raise CatalogError(f"{at}: {flag} must be true or false")
        if entry.get("cancels_permit", False) not in (True, False) or (
            entry.get("cancels_permit") and entry["ends_basis"]
        ):
            raise CatalogError(f"{at}: cancels_permit is true or false, and not beside ends_basis")
        events[entry["id"]] = ReportEvent(
            id=entry["id"],
            ground_id=entry["ground"],
            relations=relations,
            ends_place=entry["ends_place"],
            ends_basis=entry["ends_basis"],
            cancels_permit=bool(entry.get("cancels_permit", False)),
            text=Text.parse(entry["text"], at),
        )
    if {e.ground_id for e in events.values()} != listed:
        raise CatalogError(f"{where}: every item of Art. 26 has at least one event")
    return permit_types, events


def all_events() -> tuple[ReportEvent, ...]:
    """Every event, in the article's order."""
    return tuple(_catalog()[1].values())


@cites("regulations: Art. 34(3)")
def reason_change_events() -> frozenset[str]:
    """The events whose report is of a change of the reason for residence: those that end the basis of a
    running permit (``ends_basis``, the follow-up ``FOLLOW_UP_GROUND``). Not a death (Law Art. 40 para. 2), nor a
    change of work location, nor an event no longer in the catalog."""
    return frozenset(e.id for e in all_events() if e.ends_basis)


@cites("regulations: Art. 26")
def events_to_report(relation: str, on: date) -> tuple[ReportEvent, ...]:
    """The events a unit must report promptly for a person of ``relation`` (employee or student), as the
    article stands on ``on``."""
    in_force = {g.id for g in ground_kind("unit-report").grounds if g.in_force_on(on)}
    return tuple(e for e in all_events() if relation in e.relations and e.ground_id in in_force)


# Whom a unit of each kind reports on (Art. 26: the unit that employs a foreigner, the school that admits one).
RELATION_OF_UNIT_KIND = {"employer": "employee", "school": "student"}


@cites("regulations: Art. 26")
def events_for_unit(kind: str, on: date) -> tuple[ReportEvent, ...]:
    """The events a unit of ``kind`` (employer, school) reports, as the article stands on ``on``; none for
    a unit of another kind."""
    relation = RELATION_OF_UNIT_KIND.get(kind)
    return events_to_report(relation, on) if relation else ()


def report_event(event_id: str) -> ReportEvent:
    """The event with this id; ``ReportRefused`` naming the events there are."""
    try:
        return _catalog()[1][event_id]
    except KeyError:
        ids = list(_catalog()[1])
        raise ReportRefused(
            Text(
                f"There is no event “{event_id}” to report; the events are: {', '.join(ids)}.",
                f"没有“{event_id}”这一报告事项；报告事项有：{'、'.join(ids)}。",
            )
        ) from None


@cites("regulations: Art. 26", "regulations: Art. 34(3)", "exit-entry-law: Art. 40 para. 2")
def effect(event_id: str, relation: str, on: date) -> Effect:
    """What reporting ``event_id`` on ``on`` for a person of ``relation`` does: whether the person's place
    on the roster ends, the residence permit types whose basis ends (the reason for residence changed,
    Art. 34(3)), and the follow-up the hall opens on a running permit: that change, or a death's
    cancellation (Law Art. 40 para. 2). ``ReportRefused`` for an event that does not concern the relation or is not
    in force."""
    event = report_event(event_id)
    if relation not in RELATIONS:
        raise ReportRefused(Text(f"Unknown relation {relation!r}.", f"未知的关系“{relation}”。"))
    if relation not in event.relations:
        whom, article = RELATION_TEXT[relation], cite("regulations", "Art. 26").label
        raise ReportRefused(
            Text(
                f"“{event.text.en}” is not reported for {whom.en}; choose an event of the {article.en} "
                f"that concerns {whom.en}.",
                f"“{event.text.zh}”不适用于{whom.zh}，请选择{article.zh}中适用于{whom.zh}的报告事项。",
            )
        )
    ground_for("unit-report", event.ground_id, on)  # refuses an item not in force on ``on``
    ends_basis_of = _catalog()[0][relation] if event.ends_basis else ()
    if event.cancels_permit:
        follow_up_ground, follow_up_of = DEATH_FOLLOW_UP_GROUND, RESIDENCE_PERMIT_TYPES
    elif ends_basis_of:
        follow_up_ground, follow_up_of = FOLLOW_UP_GROUND, ends_basis_of
    else:
        follow_up_ground, follow_up_of = None, ()
    # the follow-up ground's own citation, Art. 34(3) or Law Art. 40 para. 2 (the item of Art. 26 is cited already)
    follow_up = ground_for("follow-up", follow_up_ground, on).cite[:1] if follow_up_ground else ()
    return Effect(
        event=event,
        relation=relation,
        ends_place=event.ends_place,
        ends_basis_of=ends_basis_of,
        follow_up_cite=follow_up,
        follow_up_ground=follow_up_ground,
        follow_up_of=follow_up_of,
    )
