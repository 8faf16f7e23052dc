"""Enforcement records through ``compliance.services`` and the scan grounds they make possible, on hand-made
records: each ground's first day and its closing (Art. 25(2), 25(3), 31, 33), rescans that change nothing,
deadlines met, due and late as the records show them, and the audit of every write and read."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from exitentry import clock
from exitentry.accounts.models import AuditEntry
from exitentry.cases.models import Case, Receipt
from exitentry.cases.services import Refused
from exitentry.compliance import services
from exitentry.compliance.models import Alert
from exitentry.compliance.scan import (
    EXIT_DEADLINE_PASSED,
    NO_ENTRY_APPLICATION,
    NO_ENTRY_BREACHED,
    OUTSIDE_AREA,
    OVERSTAY,
    VISA_FREE_OVERSTAY,
    scan,
)
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.rules.enforcement import DUE, GUARANTOR, LATE, MET
from exitentry.registry.models import AccommodationRegistration, EntryExit, Permit, Person
from factories import actor, officer

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def by():
    return actor(officer("reception-hall"))


def enter(p: Person, on: str, **basis) -> EntryExit:
    return EntryExit.objects.create(
        person=p, direction="entry", on=D(on), port="PEK", travel_document=p.travel_documents.get(), **basis
    )


def stay_at(p: Person, on: str, division: str) -> AccommodationRegistration:
    return AccommodationRegistration.objects.create(
        person=p, address="1 Test Road", registered_on=D(on), registered_with="Hotel", division=division
    )


def held(p: Person) -> list[tuple[str, str]]:
    return sorted(p.alerts.filter(closed_on__isnull=True).values_list("ground_id", "cause_key"))


def test_a_visa_free_stay_overstayed_is_article_25_2_from_the_day_after_its_last_day(person) -> None:
    enter(person, "2026-03-01", basis="visa-free", visa_free_days=30)  # last day 31 March
    scan(D("2026-03-31"))
    assert held(person) == []
    scan(D("2026-04-01"))
    assert held(person) == [(VISA_FREE_OVERSTAY, "until:2026-03-31")]
    alert = person.alerts.get()
    assert (alert.since, alert.source_id, alert.section) == (D("2026-04-01"), "regulations", "Art. 25(2)")
    again = scan(D("2026-04-01"))
    assert not again.opened and not again.closed and person.alerts.count() == 1
    Permit.objects.create(
        person=person, kind="stay-permit", number="S1", issued_on=D("2026-04-03"), valid_until=D("2026-06-30")
    )
    scan(D("2026-04-03"))
    assert held(person) == [] and person.alerts.get().closed_on == D("2026-04-03")


def test_a_running_acceptance_receipt_covers_a_visa_free_overstay(person) -> None:
    enter(person, "2026-03-01", basis="visa-free", visa_free_days=30)
    user = officer()
    case = Case.objects.create(  # accepted: the hall holds the passport, so the receipt stands in for it
        procedure_id="rp-work", person=person, submitted_by=user, acting_as="self", state="accepted"
    )
    Receipt.objects.create(
        case=case, number="R1", issued_on=D("2026-03-25"), valid_until=D("2026-04-08"), issued_by=user
    )
    scan(D("2026-04-08"))
    assert held(person) == []
    scan(D("2026-04-09"))
    assert held(person) == [(VISA_FREE_OVERSTAY, "until:2026-03-31")]


def test_a_visa_free_period_still_running_covers_an_old_stay_permit_run_out(person) -> None:
    Permit.objects.create(
        person=person, kind="stay-permit", number="S1", issued_on=D("2026-01-01"), valid_until=D("2026-02-01")
    )
    enter(person, "2026-03-01", basis="visa-free", visa_free_days=30)
    scan(D("2026-03-20"))
    assert held(person) == []
    scan(D("2026-04-01"))  # both run out: a permit is known, so Art. 25(1)
    assert held(person) == [(OVERSTAY, "until:2026-02-01")]


def test_registered_outside_the_area_the_entry_restricts_to_is_article_25_3_until_back_inside(person) -> None:
    entry = enter(person, "2026-03-01", restricted_area="110105", restricted_by="document")
    stay_at(person, "2026-03-02", "110105")
    scan(D("2026-03-03"))
    assert held(person) == []
    outside = stay_at(person, "2026-03-05", "110108")
    scan(D("2026-03-04"))
    assert held(person) == []  # registered the next day: not yet known
    scan(D("2026-03-05"))
    assert held(person) == [(OUTSIDE_AREA, f"entry:{entry.pk}:registration:{outside.pk}")]
    alert = person.alerts.get()
    assert (alert.since, alert.section) == (D("2026-03-05"), "Art. 25(3)")
    stay_at(person, "2026-03-09", "110105")
    scan(D("2026-03-09"))
    assert held(person) == []


def test_a_registration_with_no_division_says_nothing_about_where_the_person_is(person) -> None:
    enter(person, "2026-03-01", restricted_area="11", restricted_by="temporary-entry")
    stay_at(person, "2026-03-02", "")
    scan(D("2026-03-03"))
    assert held(person) == []


def test_an_article_30_restriction_holds_from_its_decision_until_lifted(person, by) -> None:
    enter(person, "2026-01-01")
    stay_at(person, "2026-02-01", "120101")  # before the decision: not under it
    restriction = services.restrict(
        by, person, decided_on=D("2026-03-01"), area="1101", residence="2 Test Road", report_times=[]
    )
    scan(D("2026-03-02"))
    assert held(person) == []
    there = stay_at(person, "2026-03-03", "120101")
    scan(D("2026-03-03"))
    assert held(person) == [(OUTSIDE_AREA, f"restriction:{restriction.pk}:registration:{there.pk}")]
    services.lift(by, restriction, on=D("2026-03-10"))
    scan(D("2026-03-09"))
    assert len(held(person)) == 1
    scan(D("2026-03-10"))
    assert held(person) == []


def test_an_order_to_leave_passed_is_found_the_day_after_its_last_day_and_closes_on_exit(
    person, by, monkeypatch
) -> None:
    monkeypatch.setattr("exitentry.clock.now", lambda: datetime(2026, 12, 10, 10, tzinfo=BEIJING))
    enter(person, "2026-01-01")
    order = services.order_to_leave(by, person, ordered_on=D("2026-11-22"), days=15)
    assert order.last_day == D("2026-12-07")
    scan(D("2026-12-07"))
    assert held(person) == []
    scan(D("2026-12-08"))
    assert held(person) == [(EXIT_DEADLINE_PASSED, f"order:{order.pk}")]
    alert = person.alerts.get()
    assert (alert.due_on, alert.section) == (D("2026-12-07"), "Art. 33")
    assert not scan(D("2026-12-08")).opened
    services.record_exit(by, order, on=D("2026-12-09"), port="PEK")
    scan(D("2026-12-09"))
    assert held(person) == []
    shown = services.records_of(by, person, datetime(2026, 12, 10, tzinfo=BEIJING))
    assert [(o.pk, left, s.key) for o, left, s in shown.orders] == [(order.pk, D("2026-12-09"), LATE)]


def test_an_order_to_leave_of_16_days_is_refused_in_both_languages(person, by) -> None:
    with pytest.raises(Refused) as refused:
        services.order_to_leave(by, person, ordered_on=D("2026-11-22"), days=16)
    assert refused.value.field == "days" and "第三十三条" in refused.value.message.zh
    assert not person.alerts.exists()


def test_an_entry_inside_the_no_entry_period_is_article_31_until_the_person_leaves(person, by) -> None:
    enter(person, "2026-01-01")
    repatriation = services.repatriate(
        by, person, decided_on=D("2026-02-20"), no_entry_years=1, can_pay=False, illegally_employed=False,
        payer="Guarantor Co.",
    )  # fmt: skip
    services.carry_out(by, repatriation, on=D("2026-03-01"), port="PEK")
    assert repatriation.no_entry_until == D("2027-03-01")
    entry = enter(person, "2027-03-01")  # the period's last day
    scan(D("2027-03-01"))
    assert held(person) == [(NO_ENTRY_BREACHED, f"repatriation:{repatriation.pk}:entry:2027-03-01")]
    assert person.alerts.get().since == entry.on
    EntryExit.objects.create(
        person=person, direction="exit", on=D("2027-03-05"), port="PEK", travel_document=entry.travel_document
    )
    scan(D("2027-03-05"))
    assert held(person) == []
    enter(person, "2027-03-02")  # the day after the period: no alert
    scan(D("2027-03-06"))
    assert held(person) == []
    shown = services.records_of(by, person, datetime(2027, 3, 6, tzinfo=BEIJING))
    [(r, costs, period, standing)] = shown.repatriations
    assert costs.who == GUARANTOR and period.last_day == D("2027-03-01") and standing.en == "over"
    earlier = services.records_of(by, person, datetime(2027, 3, 1, 23, tzinfo=BEIJING))
    assert earlier.repatriations[0][3].zh == "期限未届满，不准入境"  # its last day: still running


def test_a_no_entry_period_of_six_years_is_refused(person, by) -> None:
    with pytest.raises(Refused) as refused:
        services.repatriate(
            by, person, decided_on=D("2026-02-20"), no_entry_years=6, can_pay=True, illegally_employed=False
        )
    assert refused.value.field == "no_entry_years" and "1 to 5 years" in refused.value.message.en


def test_detention_and_reports_show_met_due_and_late_and_every_write_and_read_is_audited(person, by) -> None:
    detained = datetime(2026, 3, 1, 10, 30, tzinfo=BEIJING)
    d = services.detain(by, person, detained_at=detained, place="Chaoyang station")
    assert d.transfer_due_at == detained + timedelta(hours=24)
    late = services.detain(by, person, detained_at=detained - timedelta(days=2), place="Haidian station")
    r = services.restrict(
        by,
        person,
        decided_on=D("2026-03-01"),
        area="110105",
        residence="2 Test Road",
        report_times=[datetime(2026, 3, 2, 9, tzinfo=BEIJING), datetime(2026, 3, 9, 9, tzinfo=BEIJING)],
    )
    first, second = r.reports.all()
    services.report(by, first, at=datetime(2026, 3, 2, 8, 50, tzinfo=BEIJING))
    services.transfer(by, late, at=detained - timedelta(hours=23), to="Repatriation facility")
    at = datetime(2026, 3, 2, 10, 29, tzinfo=BEIJING)
    shown = services.records_of(by, person, at)
    assert {x.pk: s.key for x, s in shown.detentions} == {d.pk: DUE, late.pk: LATE}
    assert [s.key for _, s in shown.restrictions[0][1]] == [MET, DUE]
    later = services.records_of(by, person, datetime(2026, 3, 10, tzinfo=BEIJING))
    assert {x.pk: s.key for x, s in later.detentions} == {d.pk: LATE, late.pk: LATE}
    assert [s.key for _, s in later.restrictions[0][1]] == [MET, LATE]
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "enforcement.detention",
        "enforcement.detention",
        "enforcement.restriction",
        "enforcement.report",
        "enforcement.transfer",
        "enforcement.read",
        "enforcement.read",
    ]
    with pytest.raises(Refused):
        services.transfer(by, late, at=detained, to="again")
    with pytest.raises(Refused):
        services.detain(by, person, detained_at=datetime(2026, 3, 1, 10, 30), place="naive")  # noqa: DTZ001


def test_alerts_of_the_new_grounds_cite_their_articles(person, by) -> None:
    enter(person, "2026-01-01")
    services.order_to_leave(by, person, ordered_on=D("2026-01-02"), days=3)
    scan(D("2026-02-01"))
    assert Alert.objects.get().section == "Art. 33"


def test_an_application_inside_the_no_entry_period_is_flagged_until_decided(person, by) -> None:
    """Art. 31 bars entry; a case submitted here inside the period, with no entry recorded, is an alert
    until the case is decided, and the case page's warning asks the same law (``NoEntryPeriod.bars``)."""
    enter(person, "2026-01-01")
    repatriation = services.repatriate(
        by, person, decided_on=D("2026-02-20"), no_entry_years=1, can_pay=True, illegally_employed=False
    )
    services.carry_out(by, repatriation, on=D("2026-03-01"), port="PEK")
    case = Case.objects.create(
        procedure_id="rp-work",
        person=person,
        submitted_by=by.user,
        acting_as="self",
        submitted_on=D("2026-03-01"),
    )
    scan(D("2026-03-10"))
    assert held(person) == []  # submitted on the day of repatriation: not inside the period
    assert services.no_entry_barring(person, case.submitted_on) == []
    Case.objects.filter(pk=case.pk).update(submitted_on=D("2027-03-01"))  # the period's last day
    scan(D("2027-03-02"))
    assert held(person) == [(NO_ENTRY_APPLICATION, f"repatriation:{repatriation.pk}:case:{case.pk}")]
    assert [p.last_day for p in services.no_entry_barring(person, D("2027-03-01"))] == [D("2027-03-01")]
    Case.objects.filter(pk=case.pk).update(decided_on=D("2027-03-03"))
    scan(D("2027-03-03"))
    assert held(person) == []


