"""The numbers a case's documents carry, made here and recognised by the same patterns (``documents.tokens``
tells a typed number from a verification code): the case's reference, its receipt ("-R"), its one-time
notices ("-N<n>") and its decision ("-D"). A project convention, not a rule of the sources."""

from __future__ import annotations

import re
from datetime import date

_REFERENCE = r"BJ\d{12,}"  # the year, then the case's pk in at least 8 digits


def reference(on: date, pk: int) -> str:
    return f"BJ{on.year}{pk:08d}"


def receipt(reference: str) -> str:
    return f"{reference}-R"


def notice(reference: str, n: int) -> str:
    return f"{reference}-N{n}"


def decision(reference: str) -> str:
    return f"{reference}-D"


PRINTED = (
    ("receipt", re.compile(_REFERENCE + "-R")),
    ("deficiency", re.compile(_REFERENCE + r"-N\d+")),
    ("decision", re.compile(_REFERENCE + "-D")),
)
