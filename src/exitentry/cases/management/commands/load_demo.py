"""Demo data: units, people, accounts of every role, and cases in every state, made through the services.

``exitentry demo`` and ``exitentry serve`` run it. Every step of a case is taken by the services as the
people of each role would take it, so the rules check each one and the audit trail records it. No
service creates units, people or accounts; they are recorded in the audit trail as made by "system".
Dates count working days back from today in Beijing, so the officers' queue always holds a decision due
in two working days and one that is late.

Running it again creates nothing: the demo employer's credit code (:data:`MARKER`) shows the data is
there, and the accounts are listed again. It refuses unless ``DEBUG`` is on or ``--force`` is given.

Officers, supervisors and the administrator sign in with a second factor (``accounts.second_factor``).
Their demo authenticators have fixed, published secrets (:data:`SECOND_FACTORS`: demo only, never a real
account) and three backup codes each, so a newcomer can add the account to an authenticator app from the
printed secret, or use ``exitentry demo --code USERNAME`` to print the code of the moment. A demo database
made before the second factor existed gets the demo authenticators on the next run.
"""

from __future__ import annotations

import time as wall_clock
import unicodedata
from base64 import b32decode
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from exitentry import clock
from exitentry.accounts import second_factor
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import HallAssignment, Role, Unit, User
from exitentry.appointments.opening import hall_changes
from exitentry.background.schedule import periodic_tasks
from exitentry.cases import expiry, lifecycle, registry_facts, services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case, Payment
from exitentry.compliance import change_reports, notices, unit_reports
from exitentry.compliance.models import ChangeReport, UnitReport
from exitentry.compliance.reminders import remind
from exitentry.compliance.scan import scan
from exitentry.demo_times import later, step_instants
from exitentry.documents.sample import sample_pdf
from exitentry.law.calendar import BEIJING, beijing_today, official_calendar
from exitentry.law.catalog import catalog
from exitentry.law.examples import approval_validity, eligible_facts
from exitentry.law.halls import last_opening_day
from exitentry.law.model import Hall
from exitentry.registry import demo as demo_permits
from exitentry.registry import services as registry
from exitentry.registry.models import (
    AccommodationRegistration,
    Affiliation,
    EntryExit,
    Permit,
    Person,
    TravelDocument,
    Visa,
)

PASSWORD = "demo-2026!"
MARKER = "91110108MA01DEM001"  # the demo employer's unified social credit code
ONE_STOP = services.ONE_STOP_COUNTER
SYSTEM = Actor(None, None)
# The steps taken at the hall's counter, with the applicant there: on a day the hall opens.
VISITS = frozenset({"receive", "resubmit", "accept", "collect"})

# key: (English name, Chinese name, kind, credit code)
UNITS = {
    "employer": ("Beijing Demo Technology Co., Ltd.", "北京示范科技有限公司", Unit.Kind.EMPLOYER, MARKER),
    "school": ("Beijing Demo University", "北京示范大学", Unit.Kind.SCHOOL, "12110000DEM0000002"),
    "agency": (
        "Demo Exit-Entry Service Agency",
        "示范出入境服务机构",
        Unit.Kind.AGENCY,
        "91110105DEM0000003",
    ),
    # The institution whose desk checks a status with a share code or an Art. 27 request.
    "bank": ("Demo Bank Beijing Branch", "示范银行北京分行", Unit.Kind.BANK, "91110102DEM0000004"),
}


# What the demo's officer writes on closing the interview: in Chinese, as an officer in Beijing would.
INTERVIEW_OUTCOME = "申请人当面确认了居留事由。"


@dataclass(frozen=True)
class Who:
    surname: str
    given_names: str
    chinese_name: str
    sex: str
    birth_date: date
    nationality: str
    passport: str
    visa: str  # the category of the visa they entered on
    since: int = 45  # days since they entered China


