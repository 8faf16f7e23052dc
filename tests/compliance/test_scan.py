"""The compliance scan on hand-made records: each ground's first and last day, what covers a stay, what
closes an alert, the database's one open alert per cause, the command and the task."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

import unit_world
from exitentry.accounts.models import User
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Receipt
from exitentry.compliance.models import Alert, ChangeReport
from exitentry.compliance.scan import GROUNDS, OVERSTAY, VISA_FREE_OVERSTAY, scan
from exitentry.law.rules import duties
from exitentry.registry.models import EntryExit, Permit, Person, Visa
from factories import TravelDocumentFactory, VisaFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def move(p: Person, direction: str, on: str) -> None:
    EntryExit.objects.create(
        person=p, direction=direction, on=D(on), port="PEK", travel_document=p.travel_documents.get()
    )


def visa(p: Person, stay: int, *, within: int | None = None) -> Visa:
    return VisaFactory(
        travel_document=p.travel_documents.get(),
        category="Z" if within else "L",
        duration_of_stay_days=stay,
        residence_permit_within_days=within,
    )


def permit(p: Person, issued: str, until: str, kind: str = "residence-permit") -> Permit:
    return Permit.objects.create(
        person=p,
        kind=kind,
        number=f"R{Permit.objects.count() + 1}",
        issued_on=D(issued),
        valid_until=D(until),
    )


def receipt(
    p: Person, issued: str, until: str, on_permit: Permit | None = None, state: str = State.ACCEPTED
) -> Receipt:
    """A receipt given on accepting an application (the case still ``state``)."""
    user, _ = User.objects.get_or_create(username="officer")
    case = Case.objects.create(
        procedure_id="rp-work", person=p, submitted_by=user, acting_as="self", permit=on_permit, state=state
    )
    return Receipt.objects.create(
        case=case, number=f"S{case.pk}", issued_on=D(issued), valid_until=D(until), issued_by=user
    )


def open_alerts(p: Person) -> list[tuple[str, str]]:
    return sorted(p.alerts.filter(closed_on=None).values_list("ground_id", "cause_key"))


def test_a_visa_stay_runs_to_24_00_on_its_last_day_and_the_next_day_is_art_25_1(person) -> None:
    move(person, "entry", "2026-03-01")
    visa(person, 30)  # the last day is 2026-03-31 (Art. 36(3))
    assert scan(D("2026-03-31")).opened == {}
    summary = scan(D("2026-04-01"))
    assert summary.opened == {OVERSTAY: 1}
    alert = person.alerts.get()
    assert (alert.cause_key, alert.since, alert.opened_on) == (
        "until:2026-03-31",
        D("2026-04-01"),
        D("2026-04-01"),
    )
    assert (alert.source_id, alert.section) == ("regulations", "Art. 25(1)")


def test_an_acceptance_receipt_covers_the_stay_while_it_runs(person) -> None:
    move(person, "entry", "2026-03-01")
    visa(person, 30)
    receipt(person, "2026-03-25", "2026-04-10")
    scan(D("2026-04-10"))
    assert open_alerts(person) == []
    scan(D("2026-04-11"))
    assert open_alerts(person) == [(OVERSTAY, "until:2026-03-31")]


@pytest.mark.parametrize("closed", [State.WITHDRAWN, State.REFUSED, State.COLLECTED])
def test_a_receipt_no_longer_covers_the_stay_once_the_passport_is_back(person, closed) -> None:
    """It stands in for the passport only while the hall keeps it for processing (Regulations Arts. 13
    and 18 para. 3): not once the application is withdrawn, refused or the permit collected."""
    move(person, "entry", "2026-03-01")
    visa(person, 30)
    receipt(person, "2026-03-25", "2026-04-10", state=closed)
    scan(D("2026-04-05"))
    assert open_alerts(person) == [(OVERSTAY, "until:2026-03-31")]


@pytest.mark.parametrize("closed", [State.WITHDRAWN, State.REFUSED, State.COLLECTED])
def test_a_scan_of_a_past_day_counts_a_receipt_whose_case_closed_only_after_it(person, closed) -> None:
    """The passport was held on that day: a receipt of a case closed later still covered it (a reviewer
    found a scan ``--on`` a past day opening an overstay the receipt covered)."""
    move(person, "entry", "2026-03-01")
    visa(person, 30)
    covering = receipt(person, "2026-03-25", "2026-04-10", state=closed)
    Case.objects.filter(pk=covering.case_id).update(closed_on=D("2026-04-08"))
    scan(D("2026-04-05"))
    assert open_alerts(person) == []
    scan(D("2026-04-08"))  # closed that day: the passport is back
    assert open_alerts(person) == [(OVERSTAY, "until:2026-03-31")]


@pytest.mark.parametrize(("state", "alerts"), [(State.ACCEPTED, []), (State.WITHDRAWN, [VISA_FREE_OVERSTAY])])
def test_a_visa_free_stay_is_covered_only_by_a_receipt_whose_passport_is_held(person, state, alerts) -> None:
    EntryExit.objects.create(
        person=person,
        direction="entry",
        on=D("2026-03-01"),
        port="PEK",
        travel_document=person.travel_documents.get(),
        basis="visa-free",
        visa_free_days=30,
    )
    receipt(person, "2026-03-25", "2026-04-10", state=state)
    scan(D("2026-04-05"))
    assert [ground for ground, _ in open_alerts(person)] == alerts


def test_scanning_the_same_day_again_creates_no_duplicate_and_the_database_refuses_one(person) -> None:
    move(person, "entry", "2026-03-01")
    visa(person, 30)
    scan(D("2026-04-02"))
    again = scan(D("2026-04-02"))
    assert (again.opened, again.still_open, again.closed) == ({}, {OVERSTAY: 1}, {})
    assert Alert.objects.count() == 1
    first = Alert.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(
            person=person,
            ground_id=first.ground_id,
            cause_key=first.cause_key,
            source_id="regulations",
            section="Art. 25(1)",
            opened_on=D("2026-04-02"),
        )


def test_an_exit_closes_the_alert_and_a_new_permit_does_too(person) -> None:
    move(person, "entry", "2026-03-01")
    visa(person, 30)
    scan(D("2026-04-02"))
    move(person, "exit", "2026-04-03")
    assert scan(D("2026-04-04")).closed == {OVERSTAY: 1}
    assert person.alerts.get().closed_on == D("2026-04-04")

    move(person, "entry", "2026-05-01")  # the visa's one stay is counted from this entry: to 2026-05-31
    scan(D("2026-06-02"))
    assert open_alerts(person) == [(OVERSTAY, "until:2026-05-31")]
    permit(person, "2026-06-03", "2027-06-02")
    scan(D("2026-06-05"))
    assert open_alerts(person) == []


def test_an_extension_is_late_from_the_day_after_the_30th_day_before_expiry_until_an_application(
    person,
) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2026-12-31")
    scan(D("2026-12-01"))  # 30 days before 2026-12-31: still in time
    assert open_alerts(person) == []
    scan(D("2026-12-02"))
    alert = person.alerts.get()
    assert (alert.ground_id, alert.cause_key, alert.due_on) == (
        duties.EXTENSION,
        f"permit:{rp.pk}",
        D("2026-12-01"),
    )
    assert (alert.source_id, alert.section) == ("exit-entry-law", "Art. 32")
    receipt(person, "2026-12-03", "2026-12-24", on_permit=rp)
    assert scan(D("2026-12-03")).closed == {duties.EXTENSION: 1}


def test_a_residence_permit_is_due_30_days_after_entry_moved_past_the_national_day_holiday(person) -> None:
    visa(person, 30, within=30)
    move(person, "entry", "2026-09-05")  # the 30th day, 2026-10-05, is a rest day: due 2026-10-08
    scan(D("2026-10-08"))
    assert open_alerts(person) == [(OVERSTAY, "until:2026-10-05")]
    scan(D("2026-10-09"))
    alert = person.alerts.get(ground_id=duties.PERMIT_AFTER_ENTRY)
    assert (alert.cause_key, alert.due_on) == ("entry:2026-09-05", D("2026-10-08"))
    permit(person, "2026-10-10", "2027-10-09")
    scan(D("2026-10-10"))
    assert open_alerts(person) == []


def test_the_command_shows_progress_and_a_summary_by_ground(person) -> None:
    move(person, "entry", "2026-03-01")
    visa(person, 30)
    out = StringIO()
    call_command("compliance_scan", on=D("2026-04-02"), stdout=out)
    lines = out.getvalue().splitlines()
    steps = len(GROUNDS) + 1
    assert lines[0].startswith(f"[{'#' * (20 // steps)}.") and lines[0].endswith(f"] 1/{steps} {OVERSTAY}")
    assert [line.split("] ")[1] for line in lines[:steps]] == [
        f"{n}/{steps} {g}" for n, g in enumerate([*(g for g, _ in GROUNDS), "alerts written"], 1)
    ]
    assert lines[steps - 1].startswith("[####################]")
    assert lines[steps] == "compliance scan of 2026-04-02: 1 opened, 0 still open, 0 closed"
    overstay = lines[steps + 1]
    assert (
        "(Regulations of the People's Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 25(1))"
        in overstay
    )
    assert overstay.endswith("opened 1, still open 0, closed 0")
    assert len(lines) == steps + 1 + len(GROUNDS)


def test_the_daily_task_scans_the_day_it_is_given(person) -> None:
    from exitentry.compliance.tasks import daily_scan

    move(person, "entry", "2026-03-01")
    visa(person, 30)
    assert daily_scan.call("2026-04-02") == {
        "on": "2026-04-02",
        "opened": {OVERSTAY: 1},
        "still_open": {},
        "closed": {},
    }


def test_a_pr_card_s_renewal_window_opens_one_month_before_its_last_day(person) -> None:
    move(person, "entry", "2026-01-10")
    card = permit(person, "2021-03-31", "2026-03-31", kind="pr-card")
    scan(D("2026-02-27"))
    assert open_alerts(person) == []
    scan(D("2026-02-28"))  # one month before 31 March is 28 February (Civil Code Art. 202)
    alert = person.alerts.get()
    assert (alert.ground_id, alert.cause_key, alert.due_on) == (
        duties.PR_CARD_RENEWAL,
        f"permit:{card.pk}",
        card.valid_until,
    )
    permit(person, "2026-03-20", "2031-03-19", kind="pr-card")
    assert scan(D("2026-03-20")).closed == {duties.PR_CARD_RENEWAL: 1}


def _overstayer(n: int) -> None:
    p = Person.objects.create(surname=f"P{n}", sex="M", birth_date=D("1990-01-01"), nationality="FRA")
    TravelDocumentFactory(person=p, number=f"F{n:07d}", issuing_country="FRA")
    move(p, "entry", "2026-03-01")
    visa(p, 30, within=30)
    permit(p, "2025-04-01", "2026-04-20")


def test_the_scan_asks_the_same_few_queries_for_few_people_and_for_many() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for people in (2, 30):
        for n in range(Person.objects.count(), people):
            _overstayer(n)
        Alert.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            summary = scan(D("2026-04-02"))
        assert summary.opened == {duties.EXTENSION: people, duties.PERMIT_AFTER_ENTRY: people}
        counts.append(len(queries))
    # one query per ground (two for Art. 25(3), three for a change of particulars: the new travel
    # documents, the units' reports, the holders'), and a fixed few: the transaction and its settings, who
    # moved after the day, the numbers of days visas state for the residence permit, the open alerts, the
    # settled ones, the new ones
    assert counts[0] == counts[1] <= len(GROUNDS) + 11


def test_a_new_passport_after_the_residence_permit_makes_its_change_due_within_10_days(person) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    passport = TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-09-25"), expires_on=D("2036-09-24")
    )
    scan(D("2026-10-08"))  # the 10th day, 5 October, is a National Day rest day: due 8 October
    assert open_alerts(person) == []
    scan(D("2026-10-09"))
    alert = person.alerts.get()
    assert (alert.ground_id, alert.cause_key, alert.due_on) == (
        duties.PARTICULARS_CHANGE,
        f"permit:{rp.pk}:document:{passport.pk}",
        D("2026-10-08"),
    )
    assert (alert.source_id, alert.section) == ("exit-entry-law", "Art. 33")
    receipt(person, "2026-10-10", "2026-10-30", on_permit=rp)
    assert scan(D("2026-10-10")).closed == {duties.PARTICULARS_CHANGE: 1}


def test_a_passport_claimed_online_is_no_change_until_the_hall_confirms_it(person) -> None:
    """A claim (``TravelDocument.claim``) is not the registry's: no alert nor reminder until confirmed."""
    from exitentry.cases.services.intake import confirm_claim
    from exitentry.compliance.coming_due import coming_due

    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    claim = TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-09-25"), expires_on=D("2036-09-24"), claim=True
    )
    assert not [f for f in coming_due(D("2026-10-03")) if f.person_id == person.pk]
    scan(D("2026-10-09"))
    assert open_alerts(person) == []
    confirm_claim(claim)  # the hall has the passport in hand
    assert [f.cause_key for f in coming_due(D("2026-10-03")) if f.person_id == person.pk] == [
        f"permit:{rp.pk}:document:{claim.pk}"
    ]
    scan(D("2026-10-09"))
    assert open_alerts(person) == [(duties.PARTICULARS_CHANGE, f"permit:{rp.pk}:document:{claim.pk}")]


