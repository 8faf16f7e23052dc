"""A permit as its holder reads it on a day: whether it is expiring, the duties that follow from it with
their dates, and the procedures that act on it.

- Which procedures act on a permit is the catalog's: each procedure's ``casework`` names the action, the
  permit and the residence-permit type it acts on; a first application (``issue``) acts on none. A
  one-stop work permit goes with a work-type residence permit, so the one-stop procedures that act on
  both act on it.
- They act on a permit in force on the day (not past its last day, the one the permit states; not void,
  Regulations Art. 34; not cancelled, Art. 35): an extension, renewal, change, reissue, replacement or endorsement
  changes the permit held (Art. 17), so a permit that has ended is applied for anew. Recorded choice: the
  sources name no procedure for a permit that has run out.
- Which is offered first: the catalog's order (by action, the one-stop ones last), except that a work-type
  residence permit whose work permit ends the same day is offered the one-stop procedures first, which
  renew the two permits together (one-stop guide, 2. and 3. (3)).
- The duties that follow from a permit are the obligations of those procedures (``rp-extension`` lists
  the extension duty, ``pr-card-renewal`` the card's renewal window), each once. A duty whose period runs
  up to the permit's last day ("at least 30 days before it expires", "within one month before") is dated
  from it; a change of particulars from the day of the change where the registry records one (``Held``'s
  ``changed_on``), else it is undated.
- What follows a procedure (its guide's "what follows") is its own obligations and the duties of the
  permit it issues or acts on, read from the same procedures as those of a permit held, so the guide and
  My permits cannot list different duties.
- A permit is expiring while it runs and the day is inside the period before its last day that such a
  duty names: a residence permit's last 30 days (its extension was due by the day before them), a
  permanent resident ID card's renewal month. Recorded choice: the law says when to apply, not when a
  permit "expires soon"; this takes the law's own period, so the page and the duty cannot disagree. A
  work permit, which no such duty binds, is expiring while the work-type residence permit ending the same
  day is: the one-stop renewal renews the two together (one-stop guide, 3. (3)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from exitentry.law.advice import Answer, dated_obligation
from exitentry.law.catalog import catalog
from exitentry.law.model import ACTIONS, Procedure
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.acting import WORK_PERMIT, Held, acting_on, obligations_of
from exitentry.law.rules.duties import after_entry_obligation
from exitentry.law.sources import Citation, cite, cited
from exitentry.law.text import Text, day_text

# The periods that run up to the permit's last day: the fact they run from is the permit's expiry.
BEFORE_EXPIRY = ("at_least_calendar_days_before", "within_months_before")
CHANGE_DATE = "change_date"  # the fact a change of particulars runs from

# The permits the registry holds, by name (Exit and Entry Administration Law Arts. 29-30, Regulations
# Arts. 15, 23; the PR card and the one-stop service's work permit by their own guides).
KIND_NAMES = {
    "residence-permit": Text("Residence permit", "居留证件"),
    "stay-permit": Text("Stay permit", "停留证件"),
    "visa": Text("Visa", "签证"),
    "pr-card": Text("Permanent resident ID card", "外国人永久居留身份证"),
    "exit-document": Text("Exit document", "出境证件"),
    WORK_PERMIT: Text("Foreigner's work permit", "外国人工作许可证"),
}


VISA_ENTRY_VALIDITY = (Citation("regulations", "Art. 36(2)"),)


def last_day_cite(kind: str) -> tuple[Citation, ...]:
    """What defines the end of a permit of ``kind`` on its last day: for a visa, Regulations Art. 36(2)
    (its entry validity ends at 24:00 Beijing time on the last day); none for the others. Recorded choice:
    the sources define no such moment for a residence or stay permit or a card, so its last day is the
    one it states (its validity decided under Exit-Entry Law Arts. 30 and 34), cited to nothing else."""
    return VISA_ENTRY_VALIDITY if kind == "visa" else ()


def kind_name(kind: str) -> Text:
    """A permit's kind in words (``KIND_NAMES``); an unknown code as it is."""
    return KIND_NAMES.get(kind, Text(kind, kind))


