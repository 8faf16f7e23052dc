"""The facts about an applicant that the rules ask for, their types, and how input becomes a fact.

Fact definitions live in ``catalog/facts.yaml`` with a question in both languages, so an interview can ask
exactly the facts the rules still need. Input is checked against the definition; a value that does not fit
raises ``FactError`` naming the fact and the reason. Nothing is ever defaulted: an absent fact stays absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from exitentry.law.periods import add_months, age_in_years
from exitentry.law.rules.stay import max_extension_days
from exitentry.law.text import Text

FACT_TYPES = ("bool", "date", "int", "enum", "duration")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


class FactError(ValueError):
    """A fact's value does not fit its definition."""

    def __init__(self, fact: str, message: str):
        self.fact = fact
        self.message = message
        super().__init__(f"{fact}: {message}")


@dataclass(frozen=True, slots=True)
class Duration:
    """A validity or stay length in whole months and days, written in ISO 8601 (P1Y, P6M, P180D)."""

    months: int
    days: int

    @classmethod
    def parse(cls, text: str) -> Duration:
        m = _DURATION.match(text.strip().upper()) if isinstance(text, str) else None
        if not m or not any(m.groups()):
            raise ValueError(f"{text!r} is not a duration such as P1Y, P6M, P2Y6M or P180D")
        years, months, days = m.groups()
        return cls(int(years or 0) * 12 + int(months or 0), int(days or 0))

    def end_from(self, start: date) -> date:
        """The day this duration after ``start`` (months first, then days; month-end rule of Art. 202)."""
        return add_months(start, self.months) + timedelta(days=self.days)

    def comparable_ends(self, other: Duration, start: date) -> tuple[object, object]:
        """Two values that compare as the days ``self`` and ``other`` end on, both counted from ``start``.

        Where the two share their days (P1Y vs P5Y) or their months (P180D vs P90D), the other part
        orders them on its own; only a mix (P180D vs P6M) needs the end dates reckoned.
        """
        if self.days == other.days:
            return self.months, other.months
        if self.months == other.months:
            return self.days, other.days
        return self.end_from(start), other.end_from(start)

    def __str__(self) -> str:
        years, months = divmod(self.months, 12)
        parts = [
            f"{years}Y" if years else "",
            f"{months}M" if months else "",
            f"{self.days}D" if self.days else "",
        ]
        return "P" + ("".join(parts) or "0D")


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True, slots=True)
class FactDef:
    """One fact the rules may ask for."""

    id: str
    type: str
    question: Text
    help: Text | None = None
    options: tuple[Option, ...] = ()
    derived_from: tuple[str, ...] = ()  # a derived fact (age) is asked for as the facts it comes from
    minimum: int | None = None
    maximum: int | None = None

    @property
    def asked_as(self) -> tuple[str, ...]:
        return self.derived_from or (self.id,)

    def parse(self, raw: object) -> object:
        """The typed value of ``raw`` for this fact, or ``FactError`` saying why it does not fit."""
        try:
            return _PARSERS[self.type](self, raw)
        except FactError:
            raise
        except (TypeError, ValueError) as exc:
            raise FactError(self.id, str(exc)) from None


def _parse_bool(fact: FactDef, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "yes", "1", "false", "no", "0"):
        return raw.lower() in ("true", "yes", "1")
    raise FactError(fact.id, f"expected yes or no (true/false), got {raw!r}")


def _parse_date(fact: FactDef, raw: object) -> date:
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise FactError(fact.id, f"expected a date YYYY-MM-DD, got {raw!r}")
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise FactError(fact.id, f"{raw!r} is not a real date in the form YYYY-MM-DD") from None


def _parse_int(fact: FactDef, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise FactError(fact.id, f"expected a whole number, got {raw!r}")
    try:
        value = int(raw)
    except ValueError:
        raise FactError(fact.id, f"expected a whole number, got {raw!r}") from None
    if fact.minimum is not None and value < fact.minimum:
        raise FactError(fact.id, f"must be at least {fact.minimum}, got {value}")
    if fact.maximum is not None and value > fact.maximum:
        raise FactError(fact.id, f"must be at most {fact.maximum}, got {value}")
    return value


def _parse_enum(fact: FactDef, raw: object) -> str:
    for option in fact.options:
        if option.value == raw:
            return str(raw)
    allowed = ", ".join(o.value for o in fact.options)
    raise FactError(fact.id, f"expected one of {allowed}, got {raw!r}")


def _parse_duration(fact: FactDef, raw: object) -> Duration:
    value = raw if isinstance(raw, Duration) else Duration.parse(raw)  # type: ignore[arg-type]
    if value.months == 0 and value.days == 0:
        raise FactError(fact.id, "a duration must be longer than zero")
    return value


_PARSERS = {
    "bool": _parse_bool,
    "date": _parse_date,
    "int": _parse_int,
    "enum": _parse_enum,
    "duration": _parse_duration,
}


def derive(values: dict[str, object], on: date) -> None:
    """Add the derived facts to ``values`` in place: age from the date of birth, on ``on``; whether a
    visa extension stays within the Art. 14 cap (``rules.stay``)."""
    birth = values.get("birth_date")
    if birth is not None:
        if birth > on:  # type: ignore[operator]
            raise FactError("birth_date", f"{birth} is after the date of the advice ({on})")
        values["age"] = age_in_years(birth, on)  # type: ignore[arg-type]
    original, so_far, requested = map(values.get, _EXTENSION_CAP_FACTS)
    if original is not None and so_far is not None and requested is not None:
        try:
            cap = max_extension_days(original, so_far)  # type: ignore[arg-type]
        except ValueError as exc:
            raise FactError("extended_stay_days_so_far", str(exc)) from None
        values["extension_within_cap"] = cap.allows(requested)  # type: ignore[arg-type]


_EXTENSION_CAP_FACTS = ("original_stay_days", "extended_stay_days_so_far", "requested_extension_days")


def parse_facts(raw: Mapping[str, object], definitions: Mapping[str, FactDef], on: date) -> dict[str, object]:
    """Typed facts from raw input (JSON or a form); unknown names and ill-fitting values are refused.

    Empty values (None, "") mean "not known yet" and are left out, never guessed.
    """
    values: dict[str, object] = {}
    for name, value in raw.items():
        definition = definitions.get(name)
        if definition is None or definition.derived_from:
            raise FactError(name, "is not a fact the rules know (see the list of facts)")
        if value is None or value == "":
            continue
        values[name] = definition.parse(value)
    derive(values, on)
    return values