def holder_reported(rp: Permit, particular: str, changed: str, reported: str) -> ChangeReport:
    user, _ = User.objects.get_or_create(username="holder")
    return ChangeReport.objects.create(
        permit=rp,
        particular=particular,
        changed_on=D(changed),
        reported_on=D(reported),
        filed_by=user,
        filed_at=timezone.now(),
        number=f"BD{ChangeReport.objects.count() + 1:011d}",
        source=ChangeReport.Source.WEB,
    )


def test_a_new_passport_the_holder_also_reported_is_one_late_duty_with_one_alert(person) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-09-25"), expires_on=D("2036-09-24")
    )
    with CaptureQueriesContext(connection) as passport_only:
        scan(D("2026-10-09"))
    Alert.objects.all().delete()
    report = holder_reported(rp, "passport_number", "2026-09-25", "2026-09-28")
    holder_reported(rp, "reason", "2026-09-30", "2026-09-30")  # a later change: the same duty
    with CaptureQueriesContext(connection) as both:
        scan(D("2026-10-09"))
    assert len(both) == len(passport_only)  # no statement more for the second source
    alert = person.alerts.get()  # the holder's report of the passport, of the same day, stands for it
    assert (alert.ground_id, alert.cause_key, alert.due_on) == (
        duties.PARTICULARS_CHANGE,
        f"permit:{rp.pk}:change:{report.pk}",
        D("2026-10-08"),
    )
    receipt(person, "2026-10-10", "2026-10-30", on_permit=rp)  # one application answers every change
    assert scan(D("2026-10-12")).closed == {duties.PARTICULARS_CHANGE: 1}
    assert open_alerts(person) == []


