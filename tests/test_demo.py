"""The demo data (``load_demo``, ``exitentry demo``): every state, every role, audited, loaded once, never by accident."""

from __future__ import annotations

import io
import re
from datetime import datetime, time

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client, override_settings
from django.utils.timezone import localdate
from pypdf import PdfReader

from exitentry import cli
from exitentry.accounts.audit import verify
from exitentry.accounts.models import AuditEntry, Role, User
from exitentry.background.schedule import periodic_tasks
from exitentry.cases import services
from exitentry.cases.lifecycle import State
from exitentry.cases.management.commands.load_demo import (
    ACCOUNTS,
    MARKER,
    PASSWORD,
    PLANS,
    SECOND_FACTORS,
    demo_code,
)
from exitentry.cases.models import Case, CaseEvent, DeficiencyNotice, Material
from exitentry.demo_times import WORKING_HOURS
from exitentry.law.calendar import BEIJING, beijing_today
from exitentry.law.catalog import catalog
from exitentry.law.rules.stay import max_extension_days
from exitentry.registry import demo as demo_permits
from exitentry.registry.models import PermitEvent

pytestmark = pytest.mark.django_db
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py sets per test


def load(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()}


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One load for the tests that only read it (it takes a while), rolled back after them."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        yield load(force=True)
        transaction.set_rollback(True)


