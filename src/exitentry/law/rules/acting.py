"""Which procedures act on a permit, and what follows a procedure: the duties of the permit it leads to.

- Which procedures act on a permit is the catalog's: each procedure's ``casework`` names the action, the
  permit and the residence-permit type it acts on; a first application (``issue``) acts on none. A
  one-stop work permit goes with a work-type residence permit, so the one-stop procedures that act on
  both act on it.
- What follows a procedure is its own obligations and the duties of the permit it issues or acts on,
  read from the procedures that act on that permit (``rp-extension`` lists the extension duty), each
  once: the guide lists them, the advisor shows them after its checklist, and My permits dates those of
  a permit held (``holding.duties``), so no two of them can list different duties.

Below ``advice`` and ``holding`` (which dates the duties), so both ask it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from exitentry.law.catalog import Catalog, catalog
from exitentry.law.conditions import ALWAYS
from exitentry.law.model import ACTIONS, Obligation, Procedure
from exitentry.law.rulefunctions import cites

WORK_PERMIT = "work-permit"  # issued with a work-type residence permit by the one-stop service


@dataclass(frozen=True, slots=True)
class Held:
    """A permit as the law sees it: its kind, residence-permit type, last valid day, whether it is still in
    force on the day asked about (the registry says: not void, cancelled or run out), and the day its
    registered particulars changed where the registry records one (a travel document issued after it)."""

    kind: str
    permit_type: str
    valid_until: date | None
    in_force: bool
    changed_on: date | None = None


def _acts_as(held: Held) -> tuple[str, str]:
    """The permit kind and type the catalog's procedures name for ``held`` (a work permit: work-type RP)."""
    return ("residence-permit", "work") if held.kind == WORK_PERMIT else (held.kind, held.permit_type)


@cites("regulations: Art. 17")
def acting_on(
    held: Held, on: date, actions: tuple[str, ...] = ACTIONS, *, in_catalog: Catalog | None = None
) -> tuple[Procedure, ...]:
    """The procedures in force on ``on`` that act on ``held`` by one of ``actions`` (in that order, the
    one-stop ones last), whatever state it is in. Where a procedure of the permit's own type does what an
    any-type one does (the personal-affairs extension of the Beijing guide, the Regulations' extension of
    any type), the type's own is the one that acts on it: one procedure per action."""
    kind, permit_type = _acts_as(held)
    found = [
        p
        for p in (in_catalog or catalog()).procedures.values()
        if p.casework.action in actions
        and p.casework.action != "issue"
        and p.casework.permit == kind
        and p.casework.permit_type in (None, permit_type or None)
        and (held.kind != WORK_PERMIT or p.casework.with_work_permit)
        and p.in_force_on(on)
    ]
    own = {(p.casework.action, p.casework.with_work_permit) for p in found if p.casework.permit_type}
    found = [
        p
        for p in found
        if p.casework.permit_type or (p.casework.action, p.casework.with_work_permit) not in own
    ]
    return tuple(sorted(found, key=lambda p: (actions.index(p.casework.action), p.casework.with_work_permit)))


def obligations_of(held: Held, on: date, cat: Catalog) -> tuple[Obligation, ...]:
    """The obligations of the procedures that act on ``held`` that fall on its kind, each once, with the
    numbers of ``on``: the one-stop extension acts on a work permit too, but its residence-permit duty
    (Exit and Entry Administration Law Art. 32) does not fall on the work permit."""
    seen: dict[str, Obligation] = {}
    for procedure in acting_on(held, on, in_catalog=cat):
        for obligation in procedure.obligations:
            if obligation.when is ALWAYS and obligation.falls_on(held.kind):
                seen.setdefault(obligation.id, obligation.on(cat.parameters, on))
    return tuple(seen.values())


def what_follows(
    procedure: Procedure, on: date, *, in_catalog: Catalog | None = None
) -> tuple[Obligation, ...]:
    """The duties ``procedure`` leads to, with the numbers of ``on``: its own, then those of the permit it
    issues or acts on (as ``duties`` lists them for a permit held), each once. The guide lists them, the
    advisor dates them (``advice``), My permits dates those of a permit held (``duties``)."""
    cat = in_catalog or catalog()
    own = cat.procedure_on(procedure.id, on).obligations
    work = procedure.casework
    held = Held(work.permit, work.permit_type or "", None, True)
    seen = {o.id: o for o in own}
    for obligation in obligations_of(held, on, cat):
        seen.setdefault(obligation.id, obligation)
    return tuple(seen.values())
