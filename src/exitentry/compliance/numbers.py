"""The receipt numbers of the hall's compliance records (a unit's Art. 26 report, a holder's report of a
change, a public notice): a prefix, the year and the row's own id, given once the row exists. A project
convention, not a rule of the sources."""

from __future__ import annotations

from datetime import date
from uuid import uuid4


def pending() -> str:
    """A unique stand-in until the row has its id (the number column is unique)."""
    return f"pending-{uuid4().hex[:16]}"


def receipt(prefix: str, on: date, pk: int, width: int = 7) -> str:
    """``BG20260000012``: the prefix, the year of ``on`` and ``pk`` in ``width`` digits."""
    return f"{prefix}{on:%Y}{pk:0{width}d}"
