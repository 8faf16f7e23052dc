"""How long a permit may be issued for (Exit-Entry Law Arts. 30 and 34; PR card by age), and its last day.

A decision states the validity as a duration (P2Y, P180D), as the fee bands and Art. 30 do. The permit is
valid from the day of issue, which counts, to the day before the duration's end: a one-year permit issued
on 10 January 2026 is valid until 9 January 2027 (the last valid day, valid to its end). This is a named
choice: the sources do not say whether the day of issue counts, nor when on its last day a residence
permit ends (Regulations Art. 36(2) says so of a visa's entry validity only).

The ranges and the PR card's validities are dated parameters (``parameters/validity.yaml``), read on the
day of the decision; the validity by the holder's age is decided here and nowhere else
(``ValidityRange.fixed_for``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from exitentry.law.advice import advise_stored
from exitentry.law.facts import Duration
from exitentry.law.files import CATALOG_DIR, CatalogError, read_yaml
from exitentry.law.model import PERMITS, RESIDENCE_PERMIT_TYPES, Casework
from exitentry.law.parameters import Parameters, Ref, parameters
from exitentry.law.periods import age_in_years
from exitentry.law.rulefunctions import cites
from exitentry.law.rules.stay import max_extension_days
from exitentry.law.sources import Citation, parse_cites
from exitentry.law.text import Text

PERMITS_FILE = CATALOG_DIR / "permits.yaml"
_BOUNDS = ("from", "upto", "under_age", "adult")

_NEEDS_BIRTH_DATE = Text(
    "The card's validity depends on the holder's age: give the birth date.",
    "证件有效期取决于持证人的年龄，请填写出生日期。",
)
_FIXED = Text(
    "For this holder the validity is {fixed}; {given} was given.",
    "该持证人的有效期应为{fixed}；填写的是{given}。",
)
_AT_LEAST = Text(
    "The validity must be at least {minimum}; {given} was given.",
    "有效期不得少于{minimum}；填写的是{given}。",
)
_AT_MOST = Text(
    "The validity must be at most {maximum}; {given} was given.", "有效期不得超过{maximum}；填写的是{given}。"
)
_DAYS_ADDED = Text(
    "A visa extension states the days added, from 1 to {days} days on this entry.",
    "签证延期应填写延长的天数，本次入境可为1至{days}日。",
)
_NO_VALIDITY = Text("This decision gives no validity: leave it empty.", "此类决定不设有效期，请勿填写。")
_NOT_INCLUDED = Text(
    "A validity of {granted} needs what this application, applied for with {applied}, did not include: "
    "{items}. Grant a validity that does not need it (such as the {applied} applied for).",
    "有效期{granted}须提交本申请（申请有效期{applied}）未包含的材料：{items}。"
    "请批准无须该材料的有效期（如申请的{applied}）。",
)

VALIDITY = "validity"  # the fact a permit's validity is applied for in (a visa extension's days are not)


class ValidityOutOfRange(ValueError):
    """A validity the law does not allow for that permit; the message names the range and its source, and
    ``text`` says what to give, in both languages."""

    def __init__(self, message: str, text: Text, cite: tuple[Citation, ...]):
        self.text, self.cite = text, cite
        super().__init__(f"{message} ({'; '.join(str(c) for c in cite)})")


@dataclass(frozen=True, slots=True)
class ValidityRange:
    """The validities a permit may be issued with on one day: a range, or one fixed value by whether the
    holder has reached ``adult_age`` (``under_18`` below it, ``adult`` from it)."""

    permit: str
    types: frozenset[str]
    minimum: Duration | None
    maximum: Duration | None
    under_18: Duration | None
    adult: Duration | None
    adult_age: int | None
    cite: tuple[Citation, ...]

    def fixed_for(self, birth_date: date, issued_on: date) -> Duration | None:
        """The one validity for a holder born on ``birth_date`` (PR card by age), or None for a range."""
        if self.adult is None:
            return None
        return self.under_18 if age_in_years(birth_date, issued_on) < (self.adult_age or 0) else self.adult

    def check(self, validity: Duration, issued_on: date, birth_date: date | None) -> None:
        """Refuse a validity outside the range (or other than the fixed one), naming the law."""
        if self.adult is not None:
            if birth_date is None:
                raise ValidityOutOfRange(
                    "the card's validity depends on the holder's age: give the birth date",
                    _NEEDS_BIRTH_DATE,
                    self.cite,
                )
            fixed = self.fixed_for(birth_date, issued_on)
            if validity != fixed:
                raise ValidityOutOfRange(
                    f"this holder's {self.permit} is issued for {fixed}, not {validity}",
                    _FIXED.format(fixed=fixed.words, given=validity.words),
                    self.cite,
                )
            return
        end = validity.end_from(issued_on)
        if self.minimum is not None and end < self.minimum.end_from(issued_on):
            raise ValidityOutOfRange(
                f"a {self.permit} is issued for at least {self.minimum}, not {validity}",
                _AT_LEAST.format(minimum=self.minimum.words, given=validity.words),
                self.cite,
            )
        if self.maximum is not None and end > self.maximum.end_from(issued_on):
            raise ValidityOutOfRange(
                f"a {self.permit} is issued for at most {self.maximum}, not {validity}",
                _AT_MOST.format(maximum=self.maximum.words, given=validity.words),
                self.cite,
            )


@dataclass(frozen=True, slots=True)
class ValidityLine:
    """A line of permits.yaml: the permit, its types, and the parameters that bound its validity."""

    permit: str
    types: frozenset[str]
    bounds: dict[str, Ref | None]
    adult_age: Ref | None
    cite: tuple[Citation, ...]


@cache
def _ranges(params: Parameters) -> tuple[ValidityLine, ...]:
    ranges = []
    for raw in read_yaml(PERMITS_FILE):  # type: ignore[union-attr]
        where = f"permits.yaml: {raw.get('permit')} {raw.get('types') or ''}"
        if raw.get("permit") not in PERMITS:
            raise CatalogError(f"{where}: unknown permit")
        types = frozenset(raw.get("types") or ())
        if not types <= set(RESIDENCE_PERMIT_TYPES):
            raise CatalogError(
                f"{where}: unknown residence-permit types {sorted(types - set(RESIDENCE_PERMIT_TYPES))}"
            )
        v = raw.get("validity") or {}
        unknown = set(v) - {*_BOUNDS, "adult_age"}
        if unknown:
            raise CatalogError(f"{where}: unknown validity keys {sorted(unknown)}")
        bounds = {
            key: params.ref(v.get(key), ("duration", "calendar_days"), f"{where} {key}") for key in _BOUNDS
        }
        adult_age = params.ref(v.get("adult_age"), "years", f"{where} adult_age")
        if (bounds["adult"] is None) != (adult_age is None):
            raise CatalogError(f"{where}: a validity by age names both the adult validity and the adult age")
        ranges.append(
            ValidityLine(raw["permit"], types, bounds, adult_age, parse_cites(raw.get("cite"), where))
        )
    return tuple(ranges)


def validity_lines(params: Parameters | None = None) -> tuple[ValidityLine, ...]:
    """The lines of permits.yaml, each with the parameters that bound it."""
    return _ranges(params or parameters())


@cites(
    "exit-entry-law: Art. 30",
    "exit-entry-law: Art. 34",
    "pr-measures: card validity (5 years under 18, otherwise 10)",
)
def validity_range(
    permit: str, permit_type: str | None, on: date, *, params: Parameters | None = None
) -> ValidityRange | None:
    """The range for a permit (and residence-permit type) on ``on``, or None where the sources set none."""
    params = params or parameters()
    for r in _ranges(params):
        if r.permit == permit and (not r.types or permit_type in r.types):
            minimum, maximum, under_age, adult = (
                _duration(params.resolve(r.bounds[key], on)) for key in _BOUNDS
            )
            return ValidityRange(
                r.permit,
                r.types,
                minimum,  # type: ignore[arg-type]
                maximum,  # type: ignore[arg-type]
                under_age,  # type: ignore[arg-type]
                adult,  # type: ignore[arg-type]
                params.resolve(r.adult_age, on),  # type: ignore[arg-type]
                r.cite,
            )
    return None


@cites(
    "exit-entry-law: Art. 30",
    "exit-entry-law: Art. 34",
    "pr-measures: card validity (5 years under 18, otherwise 10)",
)
def longest_validity(casework: Casework, on: date) -> Duration | None:
    """The longest validity a decision on ``casework`` may give on ``on``: its range's upper bound, or the
    longer fixed validity by age; for a procedure on a held residence permit of any type, the longest of
    the types'. None where the sources set none (what a form offers at most, ``validity_range`` checks)."""
    types = (casework.permit_type,) if casework.permit_type else (None, *RESIDENCE_PERMIT_TYPES)
    found = [r for t in types if (r := validity_range(casework.permit, t, on)) is not None]
    longest = [d for r in found for d in (r.maximum, r.under_18, r.adult) if d is not None]
    return max(longest, key=lambda d: d.end_from(on), default=None)


