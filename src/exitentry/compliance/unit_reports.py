"""Filing a unit's reports (Regulations Art. 26): the one write path the pages, the CSV upload and the API
share, and the reads of them.

A unit handler files for the people on their own unit's roster (``registry.Affiliation``): the person must
hold a place there on the day the event happened, which is not after today. What the report does is the
law core's (``law.rules.unit_reports.effect``); here it is done, in one transaction with the report and its
audit entries:

- the place on the roster ends on the day of the event, where the event ends it;
- where the event ends the basis of a running work or study residence permit (issued on or before that
  day, valid and not run out today), the hall's follow-up opens: an ``Alert`` on the follow-up ground
  (Art. 26, Art. 34(3)) that officers work from the console, up to the permit's public notice; where the
  holder's own report of the same change already opened one that is still open, the report joins it
  instead (one follow-up per change, ``change_reports.holders_follow_up``).

Several reports (a CSV file) are all checked first and filed together or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from exitentry import clock
from exitentry.accounts import policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import Unit, User
from exitentry.cases.access import people_rule
from exitentry.cases.services import Refused
from exitentry.compliance import change_reports, numbers
from exitentry.compliance.follow_ups import open_follow_up
from exitentry.compliance.models import Alert, UnitReport
from exitentry.law.calendar import beijing_today
from exitentry.law.rules import unit_reports as law
from exitentry.law.text import Text, day_text
from exitentry.registry.models import Affiliation, Permit, Person
from exitentry.registry.roster import open_on

NUMBER_PREFIX = "BG"
PRINTED = re.compile(rf"{NUMBER_PREFIX}\d{{11,}}")  # the receipt number as made below: prefix, year, 7 digits
NOTE_LIMIT = 2000  # characters: a note says what the event was, not a file


def reports_for(user: User) -> QuerySet[UnitReport]:
    """The reports ``user`` may read: their own unit's (a handler's); nobody else's."""
    if not policy.files_unit_reports(user):
        return UnitReport.objects.none()
    return UnitReport.objects.filter(unit_id=user.unit_id)


def receipts_for(user: User) -> QuerySet[UnitReport]:
    """The reports whose receipt ``user`` may read: their own unit's (``reports_for``), and for officers
    and supervisors those on the people they read (``cases.access.hall_people``: their halls' district
    among them), as the console's person page lists them."""
    if policy.is_hall_side(user):
        return UnitReport.objects.filter(person__in=Person.objects.filter(people_rule(user)))
    return reports_for(user)


