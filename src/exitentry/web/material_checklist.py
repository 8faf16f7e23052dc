"""The applicant's checklist of materials: every item the hall will require for the case's facts, as the
hall's intake list reads them (``services.advice_for`` and ``services.outstanding``: the law core's
catalog and ``law.intake``), each uploaded, missing or defective, with the files uploaded for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from exitentry.cases import services
from exitentry.cases.models import Case, Material
from exitentry.law.intake import Deficiency, Required


@dataclass
class Row:
    item: Required
    deficiency: Deficiency | None  # None: uploaded
    files: list[Material] = field(default_factory=list)


@dataclass
class Checklist:
    rows: list[Row]
    other_files: list[Material]  # files for an item the facts no longer require

    @property
    def missing(self) -> list[Row]:
        return [r for r in self.rows if r.deficiency is not None and r.deficiency.kind == "missing"]


def checklist(case: Case, on: date, materials: list[Material]) -> Checklist:
    """The case's checklist on ``on``; ``services.Refused`` while the rules still need answers."""
    outstanding = services.outstanding(case, on, materials)
    found = {d.item.id: d for d in outstanding}
    items = [Required(a.id, a.text, a.why, a.cite) for a in services.advice_for(case, on).materials]
    items += [d.item for d in outstanding if d.item.id not in {i.id for i in items}]
    rows = {i.id: Row(i, found.get(i.id)) for i in items}
    other: list[Material] = []
    for m in materials:
        (rows[m.material_id].files if m.material_id in rows else other).append(m)
    return Checklist(list(rows.values()), other)