def _duration(value: int | Duration | None) -> Duration | None:
    """A bound as a duration: a parameter in calendar days (the stay permit's 180) is that many days."""
    return Duration(0, value) if isinstance(value, int) else value


@cites("exit-entry-law: Art. 30", "exit-entry-law: Art. 34")
def last_valid_day(issued_on: date, validity: Duration) -> date:
    """The last day a permit issued on ``issued_on`` for ``validity`` is valid (the day of issue counts)."""
    return validity.end_from(issued_on) - timedelta(days=1)


@cites(
    "regulations: Art. 17", "bj-personal-affairs: Legal Reminders 2", "bj-personal-affairs: Legal Reminders 6"
)
def extended_last_day(valid_until: date, validity: Duration) -> date:
    """The last day of a permit extended by ``validity``: the period granted runs on from its current last
    day (``Duration.end_from``), so the permit keeps its number and never ends earlier than it did.

    An extension (延期) extends "the duration of residence" of the permit held, applied for before its
    validity ends (seed 000 Legal Reminders 2 and 6; Regulations Art. 17), unlike a renewal (换发), a new
    document counted from its day of issue (``last_valid_day``). Recorded choice: the sources do not say
    from which day the period granted counts; counting it from the decision would shorten a permit
    extended early.
    """
    return validity.end_from(valid_until)