PEOPLE = {
    "anna": Who("Schmidt", "Anna", "施安娜", "F", date(1988, 3, 14), "DEU", "C4D100001", "S1", since=80),
    "ben": Who("Carter", "Benjamin", "卡本杰", "M", date(1990, 7, 2), "GBR", "GB5100002", "L", since=20),
    "chloe": Who("Martin", "Chloé", "马可乐", "F", date(1992, 11, 20), "FRA", "FR1000003", "S1", since=20),
    "david": Who("Kim", "Dae-ho", "金大浩", "M", date(1975, 5, 9), "KOR", "M10000004", "Z", since=2400),
    "elena": Who("Rossi", "Elena", "罗艾琳", "F", date(1983, 1, 30), "ITA", "YA1000005", "Z", since=760),
    "fatima": Who("Haddad", "Fatima", "哈法蒂", "F", date(1995, 4, 18), "EGY", "A10000006", "L", since=35),
    "george": Who("Brown", "George", "布乔治", "M", date(1970, 9, 12), "USA", "US5100007", "Z", since=3000),
    "hiroshi": Who("Tanaka", "Hiroshi", "田中宏", "M", date(1987, 2, 3), "JPN", "TK1000008", "Z", since=10),
    "isabel": Who("Garcia", "Isabel", "贾伊莎", "F", date(1991, 6, 25), "ESP", "PA1000009", "Z", since=15),
    "jonas": Who("Larsen", "Jonas", "拉约纳", "M", date(1986, 10, 7), "DNK", "DK1000010", "Z", since=30),
    "kofi": Who("Mensah", "Kofi", "孟科菲", "M", date(2001, 8, 15), "GHA", "G10000011", "X1", since=420),
    "lucas": Who("Silva", "Lucas", "席卢卡", "M", date(1984, 12, 1), "BRA", "FB1000012", "Z", since=40),
    "maria": Who("Ivanova", "Maria", "伊玛丽", "F", date(1979, 3, 22), "RUS", "RU7100013", "S1", since=20),
    "nora": Who("Wilson", "Nora", "韦诺拉", "F", date(1993, 5, 11), "AUS", "PA5100014", "S1", since=25),
    "olivia": Who("Nowak", "Olivia", "诺奥莉", "F", date(1989, 4, 4), "POL", "PL1000015", "S1", since=20),
    "pedro": Who("Santos", "Pedro", "桑佩德", "M", date(1985, 8, 19), "PRT", "PT1000016", "S1", since=18),
    "rahul": Who("Sharma", "Rahul", "夏拉胡", "M", date(1990, 1, 27), "IND", "IN1000017", "S1", since=22),
    "sofia": Who("Andersson", "Sofia", "安索菲", "F", date(1994, 9, 3), "SWE", "SE1000018", "S1", since=16),
    "tomas": Who("Novak", "Tomáš", "诺托马", "M", date(1982, 6, 14), "CZE", "CZ1000019", "S1", since=24),
    # No application: the compliance scan finds them (residence permit not applied for; overstay).
    "uma": Who("Okafor", "Uma", "奥乌玛", "F", date(1996, 2, 9), "NGA", "NG1000020", "Z", since=50),
    "viktor": Who("Petrov", "Viktor", "彼维克", "M", date(1980, 11, 3), "BGR", "BG1000021", "L", since=45),
    "quentin": Who("Dubois", "Quentin", "杜康坦", "M", date(1988, 2, 11), "FRA", "FR1000022", "Z", since=75),
}
# Where the people without an application are registered (their district's hall sees their alerts).
ACCOMMODATION = {"uma": "No. 8 Beixinqiao Toutiao, Dongcheng District"}


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    first_name: str
    last_name: str
    person: str = ""
    unit: str = ""
    halls: tuple[str, ...] = ()
    unit_admin: bool = False


HALL_DESK = ("reception-hall", "zhongguancun", ONE_STOP)
ACCOUNTS = (
    Account("anna.schmidt", Role.APPLICANT, "Anna", "Schmidt", person="anna"),
    Account("ben.carter", Role.APPLICANT, "Benjamin", "Carter", person="ben"),
    Account("chloe.martin", Role.APPLICANT, "Chloé", "Martin", person="chloe"),
    Account("david.kim", Role.APPLICANT, "Dae-ho", "Kim", person="david"),
    Account("elena.rossi", Role.APPLICANT, "Elena", "Rossi", person="elena"),
    Account("fatima.haddad", Role.APPLICANT, "Fatima", "Haddad", person="fatima"),
    Account("george.brown", Role.APPLICANT, "George", "Brown", person="george"),
    Account("agency.liu", Role.PROXY, "Liu", "Yang", unit="agency"),
    Account("hr.zhang", Role.UNIT, "Zhang", "Wei", unit="employer", unit_admin=True),
    Account("hr.li", Role.UNIT, "Li", "Na", unit="employer"),
    Account("school.sun", Role.UNIT, "Sun", "Li", unit="school", unit_admin=True),
    Account("officer.wang", Role.OFFICER, "Wang", "Fang", halls=HALL_DESK),
    Account("officer.zhao", Role.OFFICER, "Zhao", "Lei", halls=("shijingshan",)),
    Account("supervisor.chen", Role.SUPERVISOR, "Chen", "Jing", halls=HALL_DESK),
    Account("bank.verifier", Role.INSTITUTION, "Demo Bank", "verification desk", unit="bank"),
    Account("admin", Role.ADMINISTRATOR, "Demo", "Administrator"),
)
# The demo's hall-side authenticators: a fixed base32 secret (20 bytes) and three backup codes each. These
# are published here, so they protect nothing: demo data only.
SECOND_FACTORS = {
    "officer.wang": ("DEMOOFFICERWANGXEXITENTRYBEIJING", ("wang2222", "wang3333", "wang4444")),
    "officer.zhao": ("DEMOOFFICERZHAOXEXITENTRYBEIJING", ("zhao2222", "zhao3333", "zhao4444")),
    "supervisor.chen": ("DEMOSUPERVISORCHENEXITENTRYBEIJI", ("chen2222", "chen3333", "chen4444")),
    "admin": ("DEMOADMINISTRATORXEXITENTRYBEIJI", ("admin2222", "admin3333", "admin4444")),
}
ROLE_ZH = {
    Role.APPLICANT: "申请人",
    Role.PROXY: "代办人",
    Role.UNIT: "单位经办人",
    Role.OFFICER: "民警",
    Role.SUPERVISOR: "审批主管",
    Role.INSTITUTION: "核查机构",
    Role.ADMINISTRATOR: "系统管理员",
}