def type_name(permit_type: str) -> Text | None:
    """A residence permit's type in words, as the catalog's ``residence_permit_type`` fact names it; None
    for no type, an unknown code as it is."""
    return option_label("residence_permit_type", permit_type) if permit_type else None


def visa_name(category: str) -> Text:
    """A visa's category in words, as the catalog's ``visa_category`` fact names it ("L (tourism)",
    "L字（旅游）"), the label an answer shows; an unknown code as it is."""
    return option_label("visa_category", category)


def option_label(fact_id: str, value: str) -> Text:
    """The label the catalog gives ``value`` among the options of fact ``fact_id``; an unknown value as it is."""
    fact = catalog().facts[fact_id]
    return next((o.label for o in fact.options if o.value == value), Text(value, value))


_ILLEGAL_RESIDENCE = cite("regulations", "Art. 25(1)").label
_EXTENSION_LATE = Text(
    "Fewer than {days} days are left before it expires: its extension was to be applied for by {due}."
    " It can still be applied for while the permit is in force, until {last}; staying on after that day"
    f" without a new permit is illegal residence ({_ILLEGAL_RESIDENCE.en}).",
    "距有效期届满已不足{days}日：延期申请最迟应于{due}提出。证件有效期内（至{last}）仍可申请；"
    f"期满后未取得新证件继续停留即属非法居留（{_ILLEGAL_RESIDENCE.zh}）。",
)
_RENEWAL_OPEN = Text(
    "It is inside its renewal window, {start} to {due}: apply to renew it by the last day.",
    "已进入换发期（{start}至{due}），请在届满前申请换发。",
)


@dataclass(frozen=True, slots=True)
class Expiring:
    """Why a permit in force counts as expiring: the duty whose period the day is in, and its dates."""

    duty: Answer
    why: Text


@cites(
    "regulations: Art. 17",
    "regulations: Art. 34",
    "regulations: Art. 35",
    "bj-one-stop: 2. Why to apply",
    "bj-one-stop: 3. The service scope (2)",
    "bj-one-stop: 3. The service scope (3)",
)
def procedures_for(
    held: Held, on: date, alongside: Iterable[Held] = (), *, by_employer: bool = False
) -> tuple[Procedure, ...]:
    """What the holder may start from ``held`` on ``on``: the procedures acting on it, while it is in force,
    the first the one to offer first. ``alongside``: the holder's other permits; where one is a work permit
    in force ending the day a work-type residence permit ``held`` does, the one-stop procedures, which
    renew the two permits together, come first in each action (the guide's "renewal of the two permits").
    ``by_employer``: the unit that employs the holder now asks, which a change of employer is not for (the
    new employer applies, bj-one-stop 3. The service scope (2))."""
    if not held.in_force:
        return ()
    found = tuple(p for p in acting_on(held, on) if not (by_employer and p.casework.by_new_employer))
    if not _renewed_together(held, alongside):
        return found
    return tuple(
        sorted(found, key=lambda p: (ACTIONS.index(p.casework.action), not p.casework.with_work_permit))
    )


# A permanent resident resides and works in China on the card (the permanent-residence guide's introduction).
RESIDES_ON_PR_CARD = (Citation("bj-permanent-residence", "Introduction"),)
# The rule in words, citing the guide by its title: what a holder of a card in force applying for a first
# residence permit is told (``needs_no_residence_permit``).
RESIDES_ON_PR_CARD_TEXT = cited(
    Text(
        "A permanent resident resides and works in China on the card and needs no residence permit",
        "永久居留外国人凭该证件在中国居留、工作，无需申请居留证件",
    ),
    RESIDES_ON_PR_CARD[0].source,
    RESIDES_ON_PR_CARD[0].section,
)