def test_a_change_reported_after_a_new_passport_is_the_passports_one_duty(person) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    passport = TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-09-20"), expires_on=D("2036-09-19")
    )
    holder_reported(rp, "reason", "2026-09-22", "2026-09-22")
    unit_world.reason_changed(rp, D("2026-09-21"))
    scan(D("2026-10-12"))  # every change is late by now
    assert open_alerts(person) == [(duties.PARTICULARS_CHANGE, f"permit:{rp.pk}:document:{passport.pk}")]


def test_a_change_an_officer_closed_leaves_a_later_change_its_alert_and_reminder(person) -> None:
    from exitentry.compliance.coming_due import LEAD_CALENDAR_DAYS, coming_due

    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    report = holder_reported(rp, "reason", "2026-03-02", "2026-03-02")
    scan(D("2026-03-13"))
    alert = person.alerts.get()
    assert alert.cause_key == f"permit:{rp.pk}:change:{report.pk}"
    Alert.objects.filter(pk=alert.pk).update(closed_on=D("2026-03-14"), resolution="unfounded")
    passport = TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-04-01"), expires_on=D("2036-03-31")
    )
    due = duties.particulars_change_due(D("2026-04-01"))
    ahead = due - timedelta(days=LEAD_CALENDAR_DAYS[duties.PARTICULARS_CHANGE])
    assert [f.cause_key for f in coming_due(ahead) if f.person_id == person.pk] == [
        f"permit:{rp.pk}:document:{passport.pk}"
    ]
    scan(due + timedelta(days=1))
    assert open_alerts(person) == [(duties.PARTICULARS_CHANGE, f"permit:{rp.pk}:document:{passport.pk}")]