@dataclass(frozen=True)
class Plan:
    """One case: who files it for whom, where, how far it goes, and when (working days before today)."""

    by: str
    person: str
    procedure: str
    hall: str
    until: str
    start: int
    at: dict[str, int] = field(default_factory=dict)  # a step's own day; the steps after follow on
    facts: dict[str, object] = field(default_factory=dict)
    held: str = ""  # the permit type held (residence permit) or "visa", for extensions and endorsements
    notice: bool = False  # goes through a one-time notice of missing materials on the way
    refuse: str = ""  # the Art. 21 ground of a refusal
    open_task: str = ""  # a verification task left open


ANNAS_EXTENSION = "rp-personal-affairs-extension"
# The public notice (Regulations Art. 34(3)): the school's report that many working days ago, the notice two,
# past the holder's own 10 days to report (Exit and Entry Administration Law Art. 33), inside its period.
NOTICE_REPORT_DAYS_AGO, NOTICE_DAYS_AGO = 15, 2
# The resigned employee and the withdrawn student: people on the roster whose valid permit runs more than
# this many days after today (registry.demo plans such permits on both rosters).
ROSTER_DAYS_LEFT = 180
FAMILY = {"ground": "family", "family_relation": "spouse", "visa_category": "S1", "validity": "P2Y"}
L_STAY_DAYS = 30  # the duration of stay an L (tourist) visa of the demo gives
# A visitor asks to stay weeks longer (Regulations Art. 14 caps the extension at the visa's duration of stay).
STAY_LONGER = {"requested_extension_days": L_STAY_DAYS}
PLANS = (
    Plan("anna.schmidt", "anna", "rp-personal-affairs", "reception-hall", State.COLLECTED, 45, facts=FAMILY, notice=True),
    Plan("ben.carter", "ben", "visa-extension", "zhongguancun", State.SUBMITTED, 1, held="visa", facts=STAY_LONGER),
    Plan("hr.zhang", "hiroshi", "one-stop-work-permits", ONE_STOP, State.PRE_EXAMINED, 2),
    Plan("hr.zhang", "isabel", "rp-work", "reception-hall", State.RECEIVED, 3),
    Plan("chloe.martin", "chloe", "rp-personal-affairs", "reception-hall", State.DEFICIENT, 6, facts=FAMILY),
    # Receipt valid 15 working days from 13 working days ago: the decision is due in two.
    Plan("hr.zhang", "jonas", "rp-work", "reception-hall", State.ACCEPTED, 15, at={"accept": 13}, open_task="site_visit"),
    # Receipt valid 15 working days from 22 working days ago: the decision is seven working days late.
    Plan("elena.rossi", "elena", "rp-extension", "reception-hall", State.ACCEPTED, 26, at={"accept": 22}, held="work"),
    Plan("david.kim", "david", "pr-application", "reception-hall", State.MINISTRY_REVIEW, 30),
    Plan("school.sun", "kofi", "study-part-time-endorsement", "zhongguancun", State.APPROVED, 10, held="study"),
    Plan("fatima.haddad", "fatima", "visa-extension", "zhongguancun", State.REFUSED, 12, held="visa", facts={"requested_extension_days": 20}, refuse="refusal-other"),
    Plan("agency.liu", "lucas", "rp-work", "reception-hall", State.ISSUED, 20),
    Plan("george.brown", "george", "pr-application", "reception-hall", State.READY, 60, at={"decide": 12}),
    Plan("agency.liu", "maria", "rp-personal-affairs", "shijingshan", State.RECEIVED, 4, facts=FAMILY),
    # A draft the agency left untouched 50 working days (ten weeks) ago: the day's run closed it as expired
    # (cases.expiry).
    # Her work visa says to apply for a residence permit after entry, as a Z visa does.
    Plan("agency.liu", "nora", "rp-work", "", State.EXPIRED, 50, facts={"visa_requires_residence_permit": True}),
    Plan("agency.liu", "nora", "rp-personal-affairs", "reception-hall", State.WITHDRAWN, 9, facts=FAMILY),
    # A 90-day work permit issued 35 working days ago: its extension is coming due (a reminder to him and
    # to his employer's handler, ``compliance.reminders``).
    Plan("hr.zhang", "quentin", "rp-work", "reception-hall", State.ISSUED, 39, at={"issue": 35}, facts={"validity": "P90D"}),
    # Submitted yesterday, to be booked for the hall's day (``load_demo_appointments``: today's queue, tomorrow).
    *(
        Plan("agency.liu", who, "rp-personal-affairs", "reception-hall", State.SUBMITTED, 1, facts=FAMILY)
        for who in ("olivia", "pedro", "rahul", "sofia", "tomas")
    ),
)  # fmt: skip


