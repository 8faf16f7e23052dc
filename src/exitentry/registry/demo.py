"""Demo permits for one holder, so "My permits" shows every state: in force, expiring, expired and void.

Dae-ho Kim (``david.kim``) has lived in Beijing for years: a work-type residence permit extended once and
now inside its last 30 days (expiring), the one-stop work permit that goes with it (in force), the study
residence permit he held before (expired), and a visa recorded as a permit that was declared void when
it was lost (Art. 34(1)). Everything goes through ``registry.services``, each event stamped on its own
day, and is audited as made by "system", as the demo's people are.

The demo employer's and school's rosters (``load_rosters``): a few dozen foreign staff and students whose
permits run out within 30, 60 or 90 days, later, already ran out, or were declared void, so the unit's
portal has every filter to show. Each has a passport of their nationality (``D`` and eight digits), so an
institution can check them (Art. 27) and the units' pages show its number.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from exitentry.accounts.audit import Actor, record
from exitentry.demo_times import step_instants
from exitentry.registry import roster, services
from exitentry.registry.models import Permit, Person, TravelDocument, Visa

SYSTEM = Actor(None, None)
HOLDER = "david.kim"
WORK_PERMIT_DAYS_LEFT = 200
LOST = "void-damaged-lost-stolen-robbed"  # Art. 34(1)
EXPIRING_DAYS_LEFT = 20  # inside the residence permit's last 30 days: its extension is late


def load(person: Person, today: date, stamp: Callable[[datetime], None]) -> list[Permit]:
    """Record the holder's permits as of ``today``; ``stamp`` sets the day each event is recorded on."""

    def on(days: int) -> date:
        """``days`` after today (before it when negative), with the records stamped in its office hours."""
        day = today + timedelta(days=days)
        stamp(step_instants(f"{HOLDER}:{days}", [day], None)[0])
        return day

    def issued(kind: str, number: str, issued: int, until: int, permit_type: str = "") -> Permit:
        permit = services.issue_permit(
            person,
            kind,
            number=number,
            issued_on=on(issued),
            valid_until=today + timedelta(days=until),
            permit_type=permit_type,
        )
        record(SYSTEM, "permit.create", "permit", permit.pk, new={"kind": kind, "number": number})
        return permit

    study = issued("residence-permit", "EKR2019S0004", -2300, -1200, "study")
    lost = issued("visa", "VKR2021M0004", -900, 200)
    _visa_of(lost, "M")  # the visa itself, so its category shows beside the permit that records it
    services.end_permit(lost, Permit.Status.VOID, LOST, on=on(-400))
    record(SYSTEM, "permit.void", "permit", lost.pk, new={"ground_id": LOST})
    work = issued("residence-permit", "EKR2024W0004", -720, -355, "work")
    on(-380)
    services.change_permit(work, "extension", valid_until=today + timedelta(days=EXPIRING_DAYS_LEFT))
    return [study, lost, work, issued("work-permit", "WKR2024000004", -720, WORK_PERMIT_DAYS_LEFT)]


def _visa_of(permit: Permit, category: str) -> None:
    """The registry's visa of a visa recorded as a permit: same number and dates, on the holder's passport."""
    visa = Visa(
        person=permit.person,
        travel_document=permit.person.travel_documents.order_by("issued_on", "pk").first(),
        number=permit.number,
        category=category,
        entries=0,
        duration_of_stay_days=0,
        valid_from=permit.issued_on,
        valid_until=permit.valid_until,
    )
    visa.full_clean()
    visa.save()
    record(SYSTEM, "visa.create", "visa", visa.pk, new={"number": visa.number, "category": category})


# --- the demo employer's and school's rosters ----------------------------------------------------------

