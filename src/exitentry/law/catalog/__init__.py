"""Load the catalog data files into the law core's types, checking them as they load: the one loader at
the top of the law core.

``load_catalog`` builds one ``Catalog`` holding the sources, the official calendar and the dated
parameters with the facts, procedures, halls and obligations; the modules below it are handed what they
need and never load the catalog themselves. A catalog entry that names an unknown fact, source, section or
parameter, that writes a number instead of naming its parameter, or that lacks a citation, fails to load
with a message naming the file and entry, so a mistake in the data cannot reach an applicant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from functools import cache

from exitentry.law.calendar import OfficialCalendar, official_calendar
from exitentry.law.conditions import ALWAYS, Condition, compile_condition
from exitentry.law.facts import UNITS, FactDef, Option
from exitentry.law.files import CATALOG_DIR, CatalogError, data_files, read_yaml
from exitentry.law.in_force import read_in_force
from exitentry.law.model import (
    ACTIONS,
    EVERY_MATERIAL,
    PAID_AT,
    PERMITS,
    RESIDENCE_PERMIT_TYPES,
    SECTIONS,
    SUBMITTERS,
    Band,
    Casework,
    Choice,
    Hall,
    Obligation,
    Period,
    Procedure,
    Rule,
    Session,
    filled,
)
from exitentry.law.parameters import Parameters, Ref, parameters
from exitentry.law.sources import Citation, Source, _sources, all_sources, parse_cites
from exitentry.law.text import Text

__all__ = [
    "CATALOG_DIR",
    "Catalog",
    "CatalogError",
    "UnknownProcedure",
    "catalog",
    "load_catalog",
    "parse_cites",
    "read_yaml",
]
PILOT_FACT, NOT_PILOT = "pilot_zone_employee", "none"
PERIOD_KINDS = (
    "within_calendar_days_of",
    "at_least_calendar_days_before",
    "within_months_before",
    "within_months_after",
)


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything the rules know: facts, procedures, halls and obligations, and the sources, the official
    calendar and the dated parameters they are reckoned with."""

    facts: Mapping[str, FactDef]
    procedures: Mapping[str, Procedure]
    halls: Mapping[str, Hall]
    obligations: Mapping[str, Obligation]
    sources: Mapping[str, Source]
    calendar: OfficialCalendar
    parameters: Parameters
    _facts_by_epoch: dict[int, Mapping[str, FactDef]] = field(default_factory=dict, repr=False, compare=False)

    def procedure(self, procedure_id: str) -> Procedure:
        try:
            return self.procedures[procedure_id]
        except KeyError:
            raise UnknownProcedure(procedure_id) from None

    def facts_on(self, on: date) -> Mapping[str, FactDef]:
        """The facts as they read on ``on``: their questions, help and options with the numbers then in
        force (``{residence-permit-validity-maximum}`` written as "5 years"), each citing where its help's
        numbers come from."""
        epoch = self.parameters.epoch(on)
        facts = self._facts_by_epoch.get(epoch)
        if facts is None:
            words = self.parameters.words(on)
            facts = self._facts_by_epoch[epoch] = {
                fact_id: replace(
                    fact,
                    question=filled(fact.question, words, on),
                    help=filled(fact.help, words, on),
                    cite=self.parameters.cites_on(fact.help.names(), on) if fact.help else (),
                    options=tuple(replace(o, label=filled(o.label, words, on)) for o in fact.options),
                )
                for fact_id, fact in self.facts.items()
            }
        return facts

    def procedure_on(self, procedure_id: str, on: date) -> Procedure:
        """The procedure as it reads on ``on``: its lines with the numbers then in force (for pages)."""
        return self.procedure(procedure_id).on(self.parameters, on)

    def procedures_on(self, on: date) -> list[Procedure]:
        """Every procedure as it reads on ``on``, in the catalog's order (for lists people read)."""
        return [p.on(self.parameters, on) for p in self.procedures.values()]

    def halls_for(self, procedure: Procedure, facts: Mapping[str, object] | None = None) -> tuple[Hall, ...]:
        """The halls that take ``procedure``; with ``facts``, also those the applicant's answer to
        ``pilot_zone_employee`` opens (``pilot:<district>``: seed 000 and seed 003 "Where to apply" open
        the district centre to the employees of its pilot entities, whatever they apply for, except what
        only a dedicated hall takes)."""
        if not procedure.hall_categories:
            return ()
        reserved = frozenset(c for h in self.halls.values() if h.dedicated for c in h.accepts)
        categories = procedure.hall_categories
        district = (facts or {}).get(PILOT_FACT)
        if district and district != NOT_PILOT and categories - reserved:
            categories = categories | {f"pilot:{district}"}
        return tuple(h for h in self.halls.values() if h.accepts_any(categories, reserved))

    def pilot_districts(self) -> tuple[str, ...]:
        """The districts whose pilot entities' employees a centre takes (the fact's answers but "none")."""
        return tuple(o.value for o in self.facts[PILOT_FACT].options if o.value != NOT_PILOT)