class Command(BaseCommand):
    help = "Load the demo data (accounts of every role, cases in every state) once; refuses unless DEBUG or --force."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even though DEBUG is off (never on a production database)",
        )
        parser.add_argument(
            "--code",
            metavar="USERNAME",
            help="print the current second-factor code of a demo officer, supervisor or admin, and nothing else",
        )

    def handle(self, *args, **options) -> None:
        self.verbosity = options["verbosity"]
        if options.get("code"):
            self.stdout.write(demo_code(options["code"]))
            return
        if not (settings.DEBUG or options["force"]):
            raise CommandError(
                "refusing to load demo data: DEBUG is off, so this may be a production database. "
                "Set EXITENTRY_DEBUG=1 for development, or pass --force if you are sure."
            )
        if Unit.objects.filter(credit_code=MARKER).exists():
            self._say(
                f"Demo data already loaded (unit {MARKER} exists): nothing created. 演示数据已存在，未新增。"
            )
            with transaction.atomic():  # a demo loaded before the second factor existed gets it now
                demo_second_factors(User.objects.filter(username__in=SECOND_FACTORS))
                demo_bank()  # and one loaded before status checks, its bank
        else:
            taken = sorted(
                User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
                    "username", flat=True
                )
            )
            if taken:
                raise CommandError(f"demo usernames already taken by other accounts: {', '.join(taken)}")
            with transaction.atomic():
                made = Demo(beijing_today()).load()
            self._say(
                f"Demo data loaded: {made} cases, at least one in every state. "
                f"演示数据已载入：{made}个案件，涵盖每一种状态。"
            )
        self._say(accounts_table())

    def _say(self, text: str) -> None:
        if self.verbosity > 0:
            self.stdout.write(text)


