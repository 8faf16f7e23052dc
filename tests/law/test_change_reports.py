"""A holder's report of a change of a residence permit's registered particulars (Exit and Entry
Administration Law Art. 33) and what it does to the public notice and the voiding of Regulations Art. 34(3)
(rules.change_reports, rules.public_notice.decide)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cited_text import bare
from exitentry.law.catalog import catalog
from exitentry.law.rulefunctions import RULE_FUNCTIONS
from exitentry.law.rules import change_reports
from exitentry.law.rules.change_reports import ISSUANCE, PARTICULARS, REASON, counts_as_report, report_refusal
from exitentry.law.rules.duties import particulars_change_due
from exitentry.law.rules.public_notice import decide, holder_duty, notice_period_ends
from exitentry.law.text import Text

CHANGED = date(2026, 10, 12)  # a Monday: its 10 days end on a working day
DUE = particulars_change_due(CHANGED)
PUBLISHED = DUE + timedelta(days=5)
PERIOD_END = notice_period_ends(PUBLISHED)
AFTER = PERIOD_END + timedelta(days=1)


def test_the_period_is_art_33s_ten_days() -> None:
    assert CHANGED + timedelta(days=10) == DUE


# (report day, notice published on, the day asked, may publish, may void, words in the reason)
SCENARIOS = [
    pytest.param(CHANGED + timedelta(days=3), None, AFTER, False, False, "within", id="reported-in-time"),
    pytest.param(DUE, None, AFTER, False, False, "within", id="reported-on-the-last-day"),
    pytest.param(DUE, PUBLISHED, AFTER, False, False, "within", id="in-time-but-noticed-anyway"),
    pytest.param(DUE + timedelta(days=2), None, AFTER, False, False, "before any", id="late-before-notice"),
    pytest.param(PUBLISHED, PUBLISHED, AFTER, False, False, "after the public", id="on-the-notice-day"),
    pytest.param(AFTER, PUBLISHED, AFTER, False, False, "after the public", id="after-notice-before-void"),
    pytest.param(None, None, DUE, False, False, "may report it until", id="never-still-in-time"),
    pytest.param(None, None, DUE + timedelta(days=1), True, False, "did not report", id="never-not-noticed"),
    pytest.param(None, PUBLISHED, PERIOD_END, False, False, "runs until", id="never-notice-running"),
    pytest.param(None, PUBLISHED, AFTER, False, True, "still did not report", id="never-notice-ran-out"),
]


@pytest.mark.parametrize(("reported", "published", "on", "publish", "void", "words"), SCENARIOS)
def test_who_is_noticed_and_who_is_voided(reported, published, on, publish, void, words) -> None:
    said = decide(CHANGED, reported, published, on, notice="GG2026000001")
    assert (said.may_publish, said.may_void) == (publish, void)
    assert words in said.why.en
    assert "第三十四条" in said.why.zh or "第三十三条" in said.why.zh
    assert bare(said.why.en, said.why.zh) == []  # every article with its document's title


def test_the_holders_duty_names_the_law_and_the_regulations() -> None:
    said = holder_duty(CHANGED, None)
    assert bare(said.en, said.zh) == []
    assert (
        "Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 34(3)"
        in said.en
    )


def test_the_decision_cites_art_34_3_and_art_33() -> None:
    cited = {(c.source, c.section) for c in RULE_FUNCTIONS["exitentry.law.rules.public_notice.decide"].cite}
    assert {("regulations", "Art. 34(3)"), ("exit-entry-law", "Art. 33")} <= cited


def test_the_holder_is_told_what_to_do_and_by_when_until_they_report() -> None:
    todo = holder_duty(CHANGED, None)
    assert "12 October 2026" in todo.en and "22 October 2026" in todo.en and "2026年10月22日" in todo.zh
    done = holder_duty(CHANGED, CHANGED + timedelta(days=1))
    assert "13 October 2026" in done.en and "22 October 2026" not in done.en


ON = date(2026, 12, 6)
ISSUED = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("particular", "changed", "field", "words"),
    [
        ("reason", ON + timedelta(days=1), "changed_on", "after today"),
        ("reason", ISSUED - timedelta(days=1), "changed_on", "issued"),
        ("eye-colour", ON, "particular", "reason"),
    ],
)
def test_a_report_is_refused_with_the_field_and_why(particular, changed, field, words) -> None:
    refused = report_refusal(particular, changed, ISSUED, ON)
    assert refused is not None and refused[0] == field and words in refused[1].en and refused[1].zh


def test_a_report_of_today_or_the_issue_day_is_taken() -> None:
    assert report_refusal(REASON, ON, ISSUED, ON) is None
    assert report_refusal("passport_number", ISSUED, ISSUED, ON) is None
    assert all(t.en and t.zh for t in PARTICULARS.values())


def test_the_date_and_place_of_issuance_is_a_registered_particular_a_holder_reports() -> None:
    """Seed 000, Legal Reminders 4 (and the Law's Art. 33) name it among the particulars that change."""
    assert PARTICULARS[ISSUANCE] == Text("Date and place of issuance", "签发日期和地点")
    assert report_refusal(ISSUANCE, ON, ISSUED, ON) is None
    cited = {
        (c.source, c.section)
        for c in RULE_FUNCTIONS["exitentry.law.rules.change_reports.report_refusal"].cite
    }
    assert ("bj-personal-affairs", "Legal Reminders 4") in cited


def test_a_renewal_of_the_residence_permit_counts_as_reporting_a_visa_renewal_does_not() -> None:
    procedures = catalog().procedures
    assert counts_as_report(procedures["rp-renewal"])
    assert not counts_as_report(procedures["visa-renewal"])
    assert not counts_as_report(procedures["rp-extension"])


def test_a_holders_report_covers_the_change_a_unit_dates_within_the_holders_period_not_an_earlier_one():
    day = date(2026, 6, 1)
    last = particulars_change_due(day)
    assert change_reports.report_covers(day, day)
    assert change_reports.report_covers(day, last)  # the unit dates the same change a few days later
    assert not change_reports.report_covers(day, last + timedelta(days=1))  # a later change
    assert change_reports.report_covers(day, day - timedelta(days=3))  # the unit dates it earlier


@pytest.mark.parametrize(
    ("kind", "in_force", "expected"),
    [
        ("residence-permit", True, True),
        ("residence-permit", False, False),
        ("visa", True, False),
        ("work-permit", True, False),
    ],
)
def test_a_change_is_reported_on_a_residence_permit_in_force_only(kind, in_force, expected):
    assert change_reports.reportable(kind, in_force) is expected