def test_no_enforcement_record_is_dated_after_today(person, by) -> None:
    """A decision not taken yet is not recorded: the date of each kind of record cannot be after today,
    said as the unit report says it, and nothing is written."""
    tomorrow = beijing_today(clock.now()) + timedelta(days=1)
    at = datetime.combine(tomorrow, datetime.min.time(), BEIJING)
    attempts = {
        "ordered_on": lambda: services.order_to_leave(by, person, ordered_on=tomorrow, days=15),
        "detained_at": lambda: services.detain(by, person, detained_at=at, place="Chaoyang station"),
        "decided_on": lambda: services.restrict(
            by, person, decided_on=tomorrow, area="1101", residence="2 Test Road", report_times=[]
        ),
    }
    attempts["decided_on "] = lambda: services.repatriate(
        by, person, decided_on=tomorrow, no_entry_years=1, can_pay=True, illegally_employed=False
    )
    for field, attempt in attempts.items():
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.field == field.strip()
        assert refused.value.message.en.endswith("cannot be after today.")
        assert refused.value.message.zh.endswith("不能晚于今天。")
    assert not AuditEntry.objects.filter(action__startswith="enforcement.").exists()
    today = tomorrow - timedelta(days=1)
    assert services.order_to_leave(by, person, ordered_on=today, days=15).ordered_on == today