class Demo:
    """Makes the demo data once, in the caller's transaction: :meth:`load` returns how many cases it made."""

    def __init__(self, today: date):
        self.today = today
        self.calendar = official_calendar()
        self.units: dict[str, Unit] = {}
        self.people: dict[str, Person] = {}
        self.users: dict[str, User] = {}
        self.visas: dict[int, Visa] = {}
        self.files = 0
        self.hall: Hall | None = None  # the hall of the case being replayed (``_clocked``)
        self.instant: datetime | None = None  # the replayed clock's instant (``_stamp``)

    def day(self, working_days_ago: int) -> date:
        """The working day so many before today; today itself for none, unless the halls are closed today
        (a weekend or holiday: their counters take nothing), then the last working day before it."""
        if working_days_ago <= 0 and self.calendar.is_working_day(self.today):
            return self.today
        return self.calendar.add_working_days(self.today, -max(working_days_ago, 1)).date

    def actor(self, username: str) -> Actor:
        return Actor(self.users[username], "127.0.0.1")

    # --- what no service makes: units, people, accounts --------------------------------------------

    def load(self) -> int:
        for key, (name, name_zh, kind, code) in UNITS.items():
            unit = Unit(name=name, name_zh=name_zh, kind=kind, credit_code=code)
            unit.full_clean()
            unit.save()
            record(
                SYSTEM, "unit.create", "unit", unit.pk, new={"name": name, "kind": kind, "credit_code": code}
            )
            self.units[key] = unit
        for key, who in PEOPLE.items():
            self.people[key] = self._person(who)
        for key, address in ACCOMMODATION.items():
            AccommodationRegistration.objects.create(
                person=self.people[key],
                address=address,
                registered_on=self.today - timedelta(days=PEOPLE[key].since - 1),
                registered_with="Dongcheng Police Station",
            )
        hashed = make_password(PASSWORD)
        for a in ACCOUNTS:
            self.users[a.username] = self._user(a, hashed)
        demo_second_factors(self.users[name] for name in SECOND_FACTORS)
        made = 0
        with clock.replaying() as self.stamp:  # each step's records carry the day the step claims
            for plan in PLANS:
                self._case(plan)
                made += 1
            demo_permits.load(self.people["david"], self.today, self.stamp)  # every state in My permits
            demo_permits.load_rosters(self.units["employer"], self.units["school"], self.today, self.stamp)
        # The permit Anna collected is due for extension: her draft is on it, with the procedure the
        # extension guide points a personal-affairs holder in Beijing to. It does not yet say how long a
        # permit she asks for, so the draft asks, and the health certificate waits on that answer.
        anna = self.people["anna"]
        permit = Permit.objects.filter(person=anna, kind="residence-permit").get()
        extension = catalog().procedure(ANNAS_EXTENSION)
        # She answers as she did on her first application (a spouse holding an S1 visa, not the first
        # option of every question) and her stay so far has a good record.
        story = {**eligible_facts(ANNAS_EXTENSION, self.today), **FAMILY, "good_stay_record": True}
        facts = _typed(story, anna, extension, permit, self.today)
        facts.pop("validity", None)
        draft = services.start_case(
            self.actor("anna.schmidt"),
            procedure_id=ANNAS_EXTENSION,
            person=anna,
            facts=facts,
            permit=permit,
            on=self.today,
        )
        self._upload(self.users["anna.schmidt"], draft, self.today, items=("application-form",))
        self._new_passport(anna, self.today - timedelta(days=7))
        filed = self.day(1)  # the reports: the last working day, one after the other in its office hours
        unit_at, holder_at = step_instants("reports", [filed, filed], None)
        with clock.replaying() as self.stamp:
            self._stamp(unit_at)
            self._resignation(self.units["employer"], filed)
            self._stamp(holder_at)
            # the change a week before, or before the filing day where a long holiday came between
            self._reason_changed(permit, min(self.today - timedelta(days=8), filed - timedelta(days=1)))
            self._public_notice(self.units["school"])
        # The day's compliance scan and reminders, as the worker runs them: the halls' alerts
        # (compliance.scan), the people's and units' reminders (compliance.reminders).
        scan(self.today)
        remind(self.today)
        # The draft expiry's runs, as the worker runs them and at its hour: a week ago's reminded, the
        # day's closes.
        run = next(p for p in periodic_tasks() if p.name == "draft-expiry")
        with clock.replaying() as stamp:
            for day in (self.today - expiry.REMIND_AHEAD, self.today):
                stamp(run.last_due(datetime.combine(day, time.max, BEIJING)))
                expiry.run(day)
        return made + 1

    def _on_roster(self, unit: Unit, permit_type: str, plan: str) -> Affiliation:
        """The first person on ``unit``'s roster whose valid residence permit of ``permit_type`` runs more
        than ``ROSTER_DAYS_LEFT`` days from today; a ``CommandError`` saying so where the roster
        (``registry.demo``'s ``plan``) has none."""
        member = (
            Affiliation.objects.filter(
                unit=unit,
                ended_on=None,
                person__permits__permit_type=permit_type,
                person__permits__status=Permit.Status.VALID,
                person__permits__valid_until__gt=self.today + timedelta(days=ROSTER_DAYS_LEFT),
            )
            .order_by("pk")
            .first()
        )
        if member is None:
            raise CommandError(
                f"the demo cannot be loaded: {unit.name} has no one on its roster with a valid "
                f"{permit_type}-type residence permit running more than {ROSTER_DAYS_LEFT} days from "
                f"{self.today}; plan one in registry.demo.{plan}. Nothing was created."
            )
        return member

    def _resignation(self, employer: Unit, filed: date) -> None:
        """An employee who resigned two days before the employer reported it on ``filed`` (Art. 26(1)): its
        receipt on ``/unit/reports/``, the hall's follow-up of the permit whose basis ended on
        ``/console/alerts/``."""
        leaver = self._on_roster(employer, "work", "EMPLOYEE_DAYS")
        draft = unit_reports.Draft(leaver.person_id, "employee-resigned", filed - timedelta(days=2))
        unit_reports.file_report(self.actor("hr.zhang"), employer, draft, source=UnitReport.Source.WEB)

    def _public_notice(self, school: Unit) -> None:
        """A student who withdrew, whom the school reported promptly (Regulations Art. 26(2): "promptly",
        with no set number of days; here a working day later), and who did not report the change of the
        reason for residence in the Law's 10 days (Art. 33): the hall published the notice that comes
        before voiding the study permit (Regulations Art. 34(3)), the content of the public ``/notices/``
        page."""
        student = self._on_roster(school, "study", "STUDENT_DAYS")
        filed, published = self.day(NOTICE_REPORT_DAYS_AGO), self.day(NOTICE_DAYS_AGO)
        filed_at, published_at = step_instants("notice", [filed, published], None)
        self._stamp(filed_at)
        withdrew = unit_reports.Draft(
            student.person_id, "student-withdrew", self.day(NOTICE_REPORT_DAYS_AGO + 1)
        )
        unit_reports.file_report(self.actor("school.sun"), school, withdrew, source=UnitReport.Source.WEB)
        self._stamp(published_at)
        permit = Permit.objects.get(
            person_id=student.person_id, permit_type="study", status=Permit.Status.VALID
        )
        notices.publish(self.actor("officer.wang"), permit, on=published)

    def _reason_changed(self, permit: Permit, changed_on: date) -> None:
        """Anna reports that her reason for residence changed (Art. 33): the receipt on her permit's page,
        the Art. 33 duty dated and reminded from that day, the hall's follow-up on ``/console/alerts/``."""
        change_reports.file(
            self.actor("anna.schmidt"),
            permit,
            "reason",
            changed_on,
            "The family reunion ended; I now work for a Beijing employer.",
            source=ChangeReport.Source.WEB,
        )

    def _new_passport(self, person: Person, issued: date) -> None:
        """A new passport since the residence permit, given online by its holder with her draft: a claim
        until the hall checks it at intake (``TravelDocument.claim``): her pages list it as awaiting that
        check; the scan and the reminders count it once the hall confirms it."""
        old = person.travel_documents.get()
        doc = TravelDocument.objects.create(
            person=person,
            number=f"{old.number[:-1]}9",
            issuing_country=old.issuing_country,
            issued_on=issued,
            expires_on=issued + timedelta(days=3652),
            claim=True,
        )
        record(
            self.actor("anna.schmidt"),
            "person.document",
            "person",
            person.pk,
            new={"number": doc.number, "country": doc.issuing_country, "claim": doc.claim},
        )

    def _person(self, who: Who) -> Person:
        person = Person.objects.create(
            surname=who.surname,
            given_names=who.given_names,
            chinese_name=who.chinese_name,
            sex=who.sex,
            birth_date=who.birth_date,
            nationality=who.nationality,
        )
        entered = self.today - timedelta(days=who.since)
        issued = min(self.today - timedelta(days=3 * 365), entered - timedelta(days=400))
        passport = TravelDocument.objects.create(
            person=person,
            number=who.passport,
            issuing_country=who.nationality,
            issued_on=issued,
            expires_on=issued + timedelta(days=3652),  # ten years
        )
        self.visas[person.pk] = visa = Visa.objects.create(
            person=person,
            travel_document=passport,
            number=f"V{who.passport}",
            category=who.visa,
            entries=1,
            duration_of_stay_days=L_STAY_DAYS if who.visa == "L" else 0,
            valid_from=entered - timedelta(days=30),
            valid_until=entered + timedelta(days=60),
            residence_permit_within_days=None if who.visa == "L" else 30,
        )
        EntryExit.objects.create(
            person=person,
            direction="entry",
            on=entered,
            port="PEK",  # Beijing Capital International Airport (registry.ports)
            travel_document=passport,
        )
        record(
            SYSTEM,
            "person.create",
            "person",
            person.pk,
            new={"name": str(person), "passport": passport.number, "visa": visa.number},
        )
        return person

    def _user(self, a: Account, hashed: str) -> User:
        admin = a.role == Role.ADMINISTRATOR
        user = User.objects.create(
            username=a.username,
            password=hashed,
            role=a.role,
            first_name=a.first_name,
            last_name=a.last_name,
            email=f"{a.username}@example.org",
            person=self.people[a.person] if a.person else None,
            unit=self.units[a.unit] if a.unit else None,
            is_staff=admin,
            is_superuser=admin,
            is_unit_admin=a.unit_admin,
        )
        for hall in a.halls:
            HallAssignment.objects.create(user=user, hall_id=hall)
        record(
            SYSTEM,
            "user.create",
            "user",
            user.pk,
            new={
                "username": a.username,
                "role": a.role,
                "unit": a.unit,
                "unit_admin": a.unit_admin,
                "halls": list(a.halls),
            },
        )
        return user

    def _held_permit(self, plan: Plan, person: Person) -> Permit:
        """The permit an extension or endorsement acts on, as the registry holds it before the case."""
        visa = self.visas[person.pk]
        if plan.held == "visa":
            kind, number, issued, until = "visa", visa.number, visa.valid_from, visa.valid_until
        else:
            kind, number = "residence-permit", f"E{PEOPLE[plan.person].passport}"
            issued, until = visa.valid_from + timedelta(days=50), self.today + timedelta(days=40)
        hall = catalog().halls.get(plan.hall) if kind != "visa" else None  # a visa: a consulate's hours
        self._stamp(step_instants(f"{_key(plan)}:held", [issued], hall)[0])
        permit = registry.issue_permit(
            person,
            kind,
            number=number,
            issued_on=issued,
            valid_until=until,
            permit_type="" if kind == "visa" else plan.held,
        )
        record(SYSTEM, "permit.create", "permit", permit.pk, new={"kind": kind, "number": number})
        return permit

    # --- cases, through the services ---------------------------------------------------------------

    def _case(self, plan: Plan) -> Case:
        user, person = self.users[plan.by], self.people[plan.person]
        procedure = catalog().procedure(plan.procedure)
        clerk = self.actor("officer.zhao" if plan.hall == "shijingshan" else "officer.wang")
        permit = self._held_permit(plan, person) if plan.held else None
        days = self._clocked(plan, self._ladder(plan, procedure))
        on = next(days)
        facts = _typed({**eligible_facts(plan.procedure, on), **plan.facts}, person, procedure, permit, on)
        me = Actor(user, "127.0.0.1")
        first = user.person_id != person.pk and not person.cases.exists()  # the filer enters them now
        case = services.start_case(
            me, procedure_id=plan.procedure, person=person, facts=facts, permit=permit, on=on, entered=first
        )
        partial = plan.notice or plan.until == State.DEFICIENT
        self._upload(user, case, on, limit=2 if partial else None)
        if plan.until == State.EXPIRED:
            return case
        self._later(14)  # the form filled in and the materials uploaded
        services.submit(me, case, plan.hall, on=on)
        if case.state == plan.until:
            return case
        if plan.until == State.WITHDRAWN:
            services.withdraw(me, case, on=next(days))
            return case
        if lifecycle.has_pre_examination(procedure):
            services.pre_examine(clerk, case, on=next(days))
            if case.state == plan.until:
                return case
        received = next(days)
        changes = hall_changes(case.hall_id, received)
        services.receive(clerk, case, changes=changes, applicant_present=True, on=received)
        if partial:
            services.notify_deficiency(clerk, case, on=next(days))
            if plan.until == State.DEFICIENT:
                return case
            on = next(days)
            self._upload(user, case, on)
            services.resubmit(me, case, on=on)
        if plan.until == State.RECEIVED:
            return case
        on = next(days)
        for item in services.originals_unseen(case, on):  # the officer sees them at the counter
            for material in case.materials.filter(material_id=item.id):
                services.mark_material(clerk, material, original_seen=True)
        early = services.fee_of(case, on).outstanding_at_acceptance  # paid before the receipt is issued
        if early:
            services.record_payment(clerk, case, early, Payment.Method.CARD, on=on)
            self._later(2)
        services.accept(clerk, case, on=on, changes=hall_changes(case.hall_id, on))
        self._later(7)
        task = services.open_task(clerk, case, "interview")
        self._later(15)
        services.close_task(clerk, task, INTERVIEW_OUTCOME)
        if plan.open_task:
            services.open_task(clerk, case, plan.open_task)
        if plan.until == State.ACCEPTED:
            return case
        decider = clerk
        if lifecycle.needs_ministry(procedure):
            self._later(10)
            services.forward_to_ministry(clerk, case)
            decider = self.actor("supervisor.chen")
            if plan.until == State.MINISTRY_REVIEW:
                return case
        on = next(days)
        if plan.refuse:
            services.decide(decider, case, "refused", ground_id=plan.refuse, on=on)
            return case
        services.decide(decider, case, "approved", validity=self._validity(case, procedure, on), on=on)
        rest = services.fee_of(case, on).outstanding  # due once approved (``law.model.FEE_CHARGED``)
        if rest and plan.until in (State.ISSUED, State.READY, State.COLLECTED):
            self._later(5)
            services.record_payment(clerk, case, rest, Payment.Method.CARD, on=on)
        for service in (services.issue, services.mark_ready, services.collect):
            if case.state == plan.until:
                break
            service(clerk, case, on=next(days))
        return case

    def _ladder(self, plan: Plan, procedure) -> list[date]:
        """The day of each step: one working day after the one before, unless ``plan.at`` names it; a visit
        to the hall (``VISITS``) on the last day on or before it that the hall opens (``last_opening_day``:
        not a make-up working Sunday, say), so no visit meets the closed-counter refusal."""
        steps = [
            "start",
            "pre_examine",
            "receive",
            "notify",
            "resubmit",
            "accept",
            "decide",
            "issue",
            "mark_ready",
            "collect",
        ]
        if not lifecycle.has_pre_examination(procedure):
            steps.remove("pre_examine")
        if not (plan.notice or plan.until == State.DEFICIENT):
            steps.remove("notify")
            steps.remove("resubmit")
        if plan.until == State.WITHDRAWN:
            steps = ["start", "withdraw"]
        if plan.until == State.EXPIRED:
            steps = ["start"]
        hall = catalog().halls.get(plan.hall)  # none for a draft that never reached a hall
        ago, days = plan.start, []
        for step in steps:
            ago = plan.at.get(step, ago)
            day = self.day(ago)
            days.append(last_opening_day(hall, day) if step in VISITS else day)
            ago -= 1
        return days

    def _clocked(self, plan: Plan, days: list[date]) -> Iterator[date]:
        """The step days in turn; each sets the replayed clock to its step's instant in the hall's hours
        (``demo_times``), so a case's history reads in the order, on the days and at the times its steps
        were taken."""
        self.hall = catalog().halls.get(plan.hall)
        for day, instant in zip(days, step_instants(_key(plan), days, self.hall), strict=True):
            self._stamp(instant)
            yield day

    def _stamp(self, instant: datetime) -> None:
        self.instant = instant
        self.stamp(instant)

    def _later(self, minutes: int) -> None:
        """What follows the step on the same visit, ``minutes`` of the hall's hours later."""
        self._stamp(later(self.instant, minutes, self.hall))

    def _validity(self, case: Case, procedure, on: date) -> str:
        held = case.permit.permit_type if case.permit else None
        return approval_validity(procedure.casework, held, case.facts, case.person.birth_date, on)

    def _upload(
        self, user: User, case: Case, on: date, limit: int | None = None, items: tuple[str, ...] = ()
    ) -> None:
        """Small PDFs for ``items``, else what is still outstanding (all of it, or the first ``limit``)."""
        items = items or tuple(d.item.id for d in services.outstanding(case, on))
        for material_id in items[:limit]:
            self.files += 1
            content = sample_pdf(f"exitentry demo: case {case.pk}, {material_id}, file {self.files}")
            upload = SimpleUploadedFile(f"{material_id}.pdf", content, content_type="application/pdf")
            services.upload_material(Actor(user, "127.0.0.1"), case, material_id, upload, on=on)


