"""The applicant's checklist of materials: every item the hall will require for the case's facts, as the
hall's intake list reads them (``services.required`` and ``services.outstanding``: the law core's
catalog and ``law.intake``), each uploaded, missing or defective, with the files uploaded for it. Only
while the case takes materials: a closed case shows the files it has, not today's list."""

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
    advice = services.advice_for(case, on)
    found = {d.item.id: d for d in services.outstanding(case, on, materials, advice)}
    rows = {i.id: Row(i, found.get(i.id)) for i in services.required(case, on, advice)}
    other: list[Material] = []
    for m in materials:
        (rows[m.material_id].files if m.material_id in rows else other).append(m)
    return Checklist(list(rows.values()), other)
