"""Load the catalog data files into the law core's types, checking them as they load.

A catalog entry that names an unknown fact, source or section, or that lacks a citation, fails to load
with a message naming the file and entry, so a mistake in the data cannot reach an applicant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from pathlib import Path

import yaml

from exitentry.law.conditions import ALWAYS, Condition, compile_condition
from exitentry.law.facts import Duration, FactDef, Option
from exitentry.law.model import (
    ACTIONS,
    PERMITS,
    RESIDENCE_PERMIT_TYPES,
    SECTIONS,
    Band,
    Casework,
    Choice,
    Hall,
    Obligation,
    Period,
    Procedure,
    Rule,
    Session,
)
from exitentry.law.sources import Citation, Source, UnnamedSection, cite
from exitentry.law.text import Text

CATALOG_DIR = Path(__file__).parent
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PERIOD_KINDS = (
    "within_calendar_days_of",
    "at_least_calendar_days_before",
    "within_one_month_before",
    "within_one_month_after",
)


class CatalogError(ValueError):
    """The catalog data is inconsistent; the message names the file and entry."""


def read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as f:
        try:
            return yaml.load(f, Loader=_Loader)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date such as 2027-02-30
            raise CatalogError(f"{path}: {exc}") from None


def load_sources() -> list[Source]:
    """The documents in sources.yaml and the holiday notices named by the calendar files."""
    from exitentry.law.calendar import calendar_files, parse_year_file

    raw = list(read_yaml(CATALOG_DIR / "sources.yaml") or [])
    for path in calendar_files():
        _, src = parse_year_file(read_yaml(path), str(path))  # type: ignore[arg-type]
        raw.append({"seed_file": None, "in_force_from": None, **src})
    sources = []
    for entry in raw:
        where = f"sources: {entry.get('id')}"
        sources.append(
            Source(
                id=entry["id"],
                title=Text.parse(entry["title"], where),
                seed_file=entry.get("seed_file"),
                published=entry.get("published"),
                in_force_from=entry.get("in_force_from"),
                note=(entry.get("note") or "").strip(),
                short_title=Text.parse(entry["short_title"], where) if entry.get("short_title") else None,
                sections=tuple((str(en), str(zh)) for en, zh in (entry.get("sections") or {}).items()),
            )
        )
    return sources


def load_calendar_schedules() -> list:
    from exitentry.law.calendar import calendar_files, parse_year_file

    by_year = {}
    for path in calendar_files():
        schedule, _ = parse_year_file(read_yaml(path), str(path))  # type: ignore[arg-type]
        by_year[schedule.year] = schedule
    return list(by_year.values())


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the rules know: facts, procedures, halls and obligations."""

    facts: Mapping[str, FactDef]
    procedures: Mapping[str, Procedure]
    halls: Mapping[str, Hall]
    obligations: Mapping[str, Obligation]

    def procedure(self, procedure_id: str) -> Procedure:
        try:
            return self.procedures[procedure_id]
        except KeyError:
            raise UnknownProcedure(procedure_id) from None

    def halls_for(self, procedure: Procedure) -> tuple[Hall, ...]:
        if not procedure.hall_categories:
            return ()
        return tuple(h for h in self.halls.values() if h.accepts_any(procedure.hall_categories))


class UnknownProcedure(LookupError):
    """No procedure by that id; ``text`` says so in both languages."""

    def __init__(self, procedure_id: str):
        self.procedure_id = procedure_id
        self.text = Text(
            f"There is no procedure {procedure_id!r} in the catalog.", f"事项目录中没有“{procedure_id}”。"
        )
        super().__init__(f"no procedure {procedure_id!r} in the catalog")


@cache
def catalog() -> Catalog:
    """The catalog, loaded and checked once per process."""
    from exitentry.law.sources import all_sources

    source_ids = {s.id for s in all_sources()}
    loader = _Loader_(source_ids)
    facts = loader.facts([raw for path in _files("facts") for raw in read_yaml(path) or ()])
    obligations: dict[str, Obligation] = {}
    for raw in (raw for path in _files("obligations") for raw in read_yaml(path) or ()):
        if raw.get("id") in obligations:
            raise CatalogError(f"obligation {raw.get('id')} is defined twice")
        obligations[raw["id"]] = loader.obligation(raw, facts)
    halls = {h.id: h for h in (loader.hall(raw) for raw in read_yaml(CATALOG_DIR / "halls.yaml"))}
    procedures: dict[str, Procedure] = {}
    for path in _files("procedures"):
        for raw in read_yaml(path) or ():
            procedure = loader.procedure(raw, facts, obligations, f"{path.name}: {raw.get('id')}")
            if procedure.id in procedures:
                raise CatalogError(f"{path.name}: procedure {procedure.id} is defined twice")
            procedures[procedure.id] = procedure
    return Catalog(facts, procedures, halls, obligations)


def parse_cites(raw: object, where: str) -> tuple[Citation, ...]:
    """Citations from "source-id: section" strings in a rules data file (visas, grounds), checked the same way."""
    from exitentry.law.sources import all_sources

    return _Loader_({s.id for s in all_sources()}).cites(raw, where)