@cites(*(f"{c.source}: {c.section}" for c in RESIDES_ON_PR_CARD))
def needs_no_residence_permit(procedure: Procedure) -> bool:
    """Whether ``procedure`` is a first application for a residence permit, which a holder of a permanent
    resident ID card in force does not need: they reside and work in China on the card (cited by
    ``RESIDES_ON_PR_CARD``)."""
    return procedure.casework.action == "issue" and procedure.casework.permit == "residence-permit"


# Who applies for a change of employer: the new employer (bj-one-stop 3. The service scope (2)), which
# submits the application online (4. How to apply a); not where the permits are claimed (4. c).
NEW_EMPLOYER_APPLIES = (
    Citation("bj-one-stop", "3. The service scope (2)"),
    Citation("bj-one-stop", "4. How to apply a"),
)
# What the present employer is told when it starts a change of employer, citing the guide by its title.
NEW_EMPLOYER_APPLIES_TEXT = cited(
    Text(
        "A change of employer is not for the unit that employs the person now: the new employer applies",
        "变更工作单位不由此人现在的用人单位申请，由新用人单位申请",
    ),
    "bj-one-stop",
    "3. The service scope (2)",
)


# Who files a one-stop application (new, renewal, change of employer): the employer, whose handler submits
# it online in the Service System for Foreigners Working in China (bj-one-stop 4. How to apply a), never
# the applicant for themself.
EMPLOYER_FILES = (Citation("bj-one-stop", "4. How to apply a"),)
# What an applicant starting one for themself is told, citing the guide by its title.
EMPLOYER_FILES_TEXT = cited(
    Text(
        "The work permit and the work-type residence permit together (one-stop service) are applied for by "
        "the employer: its handler submits the application online, not the applicant themself",
        "“两证联办”由用人单位申请，由单位经办人在线提交，申请人不能自行申请",
    ),
    "bj-one-stop",
    "4. How to apply a",
)


@cites(*(f"{c.source}: {c.section}" for c in EMPLOYER_FILES))
def filed_by_employer(procedure: Procedure) -> bool:
    """Whether the applicant's employer files ``procedure``, never the applicant for themself: every
    one-stop application (new, renewal, change of employer), which applies for the work permit with the
    residence permit (``EMPLOYER_FILES``). Who may hand a renewal in for the employer (an agency it
    entrusts, the guide's Notes (1)) is the hall's intake's to check."""
    return procedure.casework.with_work_permit


@cites(*(f"{c.source}: {c.section}" for c in NEW_EMPLOYER_APPLIES))
def left_to_new_employer(held: Held, on: date) -> tuple[Procedure, ...]:
    """The procedures acting on ``held`` (in force) that only the holder's new employer applies for: what
    ``procedures_for(..., by_employer=True)`` leaves out (each said with ``NEW_EMPLOYER_APPLIES``)."""
    return tuple(p for p in acting_on(held, on) if p.casework.by_new_employer) if held.in_force else ()


def _renewed_together(held: Held, alongside: Iterable[Held]) -> bool:
    """Whether ``held`` is a work-type residence permit whose work permit (in force) ends the same day."""
    if (held.kind, held.permit_type) != ("residence-permit", "work") or held.valid_until is None:
        return False
    return any(
        other.kind == WORK_PERMIT and other.in_force and other.valid_until == held.valid_until
        for other in alongside
    )


def after_entry(entry_date: date, on: date, within_days: int | None = None) -> Answer:
    """The duty a visa that requires a residence permit brings on entering on ``entry_date``: apply
    within the days the visa states (``within_days``; else the days in force on that day:
    ``duties.after_entry_obligation``, Regulations Art. 9), the last day moved past rest days, as
    ``duties.residence_permit_due`` counts it."""
    obligation = after_entry_obligation(entry_date, within_days)
    values = {obligation.period.fact: entry_date, "visa_requires_residence_permit": True}
    return dated_obligation(obligation, catalog().calendar)(values, on, set())


