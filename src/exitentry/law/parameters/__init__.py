"""The law's numbers as dated parameters: fees, time limits, periods, ages and validities.

Each parameter (``parameters/*.yaml``, in the manner of OpenFisca's ``parameters/``) has an id, a
description in both languages, a unit, and values keyed by the date they take effect, each value with its
citation; a ``null`` value repeals it from that date. Catalog lines and rule functions name a parameter and
read its value on the day the rule is applied, so a change of the law on a date is a new dated value
and nothing else. A parameter asked for on a day it has no value (before its first, or after its repeal)
is ``ParameterNotInForce`` naming the parameter and the day, never a silent 0.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from exitentry.law.facts import Duration
from exitentry.law.files import PARAMETERS_DIR, CatalogError, data_files, read_yaml
from exitentry.law.sources import Citation, parse_cites
from exitentry.law.text import Text

UNITS = ("cny", "working_days", "calendar_days", "months", "years", "hours", "points", "duration")


class ParameterNotInForce(LookupError):
    """A parameter asked for on a day it has no value."""

    def __init__(self, parameter_id: str, on: date, first: date | None = None):
        self.parameter_id, self.on = parameter_id, on
        since = f" (its first value takes effect on {first})" if first and on < first else ""
        super().__init__(f"parameter {parameter_id!r} has no value in force on {on}{since}")


class UnknownParameter(LookupError):
    """A catalog line or rule names a parameter that no parameter file defines."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A catalog line's number, named by the parameter that holds it."""

    id: str


@dataclass(frozen=True, slots=True)
class Value:
    """One dated value of a parameter (None: repealed from ``since``) and where the law sets it."""

    since: date
    value: int | Duration | None
    cite: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Parameter:
    id: str
    description: Text
    unit: str
    values: tuple[Value, ...]  # by ``since``, earliest first

    def at(self, on: date) -> int | Duration:
        """The value in force on ``on``."""
        return self.value_on(on).value  # type: ignore[return-value]

    def value_on(self, on: date) -> Value:
        """The dated value in force on ``on`` (with its citation)."""
        for value in reversed(self.values):
            if value.since <= on:
                if value.value is None:
                    break
                return value
        raise ParameterNotInForce(self.id, on, self.values[0].since)

    def cites(self) -> tuple[Citation, ...]:
        return tuple(dict.fromkeys(c for v in self.values for c in v.cite))


class Parameters:
    """Every parameter by id, with their values resolved once per stretch of days in which none changes.

    ``epoch(on)`` numbers those stretches, so a caller can keep what it built from the values of one
    stretch (the advice keeps its plans so) and ask again only when the law changed.
    """

    def __init__(self, parameters: Iterable[Parameter]):
        self.by_id: dict[str, Parameter] = {}
        for p in parameters:
            if p.id in self.by_id:
                raise CatalogError(f"parameters: {p.id} is defined twice")
            self.by_id[p.id] = p
        self._changes = sorted({v.since for p in self.by_id.values() for v in p.values})
        self._latest = self._changes[-1] if self._changes else date.min
        self._at: dict[int, dict[str, int | Duration]] = {}
        self._words: dict[int, tuple[dict[str, str], dict[str, str]]] = {}

    def __getitem__(self, parameter_id: str) -> Parameter:
        try:
            return self.by_id[parameter_id]
        except KeyError:
            raise UnknownParameter(f"no parameter {parameter_id!r} in the parameter files") from None

    def __iter__(self):
        return iter(self.by_id.values())

    def ref(self, raw: object, unit: str | tuple[str, ...], where: str) -> Ref | None:
        """The parameter a data file's number names (``{param: id}``), checked to exist and to be
        counted in ``unit``; a bare number is refused, so every number has its dated, cited values."""
        if raw is None:
            return None
        if not isinstance(raw, dict) or set(raw) != {"param"}:
            raise CatalogError(f"{where}: name the number's parameter ({{param: id}}), not {raw!r}")
        parameter = self.by_id.get(raw["param"])
        if parameter is None:
            raise CatalogError(f"{where}: names unknown parameter {raw['param']!r}")
        units = (unit,) if isinstance(unit, str) else unit
        if parameter.unit not in units:
            raise CatalogError(
                f"{where}: parameter {parameter.id} is in {parameter.unit}, not {' or '.join(units)}"
            )
        return Ref(parameter.id)

    def value(self, parameter_id: str, on: date) -> int | Duration:
        """The value of ``parameter_id`` in force on ``on``."""
        return self[parameter_id].at(on)

    def epoch(self, on: date) -> int:
        """The stretch of days ``on`` falls in: the same number means every parameter has the same value."""
        if on >= self._latest:  # the usual case: after the last change of the law
            return len(self._changes)
        return bisect_right(self._changes, on)

    def at(self, on: date) -> Mapping[str, int | Duration]:
        """Every parameter in force on ``on`` by id (those without a value that day are absent)."""
        epoch = self.epoch(on)
        values = self._at.get(epoch)
        if values is None:
            values = self._at[epoch] = {
                p.id: v.value for p in self.by_id.values() for v in _in_force(p, on) if v.value is not None
            }
        return values

    def words(self, on: date) -> tuple[Mapping[str, str], Mapping[str, str]]:
        """Every parameter in force on ``on`` as a text names it (``{proxy-age-from}``), in English and
        in Chinese."""
        epoch = self.epoch(on)
        words = self._words.get(epoch)
        if words is None:
            spoken = {pid: in_words(value) for pid, value in self.at(on).items()}
            words = self._words[epoch] = (
                {pid: t.en for pid, t in spoken.items()},
                {pid: t.zh for pid, t in spoken.items()},
            )
        return words

    def cites_on(self, names: Iterable[str], on: date) -> tuple[Citation, ...]:
        """The citations of the values in force on ``on`` of the parameters among ``names`` (a text's
        placeholders), each once, by parameter id."""
        found = (self[n].value_on(on).cite for n in sorted(names) if n in self.by_id)
        return tuple(dict.fromkeys(c for cites in found for c in cites))

    def resolve(self, ref: Ref | None, on: date) -> int | Duration | None:
        """The value a catalog line names, on ``on`` (None when the line names none)."""
        if ref is None:
            return None
        values = self.at(on)
        try:
            return values[ref.id]
        except KeyError:
            raise ParameterNotInForce(ref.id, on, self[ref.id].values[0].since) from None


