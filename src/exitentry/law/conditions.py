"""Conditions over facts, written as data in the catalog and evaluated in three values.

A condition is true, false, or unknown because a fact it needs is missing; evaluation records the missing
facts, so the advice can say which facts it still needs instead of guessing. The forms:

    {ground: family}                      equality
    {visa_category: [S1, S2]}             one of
    {age: {gte: 60}}                      comparison: eq ne lt lte gt gte (durations compare by end date)
    {age: {gte: {param: proxy-age-from}}} comparison with a parameter's value on the day of the advice
    {all: [...]}, {any: [...]}, {not: {...}}
    a mapping with several keys           all of them
    true                                  always

``all`` is false as soon as one part is false, whatever else is unknown; ``any`` is true as soon as one
part is true. Only a result that really depends on a missing fact is unknown.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from exitentry.law.facts import Duration, FactDef
from exitentry.law.parameters import Parameter, Parameters

Evaluator = Callable[[Mapping[str, object], date, set[str]], bool | None]

_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}
_SYMBOL = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition: ``evaluate`` and the facts it reads (as asked: a derived fact by the facts
    it comes from, the birth date for an age), and a readable form for traces.

    A comparison with a parameter reads its value on the day it is evaluated, and ``text`` holds
    ``{parameter-id}``; ``on(parameters, day)`` compiles it again with the values of that day written
    in, as fast as a comparison with a number (the advice does so once per stretch of days).
    """

    evaluate: Evaluator
    facts: frozenset[str]
    text: str
    params: frozenset[str] = frozenset()
    source: tuple[object, Mapping[str, FactDef], str] | None = None  # (raw, definitions, where)

    @property
    def always(self) -> bool:
        return not self.facts

    def on(self, parameters: Parameters, day: date) -> Condition:
        """This condition with the parameters' values on ``day`` in its test and its text."""
        if not self.params or self.source is None:
            return self
        raw, definitions, where = self.source
        bound = compile_condition(_with_values(raw, parameters, day), definitions, where)
        return Condition(bound.evaluate, bound.facts, bound.text, self.params, self.source)


def _with_values(raw: object, parameters: Parameters, day: date) -> object:
    """Condition data with every ``{param: id}`` replaced by the parameter's value on ``day``."""
    if isinstance(raw, Mapping):
        if set(raw) == {"param"}:
            return parameters[raw["param"]].at(day)
        return {key: _with_values(value, parameters, day) for key, value in raw.items()}
    if isinstance(raw, list):
        return [_with_values(value, parameters, day) for value in raw]
    return raw


ALWAYS = Condition(lambda values, on, missing: True, frozenset(), "always")


def compile_condition(
    raw: object, definitions: Mapping[str, FactDef], where: str, params: Parameters | None = None
) -> Condition:
    """Compile catalog data into a Condition, refusing unknown facts, options, operators and parameters."""
    if raw is True or raw is None:
        return ALWAYS
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f"{where}: a condition is a non-empty mapping, got {raw!r}")
    parts = [_compile_key(key, value, definitions, where, params) for key, value in raw.items()]
    condition = parts[0] if len(parts) == 1 else _all(parts)
    if condition.params:
        condition = Condition(
            condition.evaluate, condition.facts, condition.text, condition.params, (raw, definitions, where)
        )
    return condition


def _compile_key(
    key: str, value: object, definitions: Mapping[str, FactDef], where: str, params: Parameters | None
) -> Condition:
    if key == "all":
        return _all([compile_condition(v, definitions, where, params) for v in _as_list(value, where)])
    if key == "any":
        return _any([compile_condition(v, definitions, where, params) for v in _as_list(value, where)])
    if key == "not":
        return _not(compile_condition(value, definitions, where, params))
    fact = definitions.get(key)
    if fact is None:
        raise ValueError(f"{where}: condition names unknown fact {key!r}")
    if isinstance(value, Mapping):
        return (
            _compare(fact, value, where, params) if value else _all([])
        )  # an empty mapping compares nothing
    if isinstance(value, list):
        allowed = frozenset(_literal(fact, v, where) for v in value)
        shown = ", ".join(sorted(map(str, allowed)))
        return _test(fact, allowed.__contains__, f"{fact.id} in [{shown}]")
    literal = _literal(fact, value, where)
    return _test(fact, lambda v: v == literal, f"{fact.id} = {_show(literal)}")


def _as_list(value: object, where: str) -> list:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: all/any take a non-empty list, got {value!r}")
    return value


