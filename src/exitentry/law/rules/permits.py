"""How long a permit may be issued for (Exit-Entry Law Arts. 30 and 34; PR card by age), and its last day.

A decision states the validity as a duration (P2Y, P180D), as the fee bands and Art. 30 do. The permit is
valid from the day of issue, which counts, to the day before the duration's end: a one-year permit issued
on 10 January 2026 is valid until 9 January 2027 (the last valid day; it expires at 24:00 Beijing time,
Regulations Art. 36(2)). This is a named choice: the sources do not say whether the day of issue counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from exitentry.law.catalog import CATALOG_DIR, CatalogError, parse_cites, read_yaml
from exitentry.law.facts import Duration
from exitentry.law.model import PERMITS, RESIDENCE_PERMIT_TYPES, Casework
from exitentry.law.periods import age_in_years
from exitentry.law.rules.stay import max_extension_days
from exitentry.law.sources import Citation
from exitentry.law.text import Text

PERMITS_FILE = CATALOG_DIR / "permits.yaml"
ADULT_AGE = 18

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


class ValidityOutOfRange(ValueError):
    """A validity the law does not allow for that permit; the message names the range and its source, and
    ``text`` says what to give, in both languages."""

    def __init__(self, message: str, text: Text, cite: tuple[Citation, ...]):
        self.text, self.cite = text, cite
        super().__init__(f"{message} ({'; '.join(str(c) for c in cite)})")


@dataclass(frozen=True, slots=True)
class ValidityRange:
    """The validities a permit may be issued with: a range, or one fixed value by the holder's age."""

    permit: str
    types: frozenset[str]
    minimum: Duration | None
    maximum: Duration | None
    under_18: Duration | None
    adult: Duration | None
    cite: tuple[Citation, ...]

    def check(self, validity: Duration, issued_on: date, birth_date: date | None) -> None:
        """Refuse a validity outside the range (or other than the fixed one), naming the law."""
        if self.adult is not None:
            if birth_date is None:
                raise ValidityOutOfRange(
                    "the card's validity depends on the holder's age: give the birth date",
                    _NEEDS_BIRTH_DATE,
                    self.cite,
                )
            fixed = self.under_18 if age_in_years(birth_date, issued_on) < ADULT_AGE else self.adult
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


@cache
def _ranges() -> tuple[ValidityRange, ...]:
    ranges = []
    for raw in read_yaml(PERMITS_FILE):
        where = f"permits.yaml: {raw.get('permit')} {raw.get('types') or ''}"
        if raw.get("permit") not in PERMITS:
            raise CatalogError(f"{where}: unknown permit")
        types = frozenset(raw.get("types") or ())
        if not types <= set(RESIDENCE_PERMIT_TYPES):
            raise CatalogError(
                f"{where}: unknown residence-permit types {sorted(types - set(RESIDENCE_PERMIT_TYPES))}"
            )
        v = raw.get("validity") or {}
        minimum, maximum, under_18, adult = (
            Duration.parse(v[key]) if v.get(key) else None for key in ("from", "upto", "under_18", "adult")
        )
        cite = parse_cites(raw.get("cite"), where)
        ranges.append(ValidityRange(raw["permit"], types, minimum, maximum, under_18, adult, cite))
    return tuple(ranges)


def validity_range(permit: str, permit_type: str | None) -> ValidityRange | None:
    """The range for a permit (and residence-permit type), or None where the sources set none."""
    for r in _ranges():
        if r.permit == permit and (not r.types or permit_type in r.types):
            return r
    return None


def last_valid_day(issued_on: date, validity: Duration) -> date:
    """The last day a permit issued on ``issued_on`` for ``validity`` is valid (the day of issue counts)."""
    return validity.end_from(issued_on) - timedelta(days=1)


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
    rng = validity_range(casework.permit, permit_type) if casework.action != "endorsement" else None
    if rng is None:
        if validity:
            raise ValidityOutOfRange(
                f"a {casework.permit} {casework.action} is decided without a validity",
                _NO_VALIDITY,
                casework.cite,
            )
        return
    rng.check(Duration.parse(validity), on, birth_date)