def in_words(value: int | Duration) -> Text:
    """A value as a sentence says it: a number, or a duration in years, months and days (never ISO 8601)."""
    return value.words if isinstance(value, Duration) else Text(str(value), str(value))


def _in_force(parameter: Parameter, on: date) -> tuple[Value, ...]:
    try:
        return (parameter.value_on(on),)
    except ParameterNotInForce:
        return ()


def load_parameters(folders: Iterable[Path] = (PARAMETERS_DIR,)) -> Parameters:
    """The parameters of every file in ``folders``; a later file's values of the same id are added to
    the earlier ones (a test or an operator dates a change without editing the packaged files)."""
    raw_by_id: dict[str, dict] = {}
    for folder in folders:
        for path in data_files(folder):
            for parameter_id, raw in (read_yaml(path) or {}).items():  # type: ignore[union-attr]
                where = f"{path.name}: {parameter_id}"
                if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict):
                    raise CatalogError(f"{where}: a parameter has a description, a unit and dated values")
                earlier = raw_by_id.get(parameter_id)
                if earlier is not None:
                    raw = {**earlier, **raw, "values": {**earlier["values"], **raw["values"]}}
                raw_by_id[parameter_id] = {**raw, "where": where}
    return Parameters(_parameter(parameter_id, raw) for parameter_id, raw in raw_by_id.items())


def _parameter(parameter_id: str, raw: dict) -> Parameter:
    where = raw["where"]
    unknown = set(raw) - {"description", "unit", "values", "where"}
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")
    unit = raw.get("unit")
    if unit not in UNITS:
        raise CatalogError(f"{where}: unit must be one of {UNITS}, got {unit!r}")
    values = []
    for since, entry in sorted(raw["values"].items(), key=lambda item: str(item[0])):
        at = f"{where} {since}"
        if not isinstance(since, date):
            raise CatalogError(f"{at}: a value is keyed by the date it takes effect (YYYY-MM-DD)")
        if not isinstance(entry, dict) or "value" not in entry:
            raise CatalogError(f"{at}: a dated value is {{value: ..., cite: ...}}")
        values.append(Value(since, _typed(entry["value"], unit, at), parse_cites(entry.get("cite"), at)))
    if not values or values[0].value is None:
        raise CatalogError(f"{where}: the first dated value cannot be a repeal")
    return Parameter(parameter_id, Text.parse(raw.get("description"), where), unit, tuple(values))


def _typed(value: object, unit: str, where: str) -> int | Duration | None:
    if value is None:
        return None
    if unit == "duration":
        try:
            return Duration.parse(value)  # type: ignore[arg-type]
        except ValueError as exc:
            raise CatalogError(f"{where}: {exc}") from None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CatalogError(f"{where}: a value in {unit} is a whole number, got {value!r}")
    return value


@cache
def parameters() -> Parameters:
    """The packaged parameters, loaded and checked once per process."""
    return load_parameters()
