"""The days a catalog entry is in force: read from its ``in_force`` block, asked with ``in_force_on``.

Procedures, visa categories and grounds each hold ``in_force_from`` and ``in_force_to``: both days
included, and no ``to`` while the entry is still in force.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from exitentry.law.files import CatalogError


class InForce:
    """Mixed into a frozen dataclass with the fields ``in_force_from`` and ``in_force_to``."""

    __slots__ = ()
    in_force_from: date
    in_force_to: date | None

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)


def read_in_force(raw: Mapping, where: str) -> dict[str, date | None]:
    """The entry's ``in_force`` block as the fields ``in_force_from`` and ``in_force_to``; ``from`` must be a
    date (``where`` names the entry in the error)."""
    in_force = raw.get("in_force") or {}
    if not isinstance(in_force.get("from"), date):
        raise CatalogError(f"{where}: in_force.from must be a date")
    return {"in_force_from": in_force["from"], "in_force_to": in_force.get("to")}
