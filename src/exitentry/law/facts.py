"""The facts about an applicant that the rules ask for, their types, and how input becomes a fact.

Fact definitions live in ``catalog/facts.yaml`` with a question in both languages, so an interview can ask
exactly the facts the rules still need. Input is checked against the definition; a value that does not fit
raises ``FactError`` naming the fact and the reason (in English, and as ``text`` in both languages for the
person who answered). Nothing is ever defaulted: an absent fact stays absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from exitentry.law.periods import add_months, age_in_years
from exitentry.law.rules.stay import max_extension_days
from exitentry.law.sources import Citation, cite
from exitentry.law.text import Text, day_text

FACT_TYPES = ("bool", "date", "int", "enum", "duration")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


_YES_OR_NO = Text("Choose yes or no.", "请选择“是”或“否”。")
_REAL_DATE = Text(
    "Enter a real date as YYYY-MM-DD, for example 1990-05-05.",
    "请按“年-月-日”（YYYY-MM-DD）格式输入真实存在的日期，例如1990-05-05。",
)
_WHOLE_NUMBER = Text("Enter a whole number.", "请输入整数。")
_AT_LEAST = Text("Enter a number no smaller than {n}.", "请输入不小于{n}的数。")
_AT_MOST = Text("Enter a number no larger than {n}.", "请输入不大于{n}的数。")
_ONE_OF = Text("Choose one of the options.", "请从选项中选择一项。")
# A length as people give it (the pages' picker: years, months and days); the API takes ISO 8601 and says so
# in its own Chinese (its English is ``Duration.parse``'s and ``DurationTooLong``'s)
_A_DURATION = Text(
    "Give a length in years, months and days, such as 1 year 6 months, or 180 days.",
    "请按年、月、日填写期限，如1年6个月，或180日。",
)
_AN_ISO_DURATION_ZH = "期限须为ISO 8601格式，如P1Y、P6M、P2Y6M或P180D。"
_LONGER_THAN_ZERO = Text("The {name} must be longer than zero.", "{name}必须大于零。")
_LENGTH = Text("length", "期限")  # a duration fact's name where the catalog gives none
_AT_MOST_A_CENTURY = Text(
    "The {name} may be at most 100 years (1,200 months, or 36,600 days).",
    "{name}最长为100年（1200个月，或36600日）。",
)
_AT_MOST_A_CENTURY_ISO_ZH = "{name}最长为100年（P100Y、P1200M或P36600D）。"
_DATE_IN_RANGE = Text("Enter a date from {first} to {last}.", "请输入{first}至{last}之间的日期。")
# The dates a fact may take: any a person's papers bear, and none so far out that a period counted from it
# (at most a century, ``Duration``) leaves the dates Python can hold.
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2199, 12, 31)
_AFTER_THE_DAY = Text(
    "This date is after the planned submission date ({on}).", "该日期晚于计划递交日期（{on}）。"
)
_CAP = cite("regulations", "Art. 14").label
_STAY_DAYS = Text(
    "Check the days of stay: the days already extended may not be negative or more than the original "
    f"visa's duration of stay ({_CAP.en}).",
    f"请核对停留天数：已延长的天数不能为负数，也不能超过原签证注明的停留期限（{_CAP.zh}）。",
)
# The units a whole-number fact may count in (its ``unit`` in the catalog): English one and many, Chinese.
UNITS = {"day": ("{n} day", "{n} days", "{n}日")}
_UNKNOWN_FACT = Text(
    "The rules know no such fact; see the list of facts.", "规则中没有这一事项，请查看事项列表。"
)


class DurationTooLong(ValueError):
    """A duration longer than a century: no permit or stay is, and the dates it reaches cannot be held."""

    def __init__(self, written: str):
        self.text = _AT_MOST_A_CENTURY.format(name=_LENGTH)
        super().__init__(f"{written!r} is longer than 100 years (P100Y, P1200M or P36600D)")


class FactError(ValueError):
    """A fact's value does not fit its definition: ``message`` says why in English, ``text`` in both
    languages for the person who gave it, ``api`` in both for an API client: the fact and ``message``, and
    in Chinese ``api_zh`` where the API's terms differ from a page's (a duration in ISO 8601), else ``text``'s;
    ``api_terms`` is ``api`` only where they differ (None else: the person's wording serves the API too)."""

    def __init__(self, fact: str, message: str, text: Text, api_zh: str | None = None):
        self.fact = fact
        self.message = message
        self.text = text
        super().__init__(f"{fact}: {message}")
        self.api = Text(str(self), api_zh or text.zh)
        self.api_terms = self.api if api_zh else None


@dataclass(frozen=True, slots=True)
class Duration:
    """A validity or stay length in whole months and days, written in ISO 8601 (P1Y, P6M, P180D)."""

    months: int
    days: int

    @classmethod
    def parse(cls, text: str) -> Duration:
        """The duration ``text`` writes; ``ValueError`` for anything else, ``DurationTooLong`` past a
        century (its months as a share of 1,200 and its days as a share of 36,600 add up to more than one)."""
        m = _DURATION.match(text.strip().upper()) if isinstance(text, str) else None
        if not m or not any(m.groups()):
            raise ValueError(f"{text!r} is not a duration such as P1Y, P6M, P2Y6M or P180D")
        years, months, days = (int(n or 0) for n in m.groups())
        if (years * 12 + months) / 1200 + days / 36_600 > 1:
            raise DurationTooLong(text)
        return cls(years * 12 + months, days)

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

    @property
    def words(self) -> Text:
        """The duration as people read it: "2 years 6 months" / "2年6个月" (ISO 8601 stays for machines)."""
        years, months = divmod(self.months, 12)
        parts = [(n, unit) for n, unit in ((years, "year"), (months, "month"), (self.days, "day")) if n]
        if not parts:
            return Text("0 days", "0日")
        zh_units = {"year": "年", "month": "个月", "day": "日"}
        return Text(
            " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts),
            "".join(f"{n}{zh_units[unit]}" for n, unit in parts),
        )

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
    unit: str | None = None  # what a whole number counts (``UNITS``), as the answer is shown
    name: Text | None = None  # what the fact is called within a sentence ("validity" / "有效期")
    # where the numbers its help gives come from: their parameters' citations on the day (``facts_on``)
    cite: tuple[Citation, ...] = ()

    @property
    def asked_as(self) -> tuple[str, ...]:
        return self.derived_from or (self.id,)

    def parse(self, raw: object) -> object:
        """The typed value of ``raw`` for this fact, or ``FactError`` saying why it does not fit."""
        return _PARSERS[self.type](self, raw)

    def amount(self, value: int) -> Text:
        """A whole number with this fact's unit: "1 day", "30 days" / "30日" (the number alone without one)."""
        if self.unit is None:
            return Text(str(value), str(value))
        one, many, zh = UNITS[self.unit]
        return Text((one if value == 1 else many).format(n=value), zh.format(n=value))


def _parse_bool(fact: FactDef, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("true", "yes", "1", "false", "no", "0"):
        return raw.lower() in ("true", "yes", "1")
    raise FactError(fact.id, f"expected yes or no (true/false), got {raw!r}", _YES_OR_NO)


def _parse_date(fact: FactDef, raw: object) -> date:
    if isinstance(raw, date):
        value = raw
    elif not isinstance(raw, str):
        raise FactError(fact.id, f"expected a date YYYY-MM-DD, got {raw!r}", _REAL_DATE)
    else:
        try:
            value = date.fromisoformat(raw.strip())
        except ValueError:
            raise FactError(
                fact.id, f"{raw!r} is not a real date in the form YYYY-MM-DD", _REAL_DATE
            ) from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise FactError(
            fact.id,
            f"{value} is not between {FIRST_DATE} and {LAST_DATE}",
            _DATE_IN_RANGE.format(first=day_text(FIRST_DATE), last=day_text(LAST_DATE)),
        )
    return value


def _parse_int(fact: FactDef, raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise FactError(fact.id, f"expected a whole number, got {raw!r}", _WHOLE_NUMBER)
    try:
        value = int(raw)
    except ValueError:
        raise FactError(fact.id, f"expected a whole number, got {raw!r}", _WHOLE_NUMBER) from None
    if fact.minimum is not None and value < fact.minimum:
        raise FactError(
            fact.id, f"must be at least {fact.minimum}, got {value}", _AT_LEAST.format(n=fact.minimum)
        )
    if fact.maximum is not None and value > fact.maximum:
        raise FactError(
            fact.id, f"must be at most {fact.maximum}, got {value}", _AT_MOST.format(n=fact.maximum)
        )
    return value


def _parse_enum(fact: FactDef, raw: object) -> str:
    for option in fact.options:
        if option.value == raw:
            return str(raw)
    allowed = ", ".join(o.value for o in fact.options)
    raise FactError(fact.id, f"expected one of {allowed}, got {raw!r}", _ONE_OF)


def _parse_duration(fact: FactDef, raw: object) -> Duration:
    try:
        value = raw if isinstance(raw, Duration) else Duration.parse(raw)  # type: ignore[arg-type]
    except DurationTooLong as exc:
        name = fact.name or _LENGTH
        raise FactError(
            fact.id,
            str(exc),
            _AT_MOST_A_CENTURY.format(name=name),
            _AT_MOST_A_CENTURY_ISO_ZH.format(name=name.zh),
        ) from None
    except ValueError as exc:
        raise FactError(fact.id, str(exc), _A_DURATION, _AN_ISO_DURATION_ZH) from None
    if value.months == 0 and value.days == 0:
        raise FactError(
            fact.id,
            "a duration must be longer than zero",
            _LONGER_THAN_ZERO.format(name=fact.name or _LENGTH),
        )
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
            raise FactError(
                "birth_date",
                f"{birth} is after the date of the advice ({on})",
                _AFTER_THE_DAY.format(on=day_text(on)),
            )
        values["age"] = age_in_years(birth, on)  # type: ignore[arg-type]
    original, so_far, requested = map(values.get, _EXTENSION_CAP_FACTS)
    if original is not None and so_far is not None and requested is not None:
        try:
            cap = max_extension_days(original, so_far)  # type: ignore[arg-type]
        except ValueError as exc:
            raise FactError("extended_stay_days_so_far", str(exc), _STAY_DAYS) from None
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
            raise FactError(name, "is not a fact the rules know (see the list of facts)", _UNKNOWN_FACT)
        if value is None or value == "":
            continue
        values[name] = definition.parse(value)
    derive(values, on)
    return values
