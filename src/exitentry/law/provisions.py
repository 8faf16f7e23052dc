"""From a provision to the code that encodes it: every catalog line, rule function and parameter that
cites an article or section of a source, so a reader goes from "Regulations Art. 14" to the lines that
implement it in one step (``exitentry cite``, ``/api/v1/sources/{id}``, the sources page).

A section asked for matches itself and its parts: "Art. 14" finds "Art. 14", "Art. 14 para. 2" and
"Art. 14(1)", but not "Art. 140"; no section lists everything citing the source.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from exitentry.law import halls
from exitentry.law import rules as rule_modules
from exitentry.law.catalog import Catalog, catalog
from exitentry.law.facts import Duration
from exitentry.law.model import Obligation, Procedure
from exitentry.law.parameters import ParameterNotInForce, in_words
from exitentry.law.rulefunctions import RULE_FUNCTIONS
from exitentry.law.rules import grounds, permits, visas
from exitentry.law.sources import Citation, Source, source
from exitentry.law.text import Text

T = TypeVar("T", Procedure, Obligation)
# Every module of ``law.rules`` (and the halls), imported so each records its @cites: found, not listed,
# so a new rule module is in the index (and the catalog integrity tests) without a line here.
_RULE_MODULES = (
    halls,
    *(
        importlib.import_module(m.name)
        for m in pkgutil.iter_modules(rule_modules.__path__, "exitentry.law.rules.")
    ),
)

KINDS = {
    "procedure": Text("Procedure", "事项"),
    "rule": Text("Rule line", "规则条目"),
    "obligation": Text("Obligation", "法定义务"),
    "hall": Text("Hall", "受理大厅"),
    "visa": Text("Visa category or material", "签证类别或材料"),
    "ground": Text("Ground", "理由"),
    "permit-validity": Text("Permit validity", "证件有效期"),
    "rule-function": Text("Rule function", "规则函数"),
    "parameter": Text("Parameter", "参数"),
}
_UNITS = {
    "cny": Text("CNY {n}", "{n}元"),
    "working_days": Text("{n} working days", "{n}个工作日"),
    "calendar_days": Text("{n} days", "{n}日"),
    "months": Text("{n} months", "{n}个月"),
    "years": Text("{n} years of age", "{n}周岁"),
    "hours": Text("{n} hours", "{n}小时"),
    "points": Text("{n} points", "{n}分"),
}


@dataclass(frozen=True, slots=True)
class Citer:
    """Something in the code that cites a provision: what it is, its name in the code, what it says."""

    kind: str  # one of KINDS
    ref: str  # its name in the code: "rp-work time_limits.receipt-validity", "exitentry.law.rules.stay.…"
    text: Text
    cite: Citation
    procedure_id: str | None = None  # a procedure's line: the guide page that shows it

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "text": self.text.as_dict(),
            "cite": self.cite.as_dict(),
            "procedure_id": self.procedure_id,
        }


def section_matches(cited: str, asked: str) -> bool:
    """Whether ``cited`` is the section ``asked`` or a part of it ("Art. 14 para. 2" of "Art. 14")."""
    cited, asked = " ".join(cited.split()).casefold(), " ".join(asked.split()).casefold()
    if not cited.startswith(asked):
        return False
    rest = cited[len(asked) :]
    return not rest or not asked or not rest[0].isalnum()


def what_cites(
    source_id: str, section: str | None, on: date, cat: Catalog | None = None
) -> tuple[Citer, ...]:
    """Everything that cites ``source_id`` (at ``section`` or a part of it), its texts with the numbers in
    force on ``on``; ``UnknownSource`` if the catalog lists no such source."""
    source(source_id)
    return tuple(
        c
        for c in citers(cat or catalog(), on)
        if c.cite.source == source_id and (not section or section_matches(c.cite.section, section))
    )


def cited_sources(on: date, cat: Catalog | None = None) -> tuple[tuple[Source, int], ...]:
    """Every source, with how many things in the code cite it."""
    counts: dict[str, int] = {}
    for c in citers(cat or catalog(), on):
        counts[c.cite.source] = counts.get(c.cite.source, 0) + 1
    return tuple((s, counts.get(s.id, 0)) for s in (cat or catalog()).sources.values())


def citers(cat: Catalog, on: date) -> Iterator[Citer]:
    """Every citation in the catalog, the rule functions and the parameters, with what makes it; a line's
    text reads with the numbers in force on ``on`` (or on the procedure's first day, if later)."""
    for loaded in cat.procedures.values():
        pid = loaded.id
        procedure = _as_on(loaded, cat, max(on, loaded.in_force_from))
        for c in procedure.cite:
            yield Citer("procedure", pid, procedure.title, c, pid)
        for section, rules in procedure.rules.items():
            for rule in rules:
                for c in dict.fromkeys((*rule.cite, *rule.paid_at_cite)):  # a fee line: when it is paid
                    yield Citer("rule", f"{pid} {section}.{rule.id}", rule.text, c, pid)
        for c in procedure.casework.cite:
            yield Citer("rule", f"{pid} casework", procedure.title, c, pid)
    for loaded in cat.obligations.values():
        obligation = _as_on(loaded, cat, on)
        for c in obligation.cite:
            yield Citer("obligation", obligation.id, obligation.text, c)
    for hall in cat.halls.values():
        for c in hall.cite:
            yield Citer("hall", hall.id, hall.name, c)
        for choice in hall.choices:
            for c in (choice.chosen_source, choice.alternative_source):
                yield Citer("hall", f"{hall.id} choice {choice.field}", choice.reason, c)
    yield from _visas()
    for kind in grounds.ground_kinds():
        for c in kind.cite:
            yield Citer("ground", kind.id, kind.title, c)
        for g in kind.grounds:
            for c in g.cite:
                yield Citer("ground", f"{kind.id} {g.id}", g.text, c)
    for line in permits.validity_lines(cat.parameters):
        ref = " ".join((line.permit, *sorted(line.types)))
        for c in line.cite:
            yield Citer("permit-validity", ref, _validity_of(line), c)
    for function in RULE_FUNCTIONS.values():
        for c in function.cite:
            yield Citer("rule-function", function.name, Text(function.summary, function.summary), c)
    for parameter in cat.parameters:
        for value in parameter.values:
            for c in value.cite:
                yield Citer(
                    "parameter",
                    parameter.id,
                    _dated(parameter.description, value.value, parameter.unit, value.since),
                    c,
                )


def _as_on(line: T, cat: Catalog, on: date) -> T:
    """A procedure or obligation with its numbers in force on ``on``; as loaded if one has none then."""
    try:
        return line.on(cat.parameters, on)  # type: ignore[return-value]
    except ParameterNotInForce:
        return line


_PERMITS = {
    "residence-permit": Text("a residence permit", "居留证件"),
    "stay-permit": Text("a stay permit", "停留证件"),
    "pr-card": Text("the Permanent Resident ID Card", "外国人永久居留身份证"),
    "visa": Text("a visa", "签证"),
    "exit-document": Text("an exit document", "出境证件"),
}
_TYPES = {
    "work": Text("work", "工作"),
    "study": Text("study", "学习"),
    "journalist": Text("journalist", "记者"),
    "family-reunion": Text("family reunion", "团聚"),
    "private-affairs": Text("private affairs", "私人事务"),
}


def _validity_of(line: permits.ValidityLine) -> Text:
    """ "How long a residence permit (work) is issued for", in both languages."""
    permit = _PERMITS[line.permit]
    types = [_TYPES[t] for t in sorted(line.types)]
    en = f" ({', '.join(t.en for t in types)})" if types else ""
    zh = f"（{'、'.join(t.zh for t in types)}类）" if types else ""
    return Text(f"How long {permit.en}{en} is issued for", f"{permit.zh}{zh}的有效期")


def _visas() -> Iterator[Citer]:
    for material in visas.common_visa_materials():
        for c in material.cite:
            yield Citer("visa", f"visa material {material.id}", material.text, c)
    for category in visas.all_visa_categories():
        for c in category.cite:
            yield Citer("visa", f"visa {category.code}", category.description, c)
        for material in category.materials:
            for c in material.cite:
                yield Citer("visa", f"visa {category.code} material {material.id}", material.text, c)
    for trigger in visas.interview_triggers():
        for c in trigger.cite:
            yield Citer("visa", f"interview trigger {trigger.fact}", trigger.text, c)


def _dated(description: Text, value: int | Duration | None, unit: str, since: date) -> Text:
    """ "Longest validity of ...: 15 working days, in force from 2013-09-01", in both languages."""
    day = since.isoformat()
    if value is None:
        return Text(f"{description.en}: repealed from {day}", f"{description.zh}：{day}起废止")
    shown = _value(value, unit)
    return Text(
        f"{description.en}: {shown.en}, in force from {day}", f"{description.zh}：{day}起为{shown.zh}"
    )


def _value(value: int | Duration, unit: str) -> Text:
    """A parameter's value as people read it, with its unit (a duration in years, months or days)."""
    return in_words(value) if isinstance(value, Duration) else _UNITS[unit].format(n=value)