class UnknownProcedure(LookupError):
    """No procedure by that id; ``text`` says so in both languages."""

    def __init__(self, procedure_id: str):
        self.procedure_id = procedure_id
        self.text = Text(
            f"There is no procedure {procedure_id!r} in the catalog.", f"事项目录中没有“{procedure_id}”。"
        )
        super().__init__(f"no procedure {procedure_id!r} in the catalog")


def load_catalog(
    *, with_parameters: Parameters | None = None, calendar: OfficialCalendar | None = None
) -> Catalog:
    """A catalog from the data files, with the packaged parameters and calendar unless others are given."""
    params = with_parameters or parameters()
    loader = _Loader_(params, read_yaml(CATALOG_DIR / "shared_rules.yaml") or {})
    facts = loader.facts([raw for path in data_files(CATALOG_DIR / "facts") for raw in read_yaml(path) or ()])
    obligations: dict[str, Obligation] = {}
    for raw in (raw for path in data_files(CATALOG_DIR / "obligations") for raw in read_yaml(path) or ()):
        if raw.get("id") in obligations:
            raise CatalogError(f"obligation {raw.get('id')} is defined twice")
        obligations[raw["id"]] = loader.obligation(raw, facts)
    halls = {h.id: h for h in (loader.hall(raw) for raw in read_yaml(CATALOG_DIR / "halls.yaml"))}
    procedures: dict[str, Procedure] = {}
    for path in data_files(CATALOG_DIR / "procedures"):
        for raw in read_yaml(path) or ():
            procedure = loader.procedure(raw, facts, obligations, f"{path.name}: {raw.get('id')}")
            if procedure.id in procedures:
                raise CatalogError(f"{path.name}: procedure {procedure.id} is defined twice")
            procedures[procedure.id] = procedure
    for procedure in procedures.values():
        for rule in (r for rules in procedure.rules.values() for r in rules if r.see is not None):
            if rule.see not in procedures:
                raise CatalogError(
                    f"{procedure.id} {rule.section}.{rule.id}: 'see' names unknown {rule.see!r}"
                )
    return Catalog(
        facts,
        procedures,
        halls,
        obligations,
        {s.id: s for s in all_sources()},
        calendar or official_calendar(),
        params,
    )


@cache
def catalog() -> Catalog:
    """The catalog, loaded and checked once per process."""
    return load_catalog()


def reload_catalog() -> Catalog:
    """Forget the loaded sources, calendar, parameters and catalog (after an operator added a calendar
    year) and load them again."""
    for loaded in (catalog, official_calendar, parameters, _sources):
        loaded.cache_clear()
    return catalog()