def test_a_change_reported_earlier_than_an_open_alerts_cause_keeps_that_alert(person) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    unit = unit_world.reason_changed(rp, D("2026-03-02"))
    scan(D("2026-03-13"))
    alert = person.alerts.get()
    holder_reported(rp, "reason", "2026-03-01", "2026-03-14")  # the holder dates the change a day earlier
    again = scan(D("2026-03-15"))
    assert not again.opened and not again.closed
    alert.refresh_from_db()
    assert (alert.closed_on, alert.cause_key) == (None, f"permit:{rp.pk}:report:{unit.pk}")
    assert person.alerts.count() == 1


def test_a_newer_passport_keeps_the_open_alert_of_the_earlier_one_while_its_change_holds(person) -> None:
    """The officer works on the alert of the first new passport: a newer one issued since is the same duty
    (one application answers both), so the alert keeps its cause, and the holder's page dates the duty as
    the alert does, until the change is applied for."""
    from exitentry.compliance.scan import held

    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    first = TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-03-02"), expires_on=D("2036-03-01")
    )
    scan(D("2026-03-13"))
    alert = person.alerts.get()
    assert alert.cause_key == f"permit:{rp.pk}:document:{first.pk}"
    TravelDocumentFactory(
        person=person, number="C03X00T49", issued_on=D("2026-04-01"), expires_on=D("2036-03-31")
    )
    again = scan(D("2026-04-20"))  # the newer passport's change is late too by now
    assert not again.opened and not again.closed
    assert open_alerts(person) == [(duties.PARTICULARS_CHANGE, f"permit:{rp.pk}:document:{first.pk}")]
    assert held([rp], D("2026-04-20"))[rp.pk].changed_on == D("2026-03-02")
    receipt(person, "2026-04-21", "2026-05-21", on_permit=rp)  # applied for: the change no longer holds
    assert scan(D("2026-04-22")).closed == {duties.PARTICULARS_CHANGE: 1}
    assert open_alerts(person) == []


