"""The compliance scan: every person's late duties and illegal residence as of a day, in a few queries
over the whole registry (no loop over people), stored as alerts.

Each ground is one query that selects the people it holds for, with the day and the cause; the numbers it
compares with (which last days have run out, which expiries make an extension late) come from
``law.rules.duties``. Who is in China is the last movement on or before the day: an entry.

- Art. 25(1) overstay (``illegal-overstay``): in China, the visa the last entry was made on
  (``registry.stay.visa_of_last_entry``, not the longest stay of the visas in the passport: Art. 36(3),
  the stay allowed "each time after entering", its last day ``residence.authorised_stay``; a visa with no
  duration of stay, "000", whose holder applies for a residence permit after entry, gives none) or a
  valid stay or residence permit gives a last day, and
  none of them, nor an acceptance receipt (Arts. 13, 18 para. 3), still runs. A permanent resident
  (valid card) has no such period to overstay and is left out.
- Extension late (``extension-at-least-30-days-before-expiry``): in China, the person's latest valid
  residence permit still runs but its latest day to apply has passed, and no case on it holds a receipt
  (but the case that issued it or gave it its last day).
- Permanent resident ID card renewal (``pr-card-renewal-within-one-month-before-expiry``): in China, the
  person's latest valid card is inside its renewal window, and no case on it holds a receipt.
- Change of particulars (``change-of-particulars-within-10-days``): in China, the person's latest valid
  residence permit still runs, and their newest travel document was issued after it (its passport number
  changed), or a unit or the holder reported a change of the permit (in China or not), more than the
  days allowed ago, with no application on the permit (a receipt) and no residence permit issued since;
  one alert per person, from the earliest such change (a new passport the holder also reported is one duty)
  that no officer closed (a later change still counts), keeping an open alert's cause while it holds.
  The registry keeps no history of names or other particulars, so a new travel document and the reports
  are the changes the scan sees.
- Residence permit after entry (``residence-permit-within-30-days-of-entry``): in China, the visa of the
  last entry (``registry.stay.visa_of_last_entry``) requires a residence permit, the deadline (within
  the days the visa states, Regulations Art. 9) has passed, and no residence permit was issued
  and no acceptance receipt given since that entry.

- Art. 25(2) visa-free overstay (``illegal-visa-free-overstay``): in China, the last entry was visa-free
  and its days (recorded at the border) have run out, neither the visa of that entry (as Art. 25(1)
  reads it) nor a valid stay or residence permit gives a period (that is Art. 25(1)), and no acceptance
  receipt still runs. A visa-free period
  that still runs also covers an Art. 25(1) overstay.
- Art. 25(3) outside a restricted area (``illegal-outside-restricted-area``): the area the last entry is
  restricted to (Art. 24), or an Art. 30 restriction not yet lifted, and the person's latest accommodation
  registration since then is in an administrative division outside it. The registry knows where a person
  is only from accommodation registrations, so that is the signal; one with no division says nothing.
- Art. 33 exit deadline passed (``exit-deadline-passed``): an order to leave whose last day has run out
  with no exit recorded since the order.
- Art. 31 no-entry period (``entry-inside-no-entry-period``): in China on an entry after a repatriation
  and on or before the last day of its no-entry period.
- Art. 31 application (``application-inside-no-entry-period``): a case submitted inside the no-entry
  period of a repatriation carried out, not yet decided. Art. 31 bars entry, not applying; but a person
  applying at a hall is in China, so this catches a presence the entry ground misses when no entry was
  recorded, until the case is decided.

Writing is idempotent: a cause found again keeps its open alert, a new cause opens one, an open alert
whose cause is no longer found closes on the day scanned. A cause an officer closed (resolved or
unfounded, ``compliance.actions``) is never reopened: the officer's word stands for that cause, and a new
cause opens a new alert.

The package, a module for what each holds: ``finding`` (the scan's own ground ids, ``Finding``,
``described``), ``queries`` (the query pieces the grounds share: who is in China, the visas of the entry,
valid permits, receipts), the grounds' queries (``illegal_stay``: Art. 25(1) and (2); ``late_applications``:
extension, PR card renewal, residence permit after entry; ``particulars``: change of particulars;
``restrictions``: Art. 25(3), 31, 33), ``alerts`` (opening alerts, the causes an officer settled) and
``run`` (``GROUNDS``, ``findings``, ``scan``). The names other code uses are importable from here.
"""

from exitentry.compliance.scan.alerts import SETTLED_BATCH
from exitentry.compliance.scan.finding import (
    EXIT_DEADLINE_PASSED,
    NO_ENTRY_APPLICATION,
    NO_ENTRY_BREACHED,
    OUTSIDE_AREA,
    OVERSTAY,
    VISA_FREE_OVERSTAY,
    Finding,
    described,
)
from exitentry.compliance.scan.illegal_stay import overstays, visa_free_overstays
from exitentry.compliance.scan.late_applications import (
    entered_within,
    entered_without_residence_permit,
    extensions_late,
    latest_expiring,
    pr_cards_to_renew,
    residence_permits_late,
)
from exitentry.compliance.scan.particulars import (
    SAME_DAY_FIRST,
    changes_reported,
    first_changes,
    first_changes_by,
    held,
    particulars_changed,
    particulars_changes_late,
)
from exitentry.compliance.scan.queries import ISSUED, STAY_PERMITS, PlusDays, _in_china, _visa_of_entry
from exitentry.compliance.scan.restrictions import (
    _outside,
    exit_deadlines_passed,
    no_entry_applications,
    no_entry_breaches,
    outside_restricted_areas,
)
from exitentry.compliance.scan.run import GROUNDS, SCANNED, TUNING, Summary, findings, scan

__all__ = [
    "EXIT_DEADLINE_PASSED",
    "GROUNDS",
    "ISSUED",
    "NO_ENTRY_APPLICATION",
    "NO_ENTRY_BREACHED",
    "OUTSIDE_AREA",
    "OVERSTAY",
    "SAME_DAY_FIRST",
    "SCANNED",
    "SETTLED_BATCH",
    "STAY_PERMITS",
    "TUNING",
    "VISA_FREE_OVERSTAY",
    "Finding",
    "PlusDays",
    "Summary",
    "_in_china",  # tests/compliance/test_scan_agrees.py
    "_outside",  # tests/compliance/test_restricted_area_agrees.py
    "_visa_of_entry",  # tests/compliance/test_scan_agrees.py
    "changes_reported",
    "described",
    "entered_within",
    "entered_without_residence_permit",
    "exit_deadlines_passed",
    "extensions_late",
    "findings",
    "first_changes",
    "first_changes_by",
    "held",
    "latest_expiring",
    "no_entry_applications",
    "no_entry_breaches",
    "outside_restricted_areas",
    "overstays",
    "particulars_changed",
    "particulars_changes_late",
    "pr_cards_to_renew",
    "residence_permits_late",
    "scan",
    "visa_free_overstays",
]