class _Loader_:
    """Turns raw YAML into checked catalog types."""

    def __init__(self, params: Parameters, shared: Mapping[str, dict]):
        self.params = params
        self.shared = shared  # shared_rules.yaml: lines more than one procedure file holds, by name

    def cites(self, raw: object, where: str) -> tuple[Citation, ...]:
        return parse_cites(raw, where)

    def ref(self, raw: object, unit: str, where: str) -> Ref | None:
        return self.params.ref(raw, unit, where)

    def text(self, raw: object, where: str, numbers: Mapping[str, Ref | None] | None = None) -> Text:
        """A text whose ``{name}`` placeholders are the line's own numbers (``{working_days}``) or
        parameters by id (``{proxy-age-from}``), written in on the day of the advice."""
        text = Text.parse(raw, where)
        numbers = numbers or {}
        try:
            text.format(**dict.fromkeys(numbers, 0), **dict.fromkeys(self.params.by_id, 0))
        except (KeyError, IndexError, ValueError) as exc:
            raise CatalogError(
                f"{where}: text names {exc}, neither one of its numbers {sorted(numbers)} nor a parameter"
            ) from None
        if text.names("en") != text.names("zh"):
            raise CatalogError(f"{where}: the English and Chinese texts name different numbers")
        for name, ref in numbers.items():
            if ref is None and name in text.names():
                raise CatalogError(f"{where}: text names {{{name}}} but the line gives no {name}")
        return text

    @staticmethod
    def _unit(entry: dict, where: str) -> str | None:
        unit = entry.get("unit")
        if unit is not None and (entry.get("type") != "int" or unit not in UNITS):
            raise CatalogError(f"{where}: a unit is one of {sorted(UNITS)}, for a whole number")
        return unit

    def facts(self, raw: list) -> dict[str, FactDef]:
        facts: dict[str, FactDef] = {}
        for entry in raw:
            where = f"facts: {entry.get('id')}"
            if entry.get("id") in facts:
                raise CatalogError(f"{where}: fact is defined twice")
            if entry.get("type") not in ("bool", "date", "int", "enum", "duration"):
                raise CatalogError(f"{where}: unknown type {entry.get('type')!r}")
            options = tuple(
                Option(str(o["value"]), self.text(o["label"], where)) for o in entry.get("options") or ()
            )
            facts[entry["id"]] = FactDef(
                id=entry["id"],
                type=entry["type"],
                question=self.text(entry["question"], where),
                help=self.text(entry["help"], where) if entry.get("help") else None,
                options=options,
                derived_from=tuple(entry.get("derived_from") or ()),
                minimum=entry.get("minimum"),
                maximum=entry.get("maximum"),
                unit=self._unit(entry, where),
                name=self.text(entry["name"], where) if entry.get("name") else None,
            )
        return facts

    def condition(self, raw: object, facts: Mapping[str, FactDef], where: str) -> Condition:
        try:
            return compile_condition(raw, facts, where, self.params) if raw is not None else ALWAYS
        except ValueError as exc:
            raise CatalogError(str(exc)) from None

    def used(self, raw: dict, where: str) -> dict:
        """``raw`` with the shared line it names (``use``, shared_rules.yaml) filled in, so a rule held by
        several procedure files is written once. Its own keys win, except a ``when`` of its own, which
        narrows the shared one (both must hold), its ``why`` then said after the shared one's."""
        if "use" not in raw:
            return raw
        shared = self.shared.get(raw["use"])
        if shared is None:
            raise CatalogError(f"{where}: unknown shared rule {raw['use']!r} (shared_rules.yaml)")
        own = {key: value for key, value in raw.items() if key != "use"}
        line = {**shared, **own}
        if "when" in own and "when" in shared:
            line["when"] = {"all": [shared["when"], own["when"]]}
            why, more = shared["why"], own["why"]
            line["why"] = {"en": f"{why['en']} {more['en']}", "zh": f"{why['zh']}{more['zh']}"}
        return line

    def rule(self, section: str, raw: dict, facts: Mapping[str, FactDef], where: str) -> Rule:
        raw = self.used(raw, where)
        where = f"{where} {section}.{raw.get('id')}"
        unknown = set(raw) - _RULE_KEYS
        if unknown:
            raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
        when = self.condition(raw.get("when"), facts, where)
        why = self.text(raw["why"], where) if raw.get("why") else None
        if not when.always and why is None:
            raise CatalogError(f"{where}: a conditional rule must say why it applies ('why')")
        bands = raw.get("bands") or {}
        if bands and bands.get("fact") not in facts:
            raise CatalogError(f"{where}: fee bands name unknown fact {bands.get('fact')!r}")
        try:
            band_rows = tuple(self.band(row, where) for row in bands.get("table", ()))
        except (KeyError, ValueError) as exc:
            raise CatalogError(f"{where}: malformed fee band ({exc})") from None
        numbers = {
            "amount_cny": self.ref(raw.get("amount_cny"), "cny", where),
            "working_days": self.ref(raw.get("working_days"), "working_days", where),
            "valid_months": self.ref(raw.get("valid_months"), "months", where),
            "issued_within_months": self.ref(raw.get("issued_within_months"), "months", where),
        }
        return Rule(
            section=section,
            id=raw["id"],
            text=self.text(raw["text"], where, numbers),
            cite=self.cites(raw.get("cite"), where),
            when=when,
            why=why,
            require=self.condition(raw.get("require"), facts, where),
            failure=self.text(raw["failure"], where) if raw.get("failure") else None,
            band_fact=bands.get("fact"),
            bands=band_rows,
            counts=raw.get("counts"),
            mode=raw.get("mode"),
            paid_at=self.paid_at(section, raw, where),
            paid_at_cite=self.paid_at_cite(section, raw, where),
            by=self.submitters(raw, where),
            originals=self.originals(section, raw.get("originals"), where),
            see=raw.get("see"),
            **numbers,
        )

    def paid_at(self, section: str, raw: dict, where: str) -> str:
        paid_at = raw.get("paid_at", PAID_AT[-1])
        if paid_at not in PAID_AT or ("paid_at" in raw and section != "fees"):
            raise CatalogError(f"{where}: paid_at must be one of {PAID_AT}, on a fee line")
        return paid_at

    def paid_at_cite(self, section: str, raw: dict, where: str) -> tuple[Citation, ...]:
        """The sources that say when a fee line is paid (so when it is charged): every fee line names them."""
        if section != "fees":
            if "paid_at_cite" in raw:
                raise CatalogError(f"{where}: paid_at_cite is for a fee line")
            return ()
        if not raw.get("paid_at_cite"):
            raise CatalogError(
                f"{where}: a fee line cites the source saying when it is paid ('paid_at_cite')"
            )
        return self.cites(raw["paid_at_cite"], where)

    def submitters(self, raw: dict, where: str) -> tuple[str, ...]:
        by = raw.get("by")
        if by is None:
            return ()
        if raw.get("mode") != "proxy" or not isinstance(by, list) or not by or not set(by) <= set(SUBMITTERS):
            raise CatalogError(f"{where}: 'by' is for a proxy line, a list of some of {SUBMITTERS}")
        return tuple(by)

    def originals(self, section: str, raw: object, where: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        if section != "notes":
            raise CatalogError(f"{where}: only a note says which originals the hall sees ('originals')")
        if raw == EVERY_MATERIAL:
            return (EVERY_MATERIAL,)
        if not isinstance(raw, list) or not raw or not all(isinstance(i, str) for i in raw):
            raise CatalogError(f"{where}: originals is {EVERY_MATERIAL!r} or a list of material ids")
        return tuple(raw)

    def band(self, row: dict, where: str) -> Band:
        where = f"{where} band"
        return Band(
            lower=self.ref(row.get("from"), "duration", where),
            upper=self.ref(row.get("upto") or row.get("below"), "duration", where),
            upper_inclusive="upto" in row,
            amount_cny=self.ref(row["amount"], "cny", where) or Ref(""),
        )

    def obligation(self, raw: dict, facts: Mapping[str, FactDef]) -> Obligation:
        where = f"obligations: {raw.get('id')}"
        period = raw.get("period") or {}
        if period.get("kind") not in PERIOD_KINDS:
            raise CatalogError(f"{where}: period kind must be one of {PERIOD_KINDS}")
        if period.get("fact") not in facts or facts[period["fact"]].type != "date":
            raise CatalogError(f"{where}: period needs a date fact, got {period.get('fact')!r}")
        when = self.condition(raw.get("when"), facts, where)
        days = self.ref(period.get("calendar_days"), "calendar_days", where)
        months = self.ref(period.get("months"), "months", where)
        in_months = period["kind"].startswith("within_months")
        if (months is not None) != in_months or (days is not None) == in_months:
            raise CatalogError(
                f"{where}: a period within months names its months, any other its calendar days"
            )
        return Obligation(
            id=raw["id"],
            text=self.text(raw["text"], where, {"calendar_days": days, "months": months}),
            period=Period(period["kind"], period["fact"], days, months),
            cite=self.cites(raw.get("cite"), where),
            when=when,
            why=self.text(raw["why"], where) if raw.get("why") else None,
            permits=tuple(raw.get("permits") or ()),
        )

    def hall(self, raw: dict) -> Hall:
        where = f"halls.yaml: {raw.get('id')}"
        sessions = tuple(
            Session(time.fromisoformat(s["opens"]), time.fromisoformat(s["closes"])) for s in raw["sessions"]
        )
        choices = tuple(
            Choice(
                field=c["field"],
                chosen=Text.parse(c["chosen"], where),
                chosen_source=self.cites(c["chosen_source"], where)[0],
                alternative=Text.parse(c["alternative"], where),
                alternative_source=self.cites(c["alternative_source"], where)[0],
                reason=Text.parse(c["reason"], where),
                silent=bool(c.get("silent", False)),
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
            dedicated=bool(raw.get("dedicated", False)),
        )

    def procedure(
        self, raw: dict, facts: Mapping[str, FactDef], obligations: Mapping[str, Obligation], where: str
    ) -> Procedure:
        unknown = set(raw) - _PROCEDURE_KEYS - set(SECTIONS)
        if unknown:
            raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
        rules = {
            section: tuple(self.rule(section, r, facts, where) for r in raw.get(section) or ())
            for section in SECTIONS
        }
        for section, items in rules.items():
            ids = [r.id for r in items]
            if len(ids) != len(set(ids)):
                raise CatalogError(f"{where}: duplicate rule ids in {section}")
        handed_in = {r.id for r in rules["materials"] + rules["health"]}
        for note in rules["notes"]:
            unknown = set(note.originals) - handed_in - {EVERY_MATERIAL}
            if unknown:
                raise CatalogError(
                    f"{where} notes.{note.id}: originals of unknown materials {sorted(unknown)}"
                )
        try:
            linked = tuple(obligations[o] for o in raw.get("obligations") or ())
        except KeyError as exc:
            raise CatalogError(f"{where}: unknown obligation {exc}") from None
        return Procedure(
            id=raw["id"],
            title=self.text(raw["title"], where),
            summary=self.text(raw["summary"], where),
            group=raw["group"],
            **read_in_force(raw, where),
            hall_categories=frozenset(raw.get("halls") or ()),
            where=self.text(raw["where"], where) if raw.get("where") else None,
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
        unknown = set(raw) - {
            "action",
            "permit",
            "type",
            "approval",
            "with_work_permit",
            "by_new_employer",
            "cite",
        }
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
            by_new_employer=bool(raw.get("by_new_employer", False)),
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
    "paid_at",
    "paid_at_cite",
    "by",
    "valid_months",
    "issued_within_months",
    "originals",
    "see",
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