# --- the accounts table ------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table() -> str:
    """Every demo account: username, role, where they work, and the one password (English and Chinese)."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a.username for a in ACCOUNTS]).select_related(
            "unit", "person"
        )
    }
    header = ("username 用户名", "role 角色", "hall, unit or person 大厅、单位或本人", "password 密码")
    rows = [header]
    for a in ACCOUNTS:
        user = users.get(a.username)
        if user is None:
            continue
        if a.halls:
            where = ", ".join(sorted(user.halls.values_list("hall_id", flat=True)))
        elif user.unit is not None:
            where = f"{user.unit.name} {user.unit.name_zh}".strip()
            if user.is_unit_admin:
                where += " · administrator 管理员"
        elif user.person is not None:
            where = f"{user.person} {user.person.chinese_name}".strip()
        elif a.role == Role.ADMINISTRATOR:
            where = "/admin/ · Django admin 后台管理"
        else:
            where = f"{user.first_name} {user.last_name}".strip()
        rows.append((a.username, f"{a.role} {ROLE_ZH[a.role]}", where, PASSWORD))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(
        f"Every demo account signs in with the password {PASSWORD} / 所有演示账户的密码均为 {PASSWORD}"
    )
    return "\n".join(lines) + second_factor_table(users)


def demo_bank() -> None:
    """Attach ``bank.verifier`` to the demo bank, made if missing (a demo loaded before status checks)."""
    name, name_zh, kind, code = UNITS["bank"]
    bank, made = Unit.objects.get_or_create(
        credit_code=code, defaults={"name": name, "name_zh": name_zh, "kind": kind}
    )
    if made:
        record(SYSTEM, "unit.create", "unit", bank.pk, new={"name": name, "kind": kind, "credit_code": code})
    desk = User.objects.filter(username="bank.verifier", role=Role.INSTITUTION, unit__isnull=True).first()
    if desk is not None:
        desk.unit = bank
        desk.save(update_fields=["unit"])
        record(SYSTEM, "user.change", "user", desk.pk, old={"unit": None}, new={"unit": bank.pk})


def demo_second_factors(users) -> None:
    """Give each demo hall-side account without an authenticator its demo one, with its backup codes."""
    for user in users:
        if second_factor.has_device(user):
            continue
        secret, codes = SECOND_FACTORS[user.username]
        TOTPDevice.objects.create(
            user=user, name=second_factor.AUTHENTICATOR, key=b32decode(secret).hex(), confirmed=True
        )
        backup, _ = StaticDevice.objects.get_or_create(
            user=user, name=second_factor.BACKUP, defaults={"confirmed": True}
        )
        backup.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
        record(SYSTEM, "account.second_factor.enrol", "user", user.pk, new={"demo": True})


def demo_code(username: str) -> str:
    """The code a demo account's authenticator shows now (from its published secret), and until when."""
    if username not in SECOND_FACTORS:
        raise CommandError(
            f"{username!r} has no demo second factor; the accounts that have one: {', '.join(SECOND_FACTORS)}"
        )
    code = totp(b32decode(SECOND_FACTORS[username][0]))  # django-otp's, at the time of the call
    left = 30 - int(wall_clock.time()) % 30
    return f"{code:06d}  · {username}: valid for about {left} more seconds / 约{left}秒内有效"