def test_a_passport_an_officer_closed_leaves_a_newer_passport_its_own_alert(person) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    TravelDocumentFactory(
        person=person, number="C02X00T48", issued_on=D("2026-03-02"), expires_on=D("2036-03-01")
    )
    scan(D("2026-03-13"))
    person.alerts.update(closed_on=D("2026-03-14"), resolution="unfounded")
    newer = TravelDocumentFactory(
        person=person, number="C03X00T49", issued_on=D("2026-04-01"), expires_on=D("2036-03-31")
    )
    scan(D("2026-04-20"))
    assert open_alerts(person) == [(duties.PARTICULARS_CHANGE, f"permit:{rp.pk}:document:{newer.pk}")]


def test_the_holders_page_dates_the_duty_as_the_open_alert_does(person) -> None:
    """A change the holder dates earlier than the open alert's, reported since, does not move the duty's day
    on the page: the alert keeps its cause (``scan.first_changes``), and ``scan.held`` chooses as it does."""
    from exitentry.compliance.scan import held

    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    unit_world.reason_changed(rp, D("2026-03-02"))
    scan(D("2026-03-13"))
    holder_reported(rp, "reason", "2026-03-01", "2026-03-14")
    scan(D("2026-03-15"))
    assert held([rp], D("2026-03-15"))[rp.pk].changed_on == D("2026-03-02")


