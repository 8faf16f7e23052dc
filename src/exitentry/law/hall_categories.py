"""A hall category in words (``law/catalog/halls.yaml``: what a hall, and a counter of it, receives):
``rp:<type>`` a residence permit of that type, ``pilot:<district>`` an employee of a demonstration entity
of that district under the pilot policies, ``pr`` permanent residence, ``visa-stay`` visas and stay
permits, ``exit`` exit documents, ``one-stop`` the one-stop counters of the work permit with the
work-type residence permit (seed 002); ``*`` everything the hall receives."""

from __future__ import annotations

from exitentry.law import districts
from exitentry.law.rules.holding import type_name
from exitentry.law.text import Text

ALL = Text("Everything the hall receives", "本大厅受理的全部业务")
_FAMILIES = {
    "rp": Text("Residence permit", "居留许可"),
    "pr": Text("Permanent residence", "永久居留"),
    "visa-stay": Text("Visas and stay permits", "签证和停留证件"),
    "exit": Text("Exit documents", "出境证件"),
    "pilot": Text("Employees under the pilot policies", "试点政策单位员工"),
    "one-stop": Text(
        "Work permit with work-type residence permit (one stop)", "工作许可和工作类居留许可一窗通办"
    ),
}


def category_name(code: str) -> Text:
    """``code`` in words ("Residence permit · Work", "居留许可 · 工作"); an unknown code as it is."""
    if code == "*":
        return ALL
    family, _, part = code.partition(":")
    name = _FAMILIES.get(family)
    if name is None:
        return Text(code, code)
    detail = (type_name(part) if family == "rp" else _district(part)) if part else None
    return Text(f"{name.en} · {detail.en}", f"{name.zh} · {detail.zh}") if detail else name


def _district(slug: str) -> Text | None:
    known = districts.by_slug(slug)
    return known.name if known else Text(slug, slug)