def second_factor_table(users: dict[str, User]) -> str:
    """What a newcomer needs to sign in as a demo officer, supervisor or the admin: the second factor."""
    rows = [("username 用户名", "authenticator secret 身份验证器密钥", "backup codes 备用码")]
    uris = []
    for name, (secret, _) in SECOND_FACTORS.items():
        user = users.get(name)
        if user is None:
            continue
        device = second_factor.authenticator(user)
        if device is None or device.key != b32decode(secret).hex():
            rows.append((name, "set up by its user / 已由本人设置", ""))
            continue
        left = StaticToken.objects.filter(device__user=user).order_by("token").values_list("token", flat=True)
        rows.append(
            (
                name,
                " ".join(secret[i : i + 4] for i in range(0, 32, 4)),
                " ".join(left) or "all used / 已用完",
            )
        )
        uris.append(f"  {name}: {device.config_url}")
    if len(rows) == 1:
        return ""
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(
        [
            "",
            "Officers, supervisors and the admin then give a second factor: the six digits of an authenticator",
            "app (add the account with the secret below, or scan one of the links as a QR code), or a backup",
            "code, each once. These secrets are published with the demo: demo data only.",
            "民警、审批主管和系统管理员还须输入第二重验证：身份验证器应用中的六位验证码（用下列密钥添加账户），",
            "或一个备用码（每个仅能使用一次）。这些密钥随演示数据公开，仅供演示。",
            *lines,
            "otpauth links / 链接：",
            *uris,
            "No authenticator app? / 没有身份验证器应用？  exitentry demo --code officer.wang",
        ]
    )


def _typed(facts: dict, person: Person, procedure, permit: Permit | None, on: date) -> dict:
    """The facts a person would type: those the registry holds are left for the case to take from it."""
    held = registry_facts.held(person, procedure, permit, on)
    return {name: value for name, value in facts.items() if name not in held}


def _key(plan: Plan) -> str:
    """What spreads a case's step times (``demo_times``): the same on every load, apart for each case."""
    return f"{plan.person}:{plan.procedure}"
