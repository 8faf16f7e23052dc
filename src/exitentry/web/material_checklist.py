"""The applicant's checklist of materials: every item the hall will require for the case's facts, as the
hall's intake list reads them (``services.required`` and ``services.outstanding``: the law core's
catalog and ``law.intake``), each uploaded, received, missing or defective, with the files uploaded for it. While the
rules still need answers, the items known so far and those waiting for an answer (``pending``, each
needed where its rule's reason holds: ``law.intake.listed_so_far``). Only while the case takes materials:
a closed case shows the files it has, not today's list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from exitentry.cases import services
from exitentry.cases.models import Case, Material
from exitentry.law.advice import NEEDS_FACTS
from exitentry.law.catalog import catalog
from exitentry.law.intake import PASSPORT_ITEMS, TRUSTEE_ID, Deficiency, Required, listed_so_far
from exitentry.law.text import Text


@dataclass
class Row:
    item: Required
    deficiency: Deficiency | None  # None: uploaded, received on paper at the counter, or held by the hall
    files: list[Material] = field(default_factory=list)
    held: bool = False  # the passport the hall holds since receipt (``services.held_passport``)

    @property
    def received(self) -> bool:
        """Received at the counter: the passport the hall holds, or on paper only (no file uploaded)."""
        return self.held or (bool(self.files) and all(m.on_paper for m in self.files))


@dataclass
class Checklist:
    rows: list[Row]
    other_files: list[Material]  # files for an item the facts no longer require
    pending: list[Row] = field(default_factory=list)  # needed or not, as the answers still asked decide

    @property
    def missing(self) -> list[Row]:
        """The items required and not uploaded; none while answers are pending (submitting is refused)."""
        if self.pending:
            return []
        return [r for r in self.rows if r.deficiency is not None and r.deficiency.kind == "missing"]

    @property
    def deficient(self) -> list[Row]:
        """The items required and still missing or defective; none while answers are pending."""
        return [] if self.pending else [r for r in self.rows if r.deficiency is not None]


def checklist(case: Case, on: date, materials: list[Material]) -> Checklist:
    """The case's checklist on ``on``; ``services.Refused`` where the facts make it ineligible."""
    advice = services.advice_for(case, on)
    pending: list[Row] = []
    if advice.status == NEEDS_FACTS:
        known, waiting = listed_so_far(advice)
        have = {m.material_id for m in materials}
        rows = {i.id: Row(i, None if i.id in have else Deficiency(i, "missing")) for i in known}
        pending = [Row(i, None) for i in waiting if i.id not in rows]
    else:
        found = {d.item.id: d for d in services.outstanding(case, on, materials, advice)}
        held = services.held_passport(case)
        rows = {
            i.id: Row(i, found.get(i.id), held=held and i.id in PASSPORT_ITEMS)
            for i in services.required(case, on, advice)
        }
    other: list[Material] = []
    for m in materials:
        (rows[m.material_id].files if m.material_id in rows else other).append(m)
    return Checklist(list(rows.values()), other, pending)


def item_names(procedure_id: str, on: date) -> dict[str, Text]:
    """Each material a case of ``procedure_id`` may hold, by id, named as its line in the catalog reads on
    ``on`` (the materials, the health certificate, and the trustee's ID under the proxy line), so that a
    closed case's files are listed under what they are, not only by their file names."""
    try:
        procedure = catalog().procedure_on(procedure_id, on)
    except LookupError:  # UnknownProcedure among them: an id the catalog no longer lists
        return {}
    names = {rule.id: rule.text for section in ("materials", "health") for rule in procedure.rules[section]}
    proxy = next((rule for rule in procedure.rules["submission"] if rule.mode == "proxy"), None)
    if proxy is not None:
        names[TRUSTEE_ID] = proxy.text
    return names