def test_the_same_open_record_sent_twice_is_refused_once_recorded(person, by) -> None:
    """A form sent twice (a double click, a resend) records the order, detention, restriction or
    repatriation once; the second is refused naming the one recorded. Another day is another record."""
    detained = datetime(2026, 3, 1, 10, 30, tzinfo=BEIJING)
    sends = [
        lambda day: services.order_to_leave(by, person, ordered_on=day, days=15),
        lambda day: services.detain(
            by, person, detained_at=datetime.combine(day, detained.timetz()), place="Chaoyang station"
        ),
        lambda day: services.restrict(
            by, person, decided_on=day, area="1101", residence="2 Test Road", report_times=[]
        ),
        lambda day: services.repatriate(
            by, person, decided_on=day, no_entry_years=1, can_pay=True, illegally_employed=False
        ),
    ]
    for send in sends:
        first = send(D("2026-03-01"))
        with pytest.raises(Refused) as refused:
            send(D("2026-03-01"))
        assert "already recorded" in refused.value.message.en and "已登记" in refused.value.message.zh
        assert type(first).objects.filter(person=person).count() == 1
        send(D("2026-03-02"))
        assert type(first).objects.filter(person=person).count() == 2


def test_no_later_step_on_a_record_is_dated_after_today(person, by) -> None:
    """A transfer, a report, a lifting, a repatriation carried out or an exit under an order not made yet
    is not recorded either: refused beside its date as the decisions are, and nothing is written."""
    today = beijing_today(clock.now())
    tomorrow = today + timedelta(days=1)
    at = datetime.combine(tomorrow, datetime.min.time(), BEIJING)
    now = datetime.combine(today, datetime.min.time(), BEIJING)
    detention = services.detain(by, person, detained_at=now, place="Chaoyang station")
    restriction = services.restrict(
        by, person, decided_on=today, area="1101", residence="2 Test Road", report_times=[now]
    )
    repatriation = services.repatriate(
        by, person, decided_on=today, no_entry_years=1, can_pay=True, illegally_employed=False
    )
    order = services.order_to_leave(by, person, ordered_on=today, days=15)
    written = AuditEntry.objects.count()
    attempts = {
        "transfer": lambda: services.transfer(by, detention, at=at, to="Detention centre"),
        "report": lambda: services.report(by, restriction.reports.get(), at=at),
        "lift": lambda: services.lift(by, restriction, on=tomorrow),
        "carry out": lambda: services.carry_out(by, repatriation, on=tomorrow, port="PEK"),
        "exit": lambda: services.record_exit(by, order, on=tomorrow, port="PEK"),
    }
    for step, attempt in attempts.items():
        with pytest.raises(Refused) as refused:
            attempt()
        assert refused.value.field in {"at", "on"}, step
        assert refused.value.message.en == "The date cannot be after today.", step
    assert AuditEntry.objects.count() == written
    assert not EntryExit.objects.filter(person=person, direction="exit").exists()
