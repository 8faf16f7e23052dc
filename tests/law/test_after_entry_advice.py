"""The advice's after-entry duty (Regulations Art. 9, Exit and Entry Administration Law Art. 30): within
the days the applicant's own visa states (``duties.after_entry_obligation``), and not listed once a
residence permit has been issued since that entry (the duty met, as the compliance scan counts it)."""

from __future__ import annotations

from datetime import date

from exitentry.law.advice import advise
from exitentry.law.examples import eligible_facts
from exitentry.law.rules.duties import PERMIT_AFTER_ENTRY

ON = date(2026, 11, 2)  # a Monday


def _facts(entry: date) -> dict[str, object]:
    facts = eligible_facts("rp-work", ON)
    facts |= {"entry_date": entry.isoformat(), "visa_requires_residence_permit": True}
    return facts


def _after_entry(advice):
    return [a for a in advice.obligations if a.id == PERMIT_AFTER_ENTRY]


def test_the_visas_own_days_date_the_duty_and_are_written_in_its_text():
    advice = advise("rp-work", _facts(date(2026, 10, 27)), ON, within_days=10)
    [duty] = _after_entry(advice)
    assert duty.due == date(2026, 11, 6)  # ten days after Tue 27 Oct: Fri 6 Nov
    assert "within 10 days" in duty.text.en and "10日内" in duty.text.zh


def test_without_the_visas_days_the_laws_thirty_apply():
    [duty] = _after_entry(advise("rp-work", _facts(date(2026, 10, 27)), ON))
    assert duty.due == date(2026, 11, 26) and "within 30 days" in duty.text.en


def test_an_undated_duty_still_says_the_visas_days():
    facts = eligible_facts("rp-work", ON) | {"visa_requires_residence_permit": True}
    [duty] = _after_entry(advise("rp-work", facts, ON, within_days=10))
    assert duty.due is None and "within 10 days" in duty.text.en


def test_a_residence_permit_issued_since_the_entry_met_the_duty():
    advice = advise("rp-work", _facts(date(2018, 3, 5)), ON, permit_since_entry=True)
    assert _after_entry(advice) == []
    assert advice.obligations  # the other duties still follow
