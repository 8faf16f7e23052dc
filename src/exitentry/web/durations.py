"""A duration as people give it on a page: years, months and days, never an ISO 8601 string.

The law core and the API keep durations as ISO 8601 (``P2Y6M``); a form shows a picker of three selects
named ``<name>__years``, ``<name>__months`` and ``<name>__days`` and turns them back into ISO here.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext

from exitentry.law.facts import Duration

PARTS = ("years", "months", "days")
CHOICES = {"years": range(0, 11), "months": range(0, 12), "days": range(0, 31)}  # where the law sets no bound


def parts_of(value: str) -> dict[str, int]:
    """``P2Y6M`` -> years 2, months 6, days 0; all 0 when ``value`` is not a duration."""
    try:
        parsed = Duration.parse(value)
    except ValueError:
        return dict.fromkeys(PARTS, 0)
    years, months = divmod(parsed.months, 12)
    return {"years": years, "months": months, "days": parsed.days}


def picker(name: str, value: str, longest: Duration | None = None) -> dict[str, object]:
    """What ``web/_duration_picker.html`` shows: the three selects of ``name``, set to ``value``; the years
    run to those of ``longest`` (the law's upper bound, which refuses anything beyond it with its reason)."""
    parts = parts_of(value)
    labels = {"years": gettext("Years"), "months": gettext("Months"), "days": gettext("Days")}
    choices = dict(CHOICES)
    if longest is not None:
        choices["years"] = range(0, max(longest.months // 12, parts["years"]) + 1)  # a refused answer stays
    return {
        "name": name,
        "fields": [
            {"part": part, "label": labels[part], "choices": choices[part], "value": parts[part]}
            for part in PARTS
        ],
    }


def from_parts(data: Mapping[str, str], name: str) -> str | None:
    """``P2Y6M`` from the picker's selects; None when the picker was not posted.

    A part that is not a number gives ``P``, which the law core refuses with its reason."""
    raw = [data.get(f"{name}__{part}") for part in PARTS]
    if all(value is None for value in raw):
        return None
    try:
        years, months, days = (int(value or 0) for value in raw)
    except ValueError:
        return "P"
    text = "".join(f"{n}{unit}" for n, unit in ((years, "Y"), (months, "M"), (days, "D")) if n)
    return "P" + (text or "0D")