def duties(held: Held, on: date) -> tuple[Answer, ...]:
    """The duties that follow from holding ``held`` on ``on``: those whose period runs up to its last day
    dated from it (``due`` the last day to act, ``window_from`` the first where the period is a window), a
    change of particulars from ``held.changed_on`` when known, the others undated. A permit no longer in
    force brings none."""
    if not held.in_force:
        return ()
    calendar = catalog().calendar
    answers = []
    for obligation in obligations_of(held, on, catalog()):
        values: dict[str, object] = {}
        if obligation.period.kind in BEFORE_EXPIRY and held.valid_until is not None:
            values[obligation.period.fact] = held.valid_until
        elif obligation.period.fact == CHANGE_DATE and held.changed_on is not None:
            values[CHANGE_DATE] = held.changed_on
        answers.append(dated_obligation(obligation, calendar)(values, on, set()))
    return tuple(answers)


def runs_from_change(duty: Answer) -> bool:
    """Whether ``duty`` (one of ``duties``) runs from the day the permit's particulars changed."""
    return catalog().obligations[duty.id].period.fact == CHANGE_DATE


@cites("regulations: Art. 17", "regulations: Art. 34(1)")
def in_place_of(kind: str, ground_cite: tuple[Citation, ...]) -> tuple[Procedure, ...]:
    """What the holder of a permit of ``kind`` that ended on a ground citing ``ground_cite`` (declared void,
    cancelled) may apply for in its place: the catalog's procedures acting on a held permit of that kind
    whose casework cites the ground (the reissue of a permit lost, damaged, stolen or robbed, Art. 34(1));
    none for any other ground, where a new permit is applied for from the guide."""
    return tuple(
        p
        for p in catalog().procedures.values()
        if p.casework.permit == kind
        and p.casework.action != "issue"
        and set(p.casework.cite) & set(ground_cite)
    )


_RENEWED_TOGETHER = Text(
    "It is renewed together with the work-type residence permit ending the same day (the one-stop renewal"
    " of the two permits), which is expiring. {why}",
    "与同日届满的工作类居留证件一并办理延期（“两证联办”延期），该居留证件即将到期。{why}",
)


@cites(
    "exit-entry-law: Art. 32",
    "regulations: Art. 25(1)",
    "bj-permanent-residence: Renewal",
    "bj-one-stop: 3. The service scope (3)",
)
def expiring(held: Held, on: date, alongside: Iterable[Held] = ()) -> Expiring | None:
    """Why ``held`` is expiring on ``on``: it is in force and ``on`` falls inside the period before its
    last day that one of its duties names; a work permit, which has no such duty, while the work-type
    residence permit renewed together with it (``alongside``: in force, ending the same day) is; None
    otherwise."""
    if not held.in_force or held.valid_until is None or on > held.valid_until:
        return None
    for duty in duties(held, on):
        if duty.due is None:  # a duty from an event, not from the permit's last day
            continue
        if duty.window_from is not None:  # a window up to the last day
            if duty.window_from <= on:
                return Expiring(
                    duty, _RENEWAL_OPEN.format(start=day_text(duty.window_from), due=day_text(duty.due))
                )
        elif duty.due < on:  # "at least N days before": the N days are running
            days = (held.valid_until - duty.due).days
            return Expiring(
                duty,
                _EXTENSION_LATE.format(days=days, due=day_text(duty.due), last=day_text(held.valid_until)),
            )
    return next(  # a work permit: while the residence permit renewed together with it is expiring
        (
            Expiring(soon.duty, _RENEWED_TOGETHER.format(why=soon.why))
            for other in alongside
            if _renewed_together(other, (held,)) and (soon := expiring(other, on)) is not None
        ),
        None,
    )