class TestTheDemoData:
    @pytest.fixture(autouse=True)
    def media_in_tmp(self) -> None:
        """The shared load keeps its files in its own folder (``demo``): read them there."""

    def test_the_demo_has_a_case_in_every_state(self, demo) -> None:
        states = set(Case.objects.values_list("state", flat=True))
        assert states == set(State.values)

    def test_the_demo_cases_span_the_procedures_it_promises(self, demo) -> None:
        procedures = set(Case.objects.values_list("procedure_id", flat=True))
        assert procedures >= {
            "rp-personal-affairs",
            "rp-work",
            "one-stop-work-permits",
            "pr-application",
            "visa-extension",
            "rp-extension",
            "rp-personal-affairs-extension",
            "study-part-time-endorsement",
        }
        assert Case.objects.filter(procedure_id="rp-extension", permit__isnull=False).count() == 1

    def test_annas_draft_extends_her_personal_affairs_permit_as_the_extension_guide_advises(
        self, demo
    ) -> None:
        """rp-extension's own text sends a personal-affairs holder in Beijing to the guide's procedure; her
        draft is on it and still asks how long a permit she wants (the health certificate waits on it)."""
        draft = Case.objects.get(submitted_by__username="anna.schmidt", state=State.DRAFT)
        assert draft.permit.permit_type == "private-affairs"
        assert draft.procedure_id == "rp-personal-affairs-extension"
        assert "validity" in {f.id for f in services.advice_for(draft, beijing_today()).missing}

    def test_every_demo_family_visitor_holds_a_family_visa_and_anna_answers_as_she_applied(
        self, demo
    ) -> None:
        """Regulations Art. 6: a family member of a Chinese citizen holds a Q1 or Q2 visa, of a foreigner in
        China an S1 or S2; a C visa is for crew. Anna's draft extension answers as her first application did."""
        family = Case.objects.filter(facts__ground="family")
        assert family.count() > 5
        for case in family:
            assert case.facts.get("visa_category") in {"Q1", "Q2", "S1", "S2"}, (case, case.facts)
        first, draft = (
            Case.objects.filter(submitted_by__username="anna.schmidt").exclude(state=state).get()
            for state in (State.DRAFT, State.COLLECTED)
        )
        for fact in ("ground", "family_relation", "visa_category"):
            assert draft.facts[fact] == first.facts[fact], fact
        assert draft.facts["good_stay_record"] is True  # her stay so far is on record without a fault

    def test_every_demo_visa_extension_asks_for_weeks_within_the_stay_its_visa_gave(self, demo) -> None:
        """The days asked fit what the law core leaves open on the entry (``max_extension_days``: the stay
        less what was extended already); a demo visitor asks for weeks of it, as people do, never one day."""
        extensions = Case.objects.filter(procedure_id="visa-extension")
        assert extensions.count() >= 2
        for case in extensions:
            facts = case.facts
            cap = max_extension_days(facts["original_stay_days"], facts.get("extended_stay_days_so_far") or 0)
            assert 7 <= facts["requested_extension_days"] <= cap.remaining_days, (case, facts)

    def test_the_officers_queue_has_a_decision_due_soon_and_one_that_is_late(self, demo) -> None:
        today = beijing_today()
        accepted = Case.objects.filter(state=State.ACCEPTED, decided_on__isnull=True)
        assert accepted.filter(decision_due__gte=today).exists()
        assert accepted.filter(decision_due__lt=today).exists()

    def test_the_refusal_cites_an_article_21_ground(self, demo) -> None:
        refused = Case.objects.get(state=State.REFUSED)
        assert refused.decision.ground_id.startswith("refusal-")

    def test_every_accepted_demo_case_paid_what_is_due_at_acceptance_before_its_receipt(self, demo) -> None:
        accepted = Case.objects.filter(accepted_on__isnull=False).prefetch_related("events", "payments")
        paying = 0
        for case in accepted:
            fee = services.fee_of(case, case.received_on)
            at = next(e.at for e in case.events.all() if e.action == "accept")
            early = sum(p.amount_cny for p in case.payments.all() if p.paid_at < at)
            assert early == (fee.due_at_acceptance or 0), case.reference
            paying += early > 0
        assert paying  # a permanent-residence case in the demo pays CNY 1,500 at acceptance

    def test_every_collected_or_ready_demo_case_has_its_fee_paid_in_full(self, demo) -> None:
        handed = Case.objects.filter(state__in=(State.READY, State.COLLECTED))
        assert handed.filter(state=State.COLLECTED).exists()
        for case in handed:
            fee = services.fee_of(case, case.received_on)
            assert fee.due is None or (fee.paid == fee.due and fee.outstanding == 0), case.reference

    def test_every_accepted_demo_case_had_the_originals_its_guide_asks_for_seen_and_audited(
        self, demo
    ) -> None:
        accepted = Case.objects.filter(accepted_on__isnull=False)
        personal = accepted.filter(procedure_id="rp-personal-affairs")
        assert personal.exists() and all(case.applicant_present is not None for case in accepted)
        for case in personal:
            assert set(case.materials.filter(original_seen=True).values_list("material_id", flat=True))
            assert services.originals_unseen(case, case.accepted_on) == (), case.reference
        marks = AuditEntry.objects.filter(action="material.review", new__original_seen=True)
        assert marks.count() >= Material.objects.filter(original_seen=True).count() > 0

    def test_the_one_time_notice_is_open_on_the_deficient_case(self, demo) -> None:
        deficient = Case.objects.get(state=State.DEFICIENT)
        assert deficient.deficiency_notices.count() == 1
        assert deficient.pauses.filter(end__isnull=True).count() == 1

    def test_every_material_is_a_small_pdf_of_its_own(self, demo) -> None:
        materials = list(Material.objects.all())
        assert materials
        assert {m.content_type for m in materials} == {"application/pdf"}
        assert len({m.sha256 for m in materials}) == len(materials)
        with materials[0].file.open("rb") as f:
            assert len(PdfReader(f).pages) == 1  # a real PDF, which a parser opens

    def test_the_demo_has_a_user_of_every_role(self, demo) -> None:
        assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
        admin = User.objects.get(role=Role.ADMINISTRATOR)
        assert admin.is_staff and admin.is_superuser
        assert User.objects.filter(role=Role.OFFICER, halls__hall_id="shijingshan").exists()

    def test_every_demo_account_signs_in_with_the_demo_password(self, demo, rf) -> None:
        for account in ACCOUNTS:
            request = rf.post("/en/sign-in/")  # django-axes throttles sign-ins by the request's address
            user = authenticate(request, username=account.username, password=PASSWORD)
            assert user is not None and user.role == account.role, account.username

    def test_the_table_lists_every_account_with_its_role_and_the_password_in_english_and_chinese(
        self, demo
    ) -> None:
        assert "username 用户名" in demo and "密码" in demo
        for account in ACCOUNTS:
            assert account.username in demo
        assert PASSWORD in demo

    def test_every_step_in_a_demo_history_is_stamped_on_the_day_its_case_claims(self, demo) -> None:
        claimed = {
            "submit": "submitted_on",
            "pre_examine": "pre_examined_on",
            "receive": "received_on",
            "accept": "accepted_on",
            "decide": "decided_on",
            "mark_ready": "ready_on",
            "collect": "closed_on",
            "withdraw": "closed_on",
        }
        checked = 0
        for event in CaseEvent.objects.select_related("case"):
            day = localdate(event.at, BEIJING)
            if event.action in claimed:
                assert day == getattr(event.case, claimed[event.action]), (event.case.reference, event.action)
                checked += 1
            audit = AuditEntry.objects.get(action=f"case.{event.action}", object_id=str(event.case_id))
            assert localdate(audit.at, BEIJING) == day
        assert checked >= 40
        for notice in DeficiencyNotice.objects.select_related("case"):
            stamped = CaseEvent.objects.get(case=notice.case, action="notify_deficiency").at
            assert localdate(stamped, BEIJING) == notice.issued_on
        for material in Material.objects.select_related("case"):
            days = {localdate(e.at, BEIJING) for e in CaseEvent.objects.filter(case_id=material.case_id)}
            days.add(localdate(material.case.created_at, BEIJING))
            assert localdate(material.uploaded_at, BEIJING) in days  # uploaded on the day of a step
        submitted = Case.objects.exclude(submitted_on=None)
        assert all(localdate(c.created_at, BEIJING) <= c.submitted_on for c in submitted)
        assert any(c.submitted_on < beijing_today() for c in submitted)

    def test_every_demo_step_is_in_its_halls_hours_later_than_the_one_before(self, demo) -> None:
        """A case's history reads as a working day's: each step by a person inside the opening hours of
        the case's hall (office hours for a draft), after the step before it; the system's draft expiry
        at the hour the worker runs it (``EXITENTRY_PERIODIC_TASKS``), or earlier today when loaded before.
        The tasks and payments of a visit come after its step (the fee paid at acceptance just before the
        receipt, on the same visit; the rest after the approval, on its day: ``law.model.FEE_CHARGED``), and
        every permit event in office hours."""
        halls = catalog().halls
        expiry_run = next(p for p in periodic_tasks() if p.name == "draft-expiry")
        checked = 0
        for case in Case.objects.prefetch_related("events", "tasks", "payments"):
            events = sorted(case.events.all(), key=lambda e: e.pk)
            times = [e.at for e in events]
            assert times == sorted(set(times)), case.reference  # in order, no two at once
            sessions = halls[case.hall_id].sessions if case.hall_id else WORKING_HOURS
            for event in events:
                local = event.at.astimezone(BEIJING)
                if event.actor_id is None:
                    due = expiry_run.last_due(datetime.combine(local.date(), time.max, BEIJING))
                    assert event.at == due or (local.date() == beijing_today() and event.at < due)
                    continue
                assert any(s.opens <= local.time() < s.closes for s in sessions), (
                    case.reference,
                    event.action,
                    local,
                )
                checked += 1
            accepted = [e.at for e in events if e.action == "accept"]
            approved = [e.at for e in events if e.action == "decide"]
            early = [p.paid_at for p in case.payments.all() if accepted and p.paid_at < accepted[0]]
            for at in [t.opened_at for t in case.tasks.all()] + early:
                assert (
                    accepted
                    and (accepted[0] < at or (at in early and times[times.index(accepted[0]) - 1] < at))
                    and localdate(at, BEIJING) == localdate(accepted[0], BEIJING)
                )
            for at in [p.paid_at for p in case.payments.all() if p.paid_at not in early]:  # due once approved
                assert (
                    approved
                    and approved[0] < at
                    and localdate(at, BEIJING) == localdate(approved[0], BEIJING)
                )
            assert all(t.done_at is None or t.done_at > t.opened_at for t in case.tasks.all())
        assert checked >= 40
        for event in PermitEvent.objects.all():
            local = event.at.astimezone(BEIJING).time()
            assert time(9, 0) <= local < time(17, 30), (event.permit.number, event.kind, local)

    def test_the_hall_side_accounts_sign_in_with_the_second_factor_it_prints(self, demo) -> None:
        for name, (secret, codes) in SECOND_FACTORS.items():
            assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in demo and " ".join(codes) in demo
            assert f"otpauth://totp/Beijing%20Exit-Entry%3A{name}?secret={secret}&" in demo
        by_code, by_backup = Client(), Client()
        for client, code in ((by_code, demo_code("officer.wang")[:6]), (by_backup, "chen3333")):
            user = "officer.wang" if client is by_code else "supervisor.chen"
            step = client.post("/en/sign-in/", {"username": user, "password": PASSWORD})
            assert step["Location"] == "/en/second-factor/?next=%2Fen%2Fconsole%2F"
            assert client.post(step["Location"], {"code": code})["Location"] == "/en/console/"
            assert client.get("/en/console/").status_code == 200

    def test_the_demo_holder_sees_a_permit_in_force_one_expiring_one_expired_and_one_void(self, demo) -> None:
        client = Client()
        client.force_login(User.objects.get(username=demo_permits.HOLDER))
        page = client.get("/en/my/permits/", follow=True).content.decode()
        states = re.findall(r'<strong class="permit-state state-(\w+)">', page)
        assert {"valid", "expiring", "expired", "void"} <= set(states)
        assert "Apply for an extension" in page
        assert "⊘</span> Declared void</strong>" in page  # by its name; the article is linked after it
        assert "valid until: " in page  # the extension in the history, each event on its own day

    def test_the_demo_employer_and_school_have_rosters_every_filter_of_the_portal_finds(self, demo) -> None:
        from exitentry.compliance import staff

        hr = User.objects.get(username="hr.zhang")
        assert hr.is_unit_admin and not User.objects.get(username="hr.li").is_unit_admin
        today = beijing_today()
        for unit_id in (hr.unit_id, User.objects.get(username="school.sun").unit_id):
            found = {f: staff.people(unit_id, today, staff.Listing(f)).count() for f in staff.FILTERS}
            assert found[""] >= 12 and all(found[f] >= 1 for f in ("30", "60", "90", "expired", "void")), (
                found
            )
            assert found["30"] < found["60"] < found["90"] < found[""]
        client = Client()
        client.force_login(User.objects.get(username="hr.li"))
        page = client.get("/en/unit/?filter=60").content.decode()
        assert "Expiring within 60 days" in page and "data-person=" in page
        assert client.get("/en/unit/handlers/").status_code == 403

    def test_every_roster_person_has_a_passport_an_institution_can_check_them_by(self, demo) -> None:
        from exitentry.accounts.audit import Actor
        from exitentry.registry.models import Affiliation, Person
        from exitentry.verification.checks import check_document

        on_rosters = Person.objects.filter(pk__in=Affiliation.objects.values("person_id"))
        assert on_rosters.count() >= len(demo_permits.EMPLOYEE_DAYS) + len(demo_permits.STUDENT_DAYS)
        assert not on_rosters.filter(travel_documents=None).exists()
        today = beijing_today()
        for person in on_rosters:
            passport = person.travel_documents.order_by("issued_on").first()
            assert passport.issuing_country == person.nationality and passport.expires_on > today
            assert passport.issued_on < min(p.issued_on for p in person.permits.all())
        person = on_rosters.order_by("pk").first()
        bank = Actor(User.objects.get(username="bank.verifier"))
        outcome = check_document(bank, person.travel_documents.get().number, str(person), today)
        assert outcome.match and outcome.check.person_id == person.pk

    def test_the_employer_reported_a_resignation_and_the_hall_has_its_follow_up(self, demo) -> None:
        from exitentry.compliance.models import Alert, UnitReport
        from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND

        (report,) = UnitReport.objects.filter(event="employee-resigned")
        assert report.unit.credit_code == MARKER
        assert report.affiliation.ended_on == report.happened_on
        alert = Alert.objects.get(ground_id=FOLLOW_UP_GROUND, person=report.person)
        assert alert.closed_on is None  # the day's scan left the officers' follow-up open
        client = Client()
        client.force_login(User.objects.get(username="hr.zhang"))
        assert report.number in client.get("/en/unit/reports/").content.decode()
        assert_filed_in_office_hours(report.filed_at)

    def test_a_student_who_withdrew_and_did_not_report_it_is_named_in_a_public_notice_in_both_languages(
        self, demo
    ) -> None:
        """Regulations Art. 34(3): the school reported the student's withdrawal (Art. 26), the holder did not
        report the change in the Law's 10 days (Art. 33), so the hall published the notice that comes
        before voiding; the public notices page lists it, and its page reads in either language."""
        from exitentry.compliance.models import PublicNotice, UnitReport

        (notice,) = PublicNotice.objects.all()
        report = UnitReport.objects.get(person=notice.permit.person)
        assert report.event == "student-withdrew" and report.unit.kind == "school"
        assert not notice.permit.change_reports.exists() and notice.permit.status == "valid"
        assert report.happened_on < notice.published_on < beijing_today() <= notice.period_ends_on
        assert AuditEntry.objects.filter(
            action="permit.public_notice", object_id=str(notice.permit_id)
        ).exists()
        assert_filed_in_office_hours(report.filed_at)
        assert_filed_in_office_hours(AuditEntry.objects.get(action="permit.public_notice").at)
        client = Client()
        for lang, heading in (("en", "Public notices"), ("zh-hans", "公告")):
            listing = client.get(f"/{lang}/notices/").content.decode()
            assert heading in listing and notice.number in listing and notice.masked_number in listing
            assert client.get(f"/{lang}/notices/{notice.pk}/").status_code == 200

    def test_anna_reported_a_change_of_her_reason_for_residence_which_the_hall_follows_up(self, demo) -> None:
        from exitentry.compliance.models import Alert, ChangeReport
        from exitentry.law.rules.unit_reports import FOLLOW_UP_GROUND

        (report,) = ChangeReport.objects.filter(permit__person__surname="Schmidt")
        assert report.particular == "reason" and report.filed_by.username == "anna.schmidt"
        assert_filed_in_office_hours(report.filed_at)
        assert report.reported_on == localdate(report.filed_at, BEIJING)
        alert = Alert.objects.get(ground_id=FOLLOW_UP_GROUND, person=report.permit.person)
        assert alert.closed_on is None and alert.cause_key.startswith(f"change:{report.pk}:")
        client = Client()
        client.force_login(User.objects.get(username="anna.schmidt"))
        page = client.get(f"/en/my/permits/{report.permit_id}/").content.decode()
        assert report.number in page and "receipt.pdf" in page

    def test_anna_gave_her_new_passport_online_and_her_pages_say_it_awaits_the_halls_check(
        self, demo
    ) -> None:
        from exitentry.registry.models import TravelDocument

        (claim,) = TravelDocument.objects.filter(person__surname="Schmidt", claim=True)
        draft = Case.objects.get(person=claim.person, state=State.DRAFT)
        client = Client()
        client.force_login(User.objects.get(username="anna.schmidt"))
        for lang, words in (("en", "awaiting the hall"), ("zh-hans", "待大厅核验")):
            for path in (f"/{lang}/my/people/{claim.person_id}/permits/", f"/{lang}/my/{draft.pk}/"):
                page = client.get(path).content.decode()
                assert claim.number in page and words in page, path

    def test_the_officers_texts_read_as_an_officer_in_beijing_writes_them(self, demo) -> None:
        from exitentry.cases.models import VerificationTask

        outcomes = set(VerificationTask.objects.exclude(outcome="").values_list("outcome", flat=True))
        assert outcomes and all(re.search(r"[\u4e00-\u9fff]", o) for o in outcomes)

    def test_everything_the_demo_did_is_in_an_intact_audit_trail(self, demo) -> None:
        assert verify().ok
        started = set(AuditEntry.objects.filter(action="case.start").values_list("object_id", flat=True))
        assert started == {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
        assert AuditEntry.objects.filter(action="user.create").count() == len(ACCOUNTS)


def test_a_second_run_adds_no_rows(settings) -> None:
    settings.DEBUG = True
    load()
    before = row_counts()
    out = load()
    assert row_counts() == before
    assert MARKER in out and "nothing created" in out
    assert Case.objects.count() == len(PLANS) + 1


def test_a_school_roster_without_a_long_study_permit_stops_the_load_clearly_and_creates_nothing(
    monkeypatch,
) -> None:
    """The student of the public notice (Regulations Art. 34(3)) holds a study permit running more than 180
    days: a roster planned without one (``registry.demo.STUDENT_DAYS``) stops the load with a message that
    says what is missing, not an AttributeError, and the load's transaction leaves nothing behind."""
    short = tuple(d for d in demo_permits.STUDENT_DAYS if d == "void" or d <= 180)
    monkeypatch.setattr(demo_permits, "STUDENT_DAYS", short)
    before = row_counts()
    with pytest.raises(CommandError) as refused:
        load(force=True)
    said = str(refused.value)
    assert "Beijing Demo University" in said and "study" in said and "more than 180 days" in said
    assert "STUDENT_DAYS" in said
    assert row_counts() == before


def test_it_refuses_without_debug_and_without_force_and_creates_nothing(settings) -> None:
    settings.DEBUG = False
    before = row_counts()
    with pytest.raises(CommandError, match="DEBUG is off"):
        load()
    assert row_counts() == before


def test_exitentry_demo_passes_force_through_and_refuses_without_it(settings, capsys) -> None:
    settings.DEBUG = False
    assert cli.main(["demo"]) == 2
    assert "refusing to load demo data" in capsys.readouterr().err
    assert not Case.objects.exists()
    assert cli.main(["demo", "--force"]) == 0
    assert "officer.wang" in capsys.readouterr().out
    assert cli.main(["demo", "--code", "officer.wang"]) == 0
    assert re.match(r"^[0-9]{6}  · officer\.wang: valid for about", capsys.readouterr().out)
    assert cli.main(["demo", "--code", "anna.schmidt"]) == 2
    assert "has no demo second factor" in capsys.readouterr().err
    assert Case.objects.count() == len(PLANS) + 1


def assert_filed_in_office_hours(filed_at: datetime) -> None:
    """A demo report is filed as the other demo steps are taken: on a working day before today, in office
    hours (``demo_times``), not at the moment the demo was loaded."""
    local = filed_at.astimezone(BEIJING)
    assert catalog().calendar.is_working_day(local.date()) and local.date() < beijing_today()
    assert any(s.opens <= local.time() < s.closes for s in WORKING_HOURS), local