SURNAMES = (
    "Müller", "Dubois", "Rossi", "García", "Novak", "Nielsen", "Kowalski", "Silva", "Smith", "Jones",
    "Tanaka", "Park", "Nguyen", "Khan", "Okafor", "Mensah", "Haddad", "Ivanov", "Larsen", "Costa",
    "Fischer", "Moreau", "Bianchi", "López", "Horvat", "Berg", "Wójcik", "Santos", "Taylor", "Brown",
    "Sato", "Choi", "Tran", "Ali", "Adeyemi", "Owusu", "Nasser", "Petrova", "Olsen", "Pereira",
)  # fmt: skip
GIVEN = ("Anna", "Ben", "Clara", "David", "Eva", "Felix", "Grace", "Hugo", "Ines", "Jonas", "Kim", "Lena")
NATIONALITIES = (
    "DEU", "FRA", "ITA", "ESP", "CZE", "DNK", "POL", "BRA", "GBR", "USA",
    "JPN", "KOR", "VNM", "PAK", "NGA", "GHA", "LBN", "RUS", "NOR", "PRT",
)  # fmt: skip
# Days from today to each person's permit's last day: within 30, 60 and 90 days, further off, expired
# (negative), and "void" for a permit declared void after it was lost (Art. 34(1)).
EMPLOYEE_DAYS = (
    5, 12, 19, 26, 29, 33, 41, 48, 55, 59, 63, 70, 77, 84, 88,
    120, 150, 200, 260, 320, 400, 540, 700, -4, -18, -60, "void", "void",
)  # fmt: skip
STUDENT_DAYS = (9, 22, 37, 52, 66, 81, 140, 230, 330, 450, -9, -45, "void")


def load_rosters(employer, school, today: date, stamp: Callable[[datetime], None]) -> int:
    """People on the demo employer's and school's rosters, with work-type (and, for every other
    employee, the one-stop work permit) or study residence permits whose last days fall within 30, 60
    and 90 days, further off, in the past, or were declared void; returns how many."""
    made = 0
    for relation, unit, plan in (("employee", employer, EMPLOYEE_DAYS), ("student", school, STUDENT_DAYS)):
        for n, days in enumerate(plan):
            made += 1
            stamp(step_instants(f"{relation}:{n}", [today - timedelta(days=400)], None)[0])
            person = Person.objects.create(
                surname=SURNAMES[(made * 7) % len(SURNAMES)],
                given_names=GIVEN[made % len(GIVEN)],
                sex="F" if made % 2 else "M",
                birth_date=date(1975 + made % 25, 1 + made % 12, 1 + made % 27),
                nationality=NATIONALITIES[made % len(NATIONALITIES)],
            )
            record(SYSTEM, "person.create", "person", person.pk, new={"name": str(person)})
            _passport(person, today - timedelta(days=400 + 73 * (made % 20)))
            _roster_permits(person, relation, n, days, today, stamp)
            since = today - timedelta(days=360 + 11 * n)
            roster.join(SYSTEM, person.pk, unit, relation, since)
    return made


def _passport(person: Person, issued: date) -> None:
    """A ten-year passport of the person's nationality, issued before anything else of theirs."""
    doc = TravelDocument(
        person=person,
        number=f"D{person.pk:08d}",
        issuing_country=person.nationality,
        issued_on=issued,
        expires_on=issued + timedelta(days=3652),
    )
    doc.full_clean()
    doc.save()
    record(
        SYSTEM,
        "person.document",
        "person",
        person.pk,
        new={"number": doc.number, "country": doc.issuing_country},
    )


def _roster_permits(person: Person, relation: str, n: int, days, today: date, stamp) -> None:
    issued = today - timedelta(days=330)
    until = today + timedelta(days=100 if days == "void" else days)
    stamp(step_instants(f"{relation}:{n}:issued", [issued], None)[0])
    kind_type = "work" if relation == "employee" else "study"
    number = f"D{kind_type[0].upper()}{person.pk:07d}"
    permit = services.issue_permit(
        person, "residence-permit", number=number, issued_on=issued, valid_until=until, permit_type=kind_type
    )
    record(SYSTEM, "permit.create", "permit", permit.pk, new={"kind": permit.kind, "number": number})
    if relation == "employee" and n % 2 == 0 and days != "void":
        work = services.issue_permit(
            person, "work-permit", number=f"DWP{person.pk:07d}", issued_on=issued, valid_until=until
        )
        record(SYSTEM, "permit.create", "permit", work.pk, new={"kind": work.kind, "number": work.number})
    if days == "void":
        stamp(step_instants(f"{relation}:{n}:void", [today - timedelta(days=20)], None)[0])
        services.end_permit(permit, Permit.Status.VOID, LOST, on=today - timedelta(days=20))
        record(SYSTEM, "permit.void", "permit", permit.pk, new={"ground_id": LOST})