def test_a_reported_reason_change_not_applied_for_within_10_days_is_late_until_an_application(
    person,
) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    report = unit_world.reason_changed(rp, D("2026-03-02"))  # due Thursday 12 March
    assert scan(D("2026-03-12")).opened == {}
    scan(D("2026-03-13"))  # 11 days later, nothing applied for
    alert = person.alerts.get()
    assert (alert.ground_id, alert.cause_key, alert.due_on) == (
        duties.PARTICULARS_CHANGE,
        f"permit:{rp.pk}:report:{report.pk}",
        D("2026-03-12"),
    )
    assert (alert.source_id, alert.section) == ("exit-entry-law", "Art. 33")
    again = scan(D("2026-03-13"))
    assert not again.opened and not again.closed and person.alerts.count() == 1
    receipt(person, "2026-03-14", "2026-04-14", on_permit=rp)
    assert scan(D("2026-03-14")).closed == {duties.PARTICULARS_CHANGE: 1}
    assert open_alerts(person) == []


def test_a_reason_change_applied_for_within_10_days_opens_no_alert(person) -> None:
    move(person, "entry", "2026-01-10")
    rp = permit(person, "2026-01-20", "2027-01-19")
    unit_world.reason_changed(rp, D("2026-03-02"))
    receipt(person, "2026-03-05", "2026-04-05", on_permit=rp)
    scan(D("2026-03-13"))
    assert open_alerts(person) == []


def test_a_visa_with_no_duration_of_stay_gives_no_period_to_overstay_only_the_residence_permit_due(
    person,
) -> None:
    visa(person, 0, within=30)  # "000": apply for a residence permit within 30 days of entry
    move(person, "entry", "2026-03-01")
    scan(D("2026-04-01"))
    assert open_alerts(person) == [(duties.PERMIT_AFTER_ENTRY, "entry:2026-03-01")]


def test_a_visa_stating_10_days_for_the_residence_permit_is_late_after_10_days_and_reminded_before(
    person,
) -> None:
    """Regulations Art. 9: the visa states the time limit for applying for the residence permit after entry."""
    from exitentry.compliance.coming_due import residence_permits_coming_due

    visa(person, 0, within=10)
    move(person, "entry", "2026-03-02")  # due Thursday 12 March
    assert [f.due_on for f in residence_permits_coming_due(D("2026-03-05"))] == [D("2026-03-12")]
    scan(D("2026-03-12"))
    assert open_alerts(person) == []
    scan(D("2026-03-13"))
    assert open_alerts(person) == [(duties.PERMIT_AFTER_ENTRY, "entry:2026-03-02")]
    assert Alert.objects.get(person=person).due_on == D("2026-03-12")


def test_only_the_visas_in_the_travel_document_of_the_entry_count(person) -> None:
    visa(person, 90)
    other = TravelDocumentFactory(
        person=person, number="C03X00T49", issued_on=D("2025-01-01"), expires_on=D("2035-01-01")
    )
    EntryExit.objects.create(
        person=person, direction="entry", on=D("2026-03-01"), port="PEK", travel_document=other
    )
    permit(person, "2026-01-01", "2026-03-10", kind="stay-permit")
    scan(D("2026-03-11"))
    assert open_alerts(person) == [(OVERSTAY, "until:2026-03-10")]