def _files(folder: str) -> list[Path]:
    """The data files of one catalog folder, in name order (each topic keeps its own file)."""
    return sorted((CATALOG_DIR / folder).glob("*.yaml"))


class _Loader_:
    """Turns raw YAML into checked catalog types."""

    def __init__(self, source_ids: set[str]):
        self.source_ids = source_ids

    def cites(self, raw: object, where: str) -> tuple[Citation, ...]:
        """Citations from "source-id: section" strings; at least one is required."""
        items = raw if isinstance(raw, list) else [raw]
        cites = []
        for item in items:
            if not isinstance(item, str) or ":" not in item:
                raise CatalogError(f"{where}: cite needs 'source-id: section', got {item!r}")
            source_id, section = (part.strip() for part in item.split(":", 1))
            if source_id not in self.source_ids:
                raise CatalogError(f"{where}: cite names unknown source {source_id!r}")
            if not section:
                raise CatalogError(f"{where}: cite of {source_id} names no article or section")
            try:
                cites.append(cite(source_id, section))
            except UnnamedSection as exc:
                raise CatalogError(f"{where}: cite {item!r} has no Chinese section name ({exc})") from None
        if not cites:
            raise CatalogError(f"{where}: every rule needs a citation")
        return tuple(cites)

    def facts(self, raw: list) -> dict[str, FactDef]:
        facts: dict[str, FactDef] = {}
        for entry in raw:
            where = f"facts: {entry.get('id')}"
            if entry.get("id") in facts:
                raise CatalogError(f"{where}: fact is defined twice")
            if entry.get("type") not in ("bool", "date", "int", "enum", "duration"):
                raise CatalogError(f"{where}: unknown type {entry.get('type')!r}")
            options = tuple(
                Option(str(o["value"]), Text.parse(o["label"], where)) for o in entry.get("options") or ()
            )
            facts[entry["id"]] = FactDef(
                id=entry["id"],
                type=entry["type"],
                question=Text.parse(entry["question"], where),
                help=Text.parse(entry["help"], where) if entry.get("help") else None,
                options=options,
                derived_from=tuple(entry.get("derived_from") or ()),
                minimum=entry.get("minimum"),
                maximum=entry.get("maximum"),
            )
        return facts

    def condition(self, raw: object, facts: Mapping[str, FactDef], where: str) -> Condition:
        try:
            return compile_condition(raw, facts, where) if raw is not None else ALWAYS
        except ValueError as exc:
            raise CatalogError(str(exc)) from None

    def rule(self, section: str, raw: dict, facts: Mapping[str, FactDef], where: str) -> Rule:
        where = f"{where} {section}.{raw.get('id')}"
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
        when = self.condition(raw.get("when"), facts, where)
        why = Text.parse(raw["why"], where) if raw.get("why") else None
        if not when.always and why is None:
            raise CatalogError(f"{where}: a conditional rule must say why it applies ('why')")
        bands = raw.get("bands") or {}
        if bands and bands.get("fact") not in facts:
            raise CatalogError(f"{where}: fee bands name unknown fact {bands.get('fact')!r}")
        try:
            band_rows = tuple(_band(row) for row in bands.get("table", ()))
        except (KeyError, ValueError) as exc:
            raise CatalogError(f"{where}: malformed fee band ({exc})") from None
        return Rule(
            section=section,
            id=raw["id"],
            text=Text.parse(raw["text"], where),
            cite=self.cites(raw.get("cite"), where),
            when=when,
            why=why,
            require=self.condition(raw.get("require"), facts, where),
            failure=Text.parse(raw["failure"], where) if raw.get("failure") else None,
            amount_cny=raw.get("amount_cny"),
            band_fact=bands.get("fact"),
            bands=band_rows,
            working_days=raw.get("working_days"),
            counts=raw.get("counts"),
            mode=raw.get("mode"),
            valid_months=raw.get("valid_months"),
            issued_within_months=raw.get("issued_within_months"),
        )

    def obligation(self, raw: dict, facts: Mapping[str, FactDef]) -> Obligation:
        where = f"obligations: {raw.get('id')}"
        period = raw.get("period") or {}
        if period.get("kind") not in PERIOD_KINDS:
            raise CatalogError(f"{where}: period kind must be one of {PERIOD_KINDS}")
        if period.get("fact") not in facts or facts[period["fact"]].type != "date":
            raise CatalogError(f"{where}: period needs a date fact, got {period.get('fact')!r}")
        when = self.condition(raw.get("when"), facts, where)
        return Obligation(
            id=raw["id"],
            text=Text.parse(raw["text"], where),
            period=Period(period["kind"], period["fact"], period.get("calendar_days")),
            cite=self.cites(raw.get("cite"), where),
            when=when,
            why=Text.parse(raw["why"], where) if raw.get("why") else None,
        )

    def hall(self, raw: dict) -> Hall:
        where = f"halls.yaml: {raw.get('id')}"
        sessions = tuple(
            Session(time.fromisoformat(s["opens"]), time.fromisoformat(s["closes"])) for s in raw["sessions"]
        )
        choices = tuple(
            Choice(
                field=c["field"],
                chosen=c["chosen"],
                chosen_source=self.cites(c["chosen_source"], where)[0],
                alternative=c["alternative"],
                alternative_source=self.cites(c["alternative_source"], where)[0],
                reason=Text.parse(c["reason"], where),
            )
            for c in raw.get("choices") or ()
        )
        return Hall(
            id=raw["id"],
            name=Text.parse(raw["name"], where),
            address=Text.parse(raw["address"], where),
            weekdays=frozenset(raw["weekdays"]),
            sessions=sessions,
            accepts=frozenset(raw["accepts"]),
            restriction=Text.parse(raw["restriction"], where) if raw.get("restriction") else None,
            cite=self.cites(raw.get("cite"), where),
            choices=choices,
        )

    def procedure(
        self, raw: dict, facts: Mapping[str, FactDef], obligations: Mapping[str, Obligation], where: str
    ) -> Procedure:
        unknown = set(raw) - _PROCEDURE_KEYS - set(SECTIONS)
        if unknown:
            raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
        in_force = raw.get("in_force") or {}
        if not isinstance(in_force.get("from"), date):
            raise CatalogError(f"{where}: in_force.from must be a date")
        rules = {
            section: tuple(self.rule(section, r, facts, where) for r in raw.get(section) or ())
            for section in SECTIONS
        }
        for section, items in rules.items():
            ids = [r.id for r in items]
            if len(ids) != len(set(ids)):
                raise CatalogError(f"{where}: duplicate rule ids in {section}")
        try:
            linked = tuple(obligations[o] for o in raw.get("obligations") or ())
        except KeyError as exc:
            raise CatalogError(f"{where}: unknown obligation {exc}") from None
        return Procedure(
            id=raw["id"],
            title=Text.parse(raw["title"], where),
            summary=Text.parse(raw["summary"], where),
            group=raw["group"],
            in_force_from=in_force["from"],
            in_force_to=in_force.get("to"),
            hall_categories=frozenset(raw.get("halls") or ()),
            where=Text.parse(raw["where"], where) if raw.get("where") else None,
            cite=self.cites(raw.get("cite"), where),
            rules=rules,
            obligations=linked,
            casework=self.casework(raw.get("casework"), where),
            fact_order=_fact_order(rules, facts),
        )

    def casework(self, raw: object, where: str) -> Casework:
        where = f"{where} casework"
        if not isinstance(raw, dict):
            raise CatalogError(f"{where}: every procedure says what approving it does (casework)")
        unknown = set(raw) - {"action", "permit", "type", "approval", "with_work_permit", "cite"}
        if unknown:
            raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
        for key, allowed in (("action", ACTIONS), ("permit", PERMITS), ("approval", ("local", "ministry"))):
            if raw.get(key, "local" if key == "approval" else None) not in allowed:
                raise CatalogError(f"{where}: {key} must be one of {allowed}, got {raw.get(key)!r}")
        permit_type = raw.get("type")
        if permit_type is not None and (
            raw["permit"] != "residence-permit" or permit_type not in RESIDENCE_PERMIT_TYPES
        ):
            raise CatalogError(
                f"{where}: type {permit_type!r} is not a residence-permit type {RESIDENCE_PERMIT_TYPES}"
            )
        if raw["action"] == "issue" and raw["permit"] == "residence-permit" and permit_type is None:
            raise CatalogError(f"{where}: issuing a residence permit needs its type")
        return Casework(
            action=raw["action"],
            permit=raw["permit"],
            permit_type=permit_type,
            approval=raw.get("approval", "local"),
            with_work_permit=bool(raw.get("with_work_permit", False)),
            cite=self.cites(raw.get("cite"), where),
        )


