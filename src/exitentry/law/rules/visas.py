"""Ordinary visa categories (Regulations Art. 6), what an application needs (Art. 7), and when the visa
authority abroad interviews the applicant (Art. 8).

The categories and materials are data in ``catalog/visas.yaml``, each category with the dates it is in
force: the K visa exists from 2025-10-01 (the 2025 revision), the others from 2013-09-01 (Art. 39).
Asking for a category on a day it is not in force is an error, never an empty answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

from exitentry.law.files import CATALOG_DIR, CatalogError, read_yaml
from exitentry.law.in_force import InForce, read_in_force
from exitentry.law.rulefunctions import cites
from exitentry.law.sources import Citation, cite, parse_cites
from exitentry.law.text import Text

VISAS_FILE = CATALOG_DIR / "visas.yaml"


class UnknownVisaCategory(LookupError):
    """A visa code that Art. 6 does not list."""


class VisaCategoryNotInForce(LookupError):
    """A visa category asked for on a day it did not (or no longer) exist."""


@dataclass(frozen=True, slots=True)
class Material:
    """One application material, and the case it is for where the article distinguishes cases."""

    id: str
    text: Text
    cite: tuple[Citation, ...]
    case: Text | None = None


@dataclass(frozen=True, slots=True)
class VisaCategory(InForce):
    """An ordinary visa category: who it is for, whether it is for residence, and its own materials."""

    code: str
    description: Text
    for_residence: bool | None  # None where the seed does not say
    materials: tuple[Material, ...]
    cite: tuple[Citation, ...]
    in_force_from: date
    in_force_to: date | None


@dataclass(frozen=True, slots=True)
class InterviewTrigger:
    """A circumstance of Art. 8 in which the applicant must attend an interview, and the fact naming it."""

    fact: str
    text: Text
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Interview:
    """Whether an interview is required (None: it depends on ``missing``), and which triggers apply."""

    required: bool | None
    triggers: tuple[InterviewTrigger, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _VisaData:
    common: tuple[Material, ...]
    other: Material
    categories: dict[str, VisaCategory]
    triggers: tuple[InterviewTrigger, ...]


def _material(raw: dict, where: str, cite: tuple[Citation, ...] | None = None) -> Material:
    at = f"{where} {raw.get('id')}"
    return Material(
        id=raw["id"],
        text=Text.parse(raw["text"], at),
        cite=cite if cite is not None else parse_cites(raw.get("cite"), at),
        case=Text.parse(raw["case"], at) if raw.get("case") else None,
    )


@cache
def _data() -> _VisaData:
    raw = read_yaml(VISAS_FILE)
    if not isinstance(raw, dict):
        raise CatalogError(
            "visas.yaml: expected common_materials, other_materials, categories, interview_triggers"
        )
    categories: dict[str, VisaCategory] = {}
    for entry in raw["categories"]:
        where = f"visas.yaml: {entry.get('code')}"
        if entry.get("code") in categories:
            raise CatalogError(f"{where}: category is listed twice")
        if entry.get("for_residence") not in (True, False, None):
            raise CatalogError(f"{where}: for_residence is true, false or null")
        materials_cite = parse_cites(entry.get("materials_cite"), where)
        categories[entry["code"]] = VisaCategory(
            code=entry["code"],
            description=Text.parse(entry["description"], where),
            for_residence=entry.get("for_residence"),
            materials=tuple(_material(m, where, materials_cite) for m in entry.get("materials") or ()),
            cite=parse_cites(entry.get("cite"), where),
            **read_in_force(entry, where),
        )
    triggers = tuple(
        InterviewTrigger(
            fact=t["fact"],
            text=Text.parse(t["text"], f"visas.yaml: {t.get('fact')}"),
            cite=parse_cites(t.get("cite"), f"visas.yaml: {t.get('fact')}"),
        )
        for t in raw["interview_triggers"]
    )
    return _VisaData(
        common=tuple(_material(m, "visas.yaml: common_materials") for m in raw["common_materials"]),
        other=_material(raw["other_materials"], "visas.yaml: other_materials"),
        categories=categories,
        triggers=triggers,
    )


def all_visa_categories() -> tuple[VisaCategory, ...]:
    """Every ordinary visa category, whatever its dates."""
    return tuple(_data().categories.values())


def common_visa_materials() -> tuple[Material, ...]:
    """The materials every visa application needs, and the "other materials" line (Art. 7)."""
    return (*_data().common, _data().other)


def visa_categories(on: date) -> tuple[VisaCategory, ...]:
    """The ordinary visa categories in force on ``on``, in the order of Art. 6."""
    return tuple(c for c in _data().categories.values() if c.in_force_on(on))


@cites("regulations: Art. 6")
def visa_category(code: str, on: date) -> VisaCategory:
    """The category ``code`` (C, D, F, ..., Z) as in force on ``on``."""
    category = _data().categories.get(code)
    if category is None:
        known = ", ".join(_data().categories)
        listing = cite("regulations", "Art. 6").label.en
        raise UnknownVisaCategory(f"no ordinary visa category {code!r}; the {listing} lists {known}")
    if not category.in_force_on(on):
        until = category.in_force_to or "now"
        raise VisaCategoryNotInForce(
            f"the {code} visa exists from {category.in_force_from} to {until}, not on {on}"
        )
    return category


@cites("regulations: Art. 7")
def visa_materials(code: str, on: date) -> tuple[Material, ...]:
    """What a visa application of category ``code`` needs (Art. 7): the common materials, the
    category's own, and whatever else the visa authority asks for in the circumstances."""
    return _data().common + visa_category(code, on).materials + (_data().other,)


def interview_triggers() -> tuple[InterviewTrigger, ...]:
    """The circumstances of Art. 8 para. 1, each named by the fact ``interview_required`` reads."""
    return _data().triggers


@cites("regulations: Art. 8")
def interview_required(facts: Mapping[str, bool | str | None], on: date) -> Interview:
    """Whether the visa authority abroad must interview the applicant (Art. 8), in three values.

    ``facts`` maps each trigger's fact to True, False or None (unknown); absent means unknown. Instead of
    ``applying_for_residence`` it may give ``visa_category``, whose ``for_residence`` then answers it.
    An interview is required as soon as one trigger holds; it is not required only when none can.
    """
    triggers = interview_triggers()
    allowed = {t.fact for t in triggers} | {"visa_category"}
    unknown = set(facts) - allowed
    if unknown:
        raise ValueError(f"interview_required knows {sorted(allowed)}, not {sorted(unknown)}")
    values: dict[str, bool | None] = {t.fact: facts.get(t.fact) for t in triggers}  # type: ignore[misc]
    code = facts.get("visa_category")
    if values["applying_for_residence"] is None and code is not None:
        values["applying_for_residence"] = visa_category(str(code), on).for_residence
    for name, value in values.items():
        if value not in (True, False, None):
            raise ValueError(f"{name} is true, false or unknown (None), got {value!r}")
    holding = tuple(t for t in triggers if values[t.fact] is True)
    if holding:
        return Interview(True, holding, ())
    missing = tuple(t.fact for t in triggers if values[t.fact] is None)
    return Interview(None if missing else False, (), missing)
