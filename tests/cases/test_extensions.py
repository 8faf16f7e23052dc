"""An extension (延期) keeps the permit and moves its last day on from the current one, never back."""

from __future__ import annotations

from datetime import date

import pytest

from case_helpers import filer_of, hall_accepts, hall_receives, submitted, upload_everything
from exitentry.cases import lifecycle, notices, services
from exitentry.law.catalog import catalog
from exitentry.law.facts import Duration
from exitentry.law.rules.permits import extended_last_day
from factories import TODAY, actor, applicant, officer

pytestmark = pytest.mark.django_db


def accepted(user, procedure_id: str, **kwargs):
    """A case received complete and accepted on TODAY (pre-examined first where the procedure asks)."""
    case = submitted(user, procedure_id, **kwargs)
    clerk = actor(officer(case.hall_id))
    if lifecycle.has_pre_examination(catalog().procedure(procedure_id)):
        services.pre_examine(clerk, case, on=TODAY)
    hall_receives(clerk, case, on=TODAY)
    upload_everything(user, case)
    hall_accepts(clerk, case, on=TODAY)
    return case, clerk


def issued(user, procedure_id: str, validity: str, **kwargs):
    case, clerk = accepted(user, procedure_id, **kwargs)
    services.decide(clerk, case, "approved", validity=validity, on=TODAY)
    services.issue(clerk, case, on=TODAY)
    return case, clerk


def collected(user, procedure_id: str, validity: str):
    """An extension issued, paid for and collected: the permit as the holder then has it."""
    case, clerk = issued(user, procedure_id, validity)
    services.mark_ready(clerk, case, on=TODAY)
    if due := services.fee_of(case, TODAY).due:
        services.record_payment(clerk, case, due, "cash", on=TODAY)
    services.collect(clerk, case, on=TODAY)
    case.permit.refresh_from_db()
    return case, case.permit


def test_the_law_core_runs_an_extension_on_from_the_current_last_day() -> None:
    assert extended_last_day(date(2028, 10, 12), Duration.parse("P2Y")) == date(2030, 10, 12)
    assert extended_last_day(date(2028, 10, 12), Duration.parse("P1Y")) == date(2029, 10, 12)
    assert extended_last_day(date(2028, 2, 29), Duration.parse("P1Y")) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("procedure_id", "validity"),
    [
        ("rp-extension", "P2Y"),
        ("rp-personal-affairs-extension", "P1Y"),
        ("one-stop-work-permits-renewal", "P1Y"),
    ],
)
def test_issuing_an_extension_keeps_the_number_and_runs_on_from_the_last_day(
    procedure_id: str, validity: str
) -> None:
    user, whom = filer_of(procedure_id)  # the one-stop renewal: the employer's handler
    case, clerk = accepted(user, procedure_id, **whom)
    permit = case.permit
    number, issued_on, before = permit.number, permit.issued_on, permit.valid_until
    services.decide(clerk, case, "approved", validity=validity, on=TODAY)
    services.issue(clerk, case, on=TODAY)
    permit.refresh_from_db()
    case.refresh_from_db()
    assert permit.number == number and permit.issued_on == issued_on
    assert permit.valid_until == Duration.parse(validity).end_from(before) > before
    assert permit.events.last().kind == "extension"
    pdf = notices.decision(case)
    assert (pdf.permit_valid_from, pdf.permit_valid_until) == (None, permit.valid_until)
    assert pdf.extended_by == Duration.parse(validity).words


def test_a_second_extension_never_moves_the_last_day_back() -> None:
    user = applicant()
    _, permit = collected(user, "rp-extension", "P2Y")
    after_first = permit.valid_until
    issued(user, "rp-extension", "P1Y", permit=permit)
    permit.refresh_from_db()
    assert permit.valid_until == Duration.parse("P1Y").end_from(after_first)


def test_an_old_extension_reprints_the_last_day_it_gave_not_the_permit_s_today() -> None:
    """The decision on an extension names the last day that extension gave (its registry event), so a
    later extension of the same permit does not change what the first decision reprints."""
    user = applicant()
    first, permit = collected(user, "rp-extension", "P2Y")
    given = permit.valid_until
    issued(user, "rp-extension", "P1Y", permit=permit)
    permit.refresh_from_db()
    assert permit.valid_until > given
    first.refresh_from_db()
    assert notices.decision(first).permit_valid_until == given
    assert notices.extension_of(first, first.decision).until == given