def _literal(fact: FactDef, value: object, where: str) -> object:
    try:
        return fact.parse(value)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _compare(
    fact: FactDef, comparisons: Mapping[str, object], where: str, params: Parameters | None
) -> Condition:
    """``{fact: {op: value, ...}}``: every comparison holds (one test reads the fact once for all of them);
    a duration is compared by the day it ends, counted from the date of the advice."""
    if any(isinstance(value, Mapping) for value in comparisons.values()):
        return _compare_with_parameters(fact, comparisons, where, params)
    checks: list[tuple[Callable[[object, object], bool], object]] = []
    texts: list[str] = []
    for op, value in comparisons.items():
        if op not in _COMPARE:
            raise ValueError(f"{where}: unknown comparison {op!r} (use {', '.join(_COMPARE)})")
        texts.append(f"{fact.id} {_SYMBOL[op]} {_show(value)}")
        if fact.type == "int" and isinstance(value, int) and not isinstance(value, bool):
            checks.append((_COMPARE[op], value))  # derived ints (age) have no parser bounds
        else:
            checks.append((_COMPARE[op], _literal(fact, value, where)))
    text = _join(texts, "and")

    if fact.type == "duration":

        def ends_compare(v: Duration, on: date) -> bool:
            for compare, threshold in checks:  # noqa: SIM110 (a loop: all() over a generator is slower here)
                if not compare(*v.comparable_ends(threshold, on)):  # type: ignore[arg-type]
                    return False
            return True

        return _test(fact, ends_compare, text, uses_date=True)

    def compares(v: object) -> bool:
        for compare, literal in checks:  # noqa: SIM110 (as above)
            if not compare(v, literal):
                return False
        return True

    return _test(fact, compares, text)


def _compare_with_parameters(
    fact: FactDef, comparisons: Mapping[str, object], where: str, params: Parameters | None
) -> Condition:
    """As ``_compare``, where some values are parameters (``{param: id}``), read on the day of the advice."""
    if params is None:
        raise ValueError(f"{where}: a comparison with a parameter needs the parameters")
    units = ("duration",) if fact.type == "duration" else ("years", "points", "calendar_days")
    checks: list[tuple[Callable[[object, object], bool], object, Parameter | None]] = []
    texts: list[str] = []
    for op, value in comparisons.items():
        if op not in _COMPARE:
            raise ValueError(f"{where}: unknown comparison {op!r} (use {', '.join(_COMPARE)})")
        if isinstance(value, Mapping):
            ref = params.ref(value, units, where)
            checks.append((_COMPARE[op], None, params[ref.id]))  # type: ignore[union-attr]
            texts.append(f"{fact.id} {_SYMBOL[op]} {{{ref.id}}}")  # type: ignore[union-attr]
        else:
            checks.append((_COMPARE[op], _literal(fact, value, where), None))
            texts.append(f"{fact.id} {_SYMBOL[op]} {_show(value)}")
    used = frozenset(p.id for _, _, p in checks if p is not None)
    durations = fact.type == "duration"

    def holds(v: object, on: date) -> bool:
        for compare, literal, parameter in checks:
            threshold = parameter.at(on) if parameter is not None else literal
            if not (compare(*v.comparable_ends(threshold, on)) if durations else compare(v, threshold)):  # type: ignore[attr-defined]
                return False
        return True

    condition = _test(fact, holds, _join(texts, "and"), uses_date=True)
    return Condition(condition.evaluate, condition.facts, condition.text, used)


def _test(fact: FactDef, check: Callable, text: str, *, uses_date: bool = False) -> Condition:
    name, asked = fact.id, fact.asked_as

    if uses_date:

        def evaluate(values: Mapping[str, object], on: date, missing: set[str]) -> bool | None:
            value = values.get(name)
            if value is None:
                missing.update(n for n in asked if n not in values)  # a derived fact: ask only what is absent
                return None
            return check(value, on)

    else:

        def evaluate(values: Mapping[str, object], on: date, missing: set[str]) -> bool | None:
            value = values.get(name)
            if value is None:
                missing.update(n for n in asked if n not in values)  # a derived fact: ask only what is absent
                return None
            return check(value)

    return Condition(evaluate, frozenset(asked), text)


def _all(parts: list[Condition]) -> Condition:
    return _settled_by(False, parts, "and")


def _any(parts: list[Condition]) -> Condition:
    return _settled_by(True, parts, "or")


def _settled_by(decisive: bool, parts: list[Condition], word: str) -> Condition:
    """``all`` (``decisive`` False) or ``any`` (True): one part with the decisive value settles it, whatever
    else is unknown; otherwise an unknown part makes it unknown, and no part at all the other value."""
    evaluators = tuple(p.evaluate for p in parts)

    def evaluate(values: Mapping[str, object], on: date, missing: set[str]) -> bool | None:
        pending: set[str] = set()
        unknown = False
        for part in evaluators:
            result = part(values, on, pending)
            if result is decisive:
                return decisive
            if result is None:
                unknown = True
        if unknown:
            missing |= pending
            return None
        return not decisive

    return Condition(
        evaluate,
        frozenset().union(*(p.facts for p in parts)),
        _join([p.text for p in parts], word),
        frozenset().union(*(p.params for p in parts)),
    )


def _not(part: Condition) -> Condition:
    inner = part.evaluate

    def evaluate(values: Mapping[str, object], on: date, missing: set[str]) -> bool | None:
        result = inner(values, on, missing)
        return None if result is None else not result

    return Condition(evaluate, part.facts, f"not ({part.text})", part.params)


def _join(texts: list[str], word: str) -> str:
    nested = (" and ", " or ")
    return f" {word} ".join(f"({t})" if any(w in t for w in nested) else t for t in texts)