@cites("exit-entry-law: Art. 30", "regulations: Art. 14 para. 1")
def check_approval(
    casework: Casework,
    held_type: str | None,
    validity: str,
    on: date,
    birth_date: date | None,
    facts: dict[str, object],
) -> None:
    """Refuse a validity an approval may not give (``ValidityOutOfRange``, or ``ValueError`` unparsed).

    A new or extended permit takes a validity in its range; a visa extension states the days added to
    the stay, at most what Art. 14 leaves open on this entry; an endorsement, a change of particulars and
    the procedures without a range give none.
    """
    if casework.permit == "visa" and casework.action == "extension":
        cap = max_extension_days(
            int(facts["original_stay_days"]), int(facts.get("extended_stay_days_so_far") or 0)
        )
        days = Duration.parse(validity) if validity else None
        if days is None or days.months or not 1 <= days.days <= cap.remaining_days:
            raise ValidityOutOfRange(
                f"a visa extension states the days added, from P1D to P{cap.remaining_days}D on this entry",
                _DAYS_ADDED.format(days=cap.remaining_days),
                cap.cite,
            )
        return
    permit_type = casework.permit_type or held_type
    rng = validity_range(casework.permit, permit_type, on) if casework.action != "endorsement" else None
    if rng is None:
        if validity:
            raise ValidityOutOfRange(
                f"a {casework.permit} {casework.action} is decided without a validity",
                _NO_VALIDITY,
                casework.cite,
            )
        return
    rng.check(Duration.parse(validity), on, birth_date)


@cites("exit-entry-law: Art. 30", "regulations: Art. 16 para. 2")
def as_granted(facts: Mapping[str, object], validity: str) -> dict[str, object]:
    """The facts of an application as its approval grants it: the validity granted in place of the one
    applied for, where the facts state one.

    What the rules derive from the validity follows the permit issued, not the application: the fee band
    (seed 000 Timeline and Fees; Exit and Entry Administration Law Art. 30 for the ranges its bands follow)
    and the health certificate asked above one year (Regulations Art. 16 para. 2). A visa extension's days
    added, or an approval without a validity, change nothing.
    """
    if not validity or VALIDITY not in facts:
        return dict(facts)
    return {**facts, VALIDITY: validity}


@cites("regulations: Art. 16 para. 2")
def check_granted_materials(procedure_id: str, facts: Mapping[str, object], validity: str, on: date) -> None:
    """Refuse a validity (``ValidityOutOfRange``) whose permit needs a material the application, as applied
    for, was not asked for: a health certificate above one year (Regulations Art. 16 para. 2) where one
    year or less was applied for. ``on`` is the day the hall received the materials, when the material
    list was fixed.

    Recorded choice: the officer may grant more than applied for where it needs nothing more (its fee is
    then the band of the validity granted, ``as_granted``); the sources say nothing either way.
    """
    granted_facts = as_granted(facts, validity)
    if granted_facts == dict(facts):
        return
    asked = {a.id for a in advise_stored(procedure_id, facts, on=on).materials}
    more = [a for a in advise_stored(procedure_id, granted_facts, on=on).materials if a.id not in asked]
    if not more:
        return
    items = Text("; ".join(a.text.en for a in more), "、".join(a.text.zh for a in more))
    applied = facts[VALIDITY]
    raise ValidityOutOfRange(
        f"a validity of {validity} needs what the application for {applied} did not include",
        _NOT_INCLUDED.format(
            granted=Duration.parse(validity).words, applied=Duration.parse(str(applied)).words, items=items
        ),
        tuple(dict.fromkeys(c for a in more for c in a.cite)),
    )