def test_the_scan_reads_only_the_settled_alerts_of_the_people_it_found_and_opens_what_it_did() -> None:
    """Years of settled alerts of other people are not read, and what the scan opens is what reading every
    settled alert gave: each new cause, never one an officer closed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from exitentry.compliance.scan import findings

    on = D("2026-04-02")
    for n in range(4):
        _overstayer(n)
    someone_else = Person.objects.create(
        surname="Old", sex="F", birth_date=D("1980-01-01"), nationality="ITA"
    )
    for n in range(30):  # settled long ago, of a person the scan finds nothing about
        Alert.objects.create(
            person=someone_else, ground_id=duties.EXTENSION, cause_key=f"permit:old{n}", source_id="x",
            section="y", opened_on=D("2020-01-01"), closed_on=D("2020-02-01"), resolution="resolved",
        )  # fmt: skip
    first = Person.objects.get(surname="P0")
    [settled_finding, *_] = [f for f in findings(on) if f.person_id == first.pk]
    Alert.objects.create(
        person=first, ground_id=settled_finding.ground_id, cause_key=settled_finding.cause_key,
        source_id="x", section="y", opened_on=D("2026-03-01"), closed_on=D("2026-03-02"), resolution="unfounded",
    )  # fmt: skip
    every_settled = set(
        Alert.objects.exclude(resolution="").values_list("person_id", "ground_id", "cause_key")
    )
    expected = sorted(
        (f.person_id, f.ground_id, f.cause_key)
        for f in findings(on)
        if (f.person_id, f.ground_id, f.cause_key) not in every_settled
    )
    with CaptureQueriesContext(connection) as queries:
        summary = scan(on)
    opened = sorted(Alert.objects.filter(opened_on=on).values_list("person_id", "ground_id", "cause_key"))
    assert opened == expected and summary.opened.total() == len(expected) == 7
    alert_table = f'SELECT "{Alert._meta.db_table}".'
    [settled_read] = [
        q["sql"] for q in queries if "resolution" in q["sql"] and q["sql"].lstrip().startswith(alert_table)
    ]
    people_read = settled_read.split(" IN (")[1].split(")")[0].split(", ")  # the people found, not others
    assert sorted(map(int, people_read)) == sorted(
        Person.objects.exclude(pk=someone_else.pk).values_list("pk", flat=True)
    )


def test_the_overstay_is_counted_from_the_visa_the_entry_was_made_on_not_the_longest_in_the_passport(
    person,
) -> None:
    """Art. 25(1) and Art. 36(3): the stay is the one the visa the entry was made on allows "each time after
    entering", that visa being the one ``registry.stay.visa_of_last_entry`` reads (the newest valid on the
    day of entry), as the officer's page shows beside it; an older visa in the same passport with a longer
    stay was not the one entered on and gives this stay no days."""
    from exitentry.law.rules.residence import authorised_stay
    from exitentry.registry.stay import visa_of_last_entry

    document = person.travel_documents.get()
    VisaFactory(  # older, longer stay
        travel_document=document,
        duration_of_stay_days=180,
        residence_permit_within_days=None,
        valid_from=D("2026-01-01"),
        valid_until=D("2026-12-31"),
    )
    newest = VisaFactory(
        travel_document=document,
        duration_of_stay_days=30,
        residence_permit_within_days=None,
        valid_from=D("2026-02-01"),
        valid_until=D("2026-12-31"),
    )
    move(person, "entry", "2026-03-01")
    entry, of_entry = visa_of_last_entry(person, D("2026-04-01"))
    assert of_entry == newest
    assert authorised_stay(entry.on, of_entry.duration_of_stay_days).last_day == D("2026-03-31")
    assert scan(D("2026-03-31")).opened == {}
    assert scan(D("2026-04-01")).opened.get(OVERSTAY) == 1
    alert = person.alerts.get(ground_id=OVERSTAY)
    assert (alert.cause_key, alert.since) == ("until:2026-03-31", D("2026-04-01"))