def roster(unit: Unit, on: date) -> QuerySet[Affiliation]:
    """The places on ``unit``'s roster on ``on``, with their people."""
    return (
        Affiliation.objects.filter(open_on(on), unit=unit)
        .select_related("person")
        .order_by("person__surname", "person__given_names", "pk")
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """One report as given: the person, the event id, the day and a note."""

    person_id: int
    event: str
    happened_on: date
    note: str = ""


LARGEST_ID = 2**63 - 1  # a database's largest integer: a larger id names nobody (and no query is made)


def _place(unit: Unit, draft: Draft, *, lock: bool = False) -> Affiliation:
    place = None
    if 0 < draft.person_id <= LARGEST_ID:
        places = Affiliation.objects.filter(open_on(draft.happened_on), unit=unit, person_id=draft.person_id)
        if lock:
            places = places.select_for_update()
        place = places.order_by("-started_on").first()
    if place is None:
        raise Refused(
            "person",
            Text(
                "This person is not on the unit's roster on the day of the event.",
                "事件发生之日此人不在本单位人员名册上。",
            ),
        )
    return place


def known_event(unit: Unit, event: str, on: date) -> str:
    """``event`` if it is one of Art. 26's that a unit of ``unit``'s kind reports (``law.rules.unit_reports``);
    ``Refused`` on the event field, listing the events it does report."""
    events = law.events_for_unit(unit.kind, on)
    ids = [e.id for e in events]
    if event not in ids:
        named = Text(
            "; ".join(f"{e.text.en} ({e.id})" for e in events),
            "、".join(f"{e.text.zh}（{e.id}）" for e in events),
        )
        raise Refused(
            "event",
            Text(
                f"There is no event “{event}” for this unit to report; the events it reports are: {named.en}.",
                f"本单位没有“{event}”这一报告事项；本单位的报告事项有：{named.zh}。",
            )
            if event.strip()
            else Text(  # an empty value is asked for, never quoted
                f"Give the event; the events this unit reports are: {named.en}.",
                f"请填写报告事项；本单位的报告事项有：{named.zh}。",
            ),
        )
    return event


def check(unit: Unit, draft: Draft, on: date, *, lock: bool = False) -> tuple[Affiliation, law.Effect]:
    """The roster place the report is about and what it does; ``Refused`` naming the field otherwise."""
    if draft.happened_on > on:
        raise Refused(
            "happened_on",
            Text("The day of the event cannot be after today.", "事件发生日期不能晚于今天。"),
        )
    if len(draft.note) > NOTE_LIMIT:
        raise Refused(
            "note", Text(f"The note is longer than {NOTE_LIMIT} characters.", f"备注超过{NOTE_LIMIT}个字符。")
        )
    if "\x00" in draft.note:  # PostgreSQL stores no NUL in text; refused alike on every database
        raise Refused(
            "note", Text("The note contains a NUL character.", "备注中含有空字符（NUL），无法保存。")
        )
    known_event(unit, draft.event, on)
    place = _place(unit, draft, lock=lock)
    try:
        done = law.effect(draft.event, place.relation, draft.happened_on)
    except law.ReportRefused as refused:
        raise Refused("event", refused.text) from None
    earlier = _same_event(place, draft, done)
    if earlier is not None:
        happened = day_text(earlier.happened_on)
        raise Refused(
            "event",
            Text(
                f"This event is already reported for this person: receipt {earlier.number} "
                f"(happened on {happened.en}).",
                f"已就此人的该事项提交过报告：回执{earlier.number}（发生日期{happened.zh}）。",
            ),
        )
    return place, done


def _same_event(place: Affiliation, draft: Draft, done: law.Effect) -> UnitReport | None:
    """The report already filed of the same event at ``place``: on the same day, or on any day for an event
    that ends the place (it happens once; project policy from the law core's ``ends_place``)."""
    filed = UnitReport.objects.filter(affiliation=place, event=draft.event)
    if not done.ends_place:
        filed = filed.filter(happened_on=draft.happened_on)
    return filed.order_by("pk").first()


_DUPLICATE = Text(
    "This event on this day is already reported for this person.", "已就此人该日的该事项提交过报告。"
)


def _running_permit(person: Person, done: law.Effect, happened_on: date, on: date) -> Permit | None:
    """The person's latest residence permit of the types the follow-up concerns, issued by the day of the event
    and still running today."""
    return (
        Permit.objects.filter(
            person=person,
            kind="residence-permit",
            permit_type__in=done.follow_up_of,
            issued_on__lte=happened_on,
        )
        .in_force(on)
        .order_by("-issued_on", "-pk")
        .first()
    )


def _file_one(actor: Actor, unit: Unit, draft: Draft, source: str, on: date) -> UnitReport:
    place, done = check(unit, draft, on, lock=True)
    report = UnitReport.objects.create(
        unit=unit,
        person_id=draft.person_id,
        travel_document=place.person.travel_document_on(on, claims=False),  # the registry's (``UnitReport``)
        affiliation=place,
        event=draft.event,
        ground_id=done.event.ground_id,
        happened_on=draft.happened_on,
        note=draft.note.strip(),
        filed_by=actor.user,
        filed_at=clock.now(),
        number=numbers.pending(),
        source=source,
    )
    report.number = numbers.receipt(NUMBER_PREFIX, on, report.pk)
    changed = ["number"]
    if done.ends_place and (place.ended_on is None or place.ended_on > draft.happened_on):
        old = place.ended_on
        place.ended_on = draft.happened_on
        place.save(update_fields=["ended_on"])
        record(
            actor,
            "affiliation.end",
            "affiliation",
            place.pk,
            old={"ended_on": old},
            new={"ended_on": place.ended_on, "report": report.number},
        )
    permit = _running_permit(place.person, done, draft.happened_on, on) if done.opens_follow_up else None
    if permit is not None:
        report.permit, report.follow_up = permit, _follow_up(actor, report, permit, done.follow_up_ground, on)
        changed += ["permit", "follow_up"]
    report.save(update_fields=changed)
    record(
        actor,
        "unit_report.file",
        "unitreport",
        report.pk,
        new={
            "number": report.number,
            "unit": unit.pk,
            "person": draft.person_id,
            "event": draft.event,
            "happened_on": draft.happened_on,
            "source": source,
            "place_ended": done.ends_place,
            "follow_up": report.follow_up_id,
        },
    )
    return report


def _follow_up(actor: Actor, report: UnitReport, permit: Permit, ground_id: str, on: date) -> Alert:
    """The hall's follow-up (``ground_id``) of what ``report`` dates: for a change of the reason for
    residence, the open one a holder's report of the same change opened or joined
    (``change_reports.holders_follow_up``), which the report joins; else a new one."""
    joined = (
        change_reports.holders_follow_up(permit, report.happened_on)
        if ground_id == law.FOLLOW_UP_GROUND
        else None
    )
    if joined is not None:
        record(actor, "alert.join", "alert", joined.pk, new={"report": report.number})
        return joined
    cause = f"report:{report.pk}:permit:{permit.pk}"
    return open_follow_up(
        actor, report.person_id, ground_id, cause, on, permit=permit.pk, report=report.number
    )


def file_reports(actor: Actor, unit: Unit, drafts: list[Draft], *, source: str) -> list[UnitReport]:
    """File ``drafts`` for ``unit``, all or none, each with its receipt number and effects."""
    on = beijing_today(clock.now())  # the day of its stamp, a replayed one too (``clock``)
    seen: set[tuple[int, str, date]] = set()
    for draft in drafts:
        key = (draft.person_id, draft.event, draft.happened_on)
        if key in seen:
            raise Refused("event", _DUPLICATE)
        seen.add(key)
    try:
        with transaction.atomic():
            return [_file_one(actor, unit, draft, source, on) for draft in drafts]
    except IntegrityError:  # the same report filed at the same moment beside this one
        raise Refused("event", _DUPLICATE) from None


def file_report(actor: Actor, unit: Unit, draft: Draft, *, source: str) -> UnitReport:
    return file_reports(actor, unit, [draft], source=source)[0]


def read(actor: Actor, report: UnitReport) -> UnitReport:
    """Audit the read of one report (it names a person)."""
    record(actor, "unit_report.read", "unitreport", report.pk)
    return report


def read_list(actor: Actor, listing: str, reports: list[UnitReport]) -> None:
    """One entry for a list of reports shown with their people's names."""
    if reports:
        record(actor, "unit_report.list", listing, "", new={"reports": [r.pk for r in reports]})


def read_roster(actor: Actor, unit: Unit, places: list[Affiliation]) -> None:
    """One entry for the roster shown with its people's names (the report form's list)."""
    if places:
        record(actor, "roster.read", "unit", unit.pk, new={"people": [p.person_id for p in places]})


def effect_of(report: UnitReport) -> law.Effect:
    """What the report did, as the law core says (for the receipt)."""
    return law.effect(report.event, report.affiliation.relation, report.happened_on)
