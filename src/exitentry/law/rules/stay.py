"""How far a visa's duration of stay may still be extended (Regulations Art. 14).

An extension counts only for the current entry, and all extensions on that entry together may not exceed
the duration of stay the original visa gives (Regulations Art. 14 para. 1; Exit and Entry Administration
Law Art. 29). The catalog's condition language cannot add numbers, so ``facts.derive`` asks this module
and records the answer as the derived fact ``extension_within_cap``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from exitentry.law.rulefunctions import cites
from exitentry.law.sources import Citation, cite


@dataclass(frozen=True, slots=True)
class ExtensionCap:
    """The calendar days of extension still open on the current entry, and where the cap comes from."""

    original_stay_days: int
    extended_so_far_days: int
    remaining_days: int
    cite: tuple[Citation, ...]

    def allows(self, requested_days: int) -> bool:
        """Whether a further extension of ``requested_days`` keeps the total within the cap."""
        if requested_days < 1:
            raise ValueError(f"an extension is at least one day, got {requested_days}")
        return requested_days <= self.remaining_days


@cites("regulations: Art. 14 para. 1", "exit-entry-law: Art. 29")
def max_extension_days(original_stay_days: int, extended_so_far_days: int) -> ExtensionCap:
    """The most the stay may still be extended: the original stay less what was already extended.

    Regulations Art. 14 para. 1: the cumulative extension may not exceed the original duration of stay.
    A visa giving 30 days, already extended by 20, may be extended by at most 10 more.
    """
    if original_stay_days < 1:
        raise ValueError(f"the visa's duration of stay is at least one day, got {original_stay_days}")
    if extended_so_far_days < 0:
        raise ValueError(f"days already extended cannot be negative, got {extended_so_far_days}")
    if extended_so_far_days > original_stay_days:
        raise ValueError(
            f"the stay is said to be extended by {extended_so_far_days} days already, more than the "
            f"{original_stay_days} days of the original visa, which the {cite('regulations', 'Art. 14').label.en} "
            "does not allow; check both numbers"
        )
    return ExtensionCap(
        original_stay_days=original_stay_days,
        extended_so_far_days=extended_so_far_days,
        remaining_days=original_stay_days - extended_so_far_days,
        cite=(cite("regulations", "Art. 14"), cite("exit-entry-law", "Art. 29")),
    )


@cites("regulations: Art. 14 para. 1")
def extended_stay_last_day(last_day: date, days_added: int) -> date:
    """The stay's last day after an extension of ``days_added`` calendar days: the days granted run on from
    its current last day (for the current entry only)."""
    return last_day + timedelta(days=days_added)