def _band(row: dict) -> Band:
    upper = row.get("upto") or row.get("below")
    return Band(
        lower=Duration.parse(row["from"]) if row.get("from") else None,
        upper=Duration.parse(upper) if upper else None,
        upper_inclusive="upto" in row,
        amount_cny=int(row["amount"]),
    )


def _fact_order(rules: Mapping[str, tuple[Rule, ...]], facts: Mapping[str, FactDef]) -> tuple[str, ...]:
    """The facts a procedure asks for, in the order its rules first need them (eligibility first)."""
    order: list[str] = []
    for section in SECTIONS:
        for rule in rules[section]:
            for condition in (rule.when, rule.require):
                for name in sorted(condition.facts, key=list(facts).index):
                    if name not in order:
                        order.append(name)
            if rule.band_fact and rule.band_fact not in order:
                order.append(rule.band_fact)
    return tuple(order)


_RULE_KEYS = {
    "id",
    "text",
    "cite",
    "when",
    "why",
    "require",
    "failure",
    "amount_cny",
    "bands",
    "working_days",
    "counts",
    "mode",
    "valid_months",
    "issued_within_months",
}
_PROCEDURE_KEYS = {
    "id",
    "title",
    "summary",
    "group",
    "in_force",
    "halls",
    "where",
    "cite",
    "obligations",
    "casework",
}
