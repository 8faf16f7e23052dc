"""A mandate ends: a proxy, agency or unit reads a registry person (permits, documents, movements,
enforcement records) while it has a case for them that is not closed, and for 30 days after the last one
closed; a unit also while the person is on its roster. Its own cases stay visible as its history.

Every page and API endpoint that reads a person is asked for every filer and situation; the expected
answers and the 30 days are written here, not read from the rule under test. Today is pinned to TODAY.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from advisor_forms import as_answers, form_with_class, hidden_fields, new_person
from django.test import Client

from case_helpers import client_for, hall_receives, pdf, started, submitted
from exitentry.accounts.models import Role
from exitentry.cases import access, services
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.registry import services as registry
from exitentry.registry.models import Permit, TravelDocument
from factories import (
    TODAY,
    AffiliationFactory,
    PermitFactory,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    actor,
    applicant,
    eligible_facts,
    officer,
)

pytestmark = pytest.mark.django_db
GRACE = 30  # days after the last case closed: the policy, restated here on purpose
DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr("exitentry.cases.access.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.cases.services.drafts.beijing_today", lambda: TODAY)
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: TODAY)


def filer(role: str):
    if role == "proxy":
        return UserFactory(role=Role.PROXY, unit=UnitFactory(kind="agency"))
    return UserFactory(role=Role.UNIT, unit=UnitFactory())


def person():
    someone = PersonFactory()
    PermitFactory(
        person=someone, kind="visa", permit_type="", issued_on=TODAY - 30 * DAY, valid_until=TODAY + 60 * DAY
    )
    return someone


def closed(case: Case, state: str, days_ago: int) -> Case:
    """Close ``case`` ``days_ago`` days before TODAY: withdrawn through the service, refused or
    collected as the hall's steps leave it (closed on the day of the decision, of the collection)."""
    on = TODAY - days_ago * DAY
    if state == State.WITHDRAWN:
        return services.withdraw(actor(case.submitted_by), case, on=on)
    decided = {"decided_on": on} if state == State.REFUSED else {}
    Case.objects.filter(pk=case.pk).update(state=state, closed_on=on, **decided)
    case.refresh_from_db()
    return case


def _open(user):
    p = person()
    submitted(user, "rp-work", person=p)
    return p


def _draft(user):
    p = person()
    started(user, "rp-work", person=p)
    return p


def _closed(state: str, days_ago: int):
    def make(user):
        p = person()
        closed(submitted(user, "rp-work", person=p), state, days_ago)
        return p

    return make


def _old_and_new(user):
    p = _draft(user)  # the old case another procedure's: one open draft per person and procedure
    closed(submitted(user, "rp-personal-affairs", person=p), State.COLLECTED, 400)
    return p


def _on_roster(user):
    p = person()
    AffiliationFactory(person=p, unit=user.unit, started_on=TODAY - 500 * DAY)
    return p


def _on_roster_old_case(user):
    p = _closed(State.COLLECTED, 400)(user)
    AffiliationFactory(person=p, unit=user.unit, started_on=TODAY - 500 * DAY)
    return p


def _left_roster(user):
    p = _closed(State.COLLECTED, 400)(user)
    AffiliationFactory(person=p, unit=user.unit, started_on=TODAY - 500 * DAY, ended_on=TODAY - DAY)
    return p


def _never(user):
    return person()


# situation -> (how it is made for a filer, whether the filer reads the person, which filers it applies to)
SITUATIONS = {
    "open case": (_open, True, ("proxy", "unit")),
    "draft": (_draft, True, ("proxy", "unit")),
    "withdrawn 30 days ago": (_closed(State.WITHDRAWN, GRACE), True, ("proxy", "unit")),
    "withdrawn 31 days ago": (_closed(State.WITHDRAWN, GRACE + 1), False, ("proxy", "unit")),
    "refused 10 days ago": (_closed(State.REFUSED, 10), True, ("proxy", "unit")),
    "refused 31 days ago": (_closed(State.REFUSED, GRACE + 1), False, ("proxy", "unit")),
    "collected 30 days ago": (_closed(State.COLLECTED, GRACE), True, ("proxy", "unit")),
    "collected a year ago": (_closed(State.COLLECTED, 400), False, ("proxy", "unit")),
    "collected long ago, a new draft": (_old_and_new, True, ("proxy", "unit")),
    "on the roster": (_on_roster, True, ("unit",)),
    "on the roster, an old case": (_on_roster_old_case, True, ("unit",)),
    "left the roster yesterday": (_left_roster, False, ("unit",)),
    "never": (_never, False, ("proxy", "unit")),
}
MATRIX = [(role, name) for name, (_, _, roles) in SITUATIONS.items() for role in roles]


def api(client: Client, method: str, path: str, body: dict | None = None):
    if method == "get":
        return client.get(f"/api/v1{path}")
    return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize(("role", "situation"), MATRIX)
def test_pages_and_api_read_a_person_only_within_the_mandate(role: str, situation: str) -> None:
    user = filer(role)
    make, reads, _ = SITUATIONS[situation]
    someone = make(user)
    permit = Permit.objects.get(person=someone)
    browser = client_for(user)
    where = f"{role}, {situation}"
    listed = browser.get("/en/my/permits/").content.decode()
    assert (f"/en/my/people/{someone.pk}/permits/" in listed) == reads, where
    offered = browser.get("/en/apply/rp-work/", answers()).content.decode()
    assert "Who is this application for?" in offered, where
    assert (f'name="person" value="{someone.pk}"' in offered) == reads, where
    seen, hidden = (200, 404)
    expected = seen if reads else hidden
    assert browser.get(f"/en/my/people/{someone.pk}/permits/").status_code == expected, where
    assert browser.get(f"/en/my/permits/{permit.pk}/").status_code == expected, where
    assert api(browser, "get", f"/people/{someone.pk}").status_code == expected, where
    assert api(browser, "get", f"/permits/{permit.pk}").status_code == expected, where
    # enforcement records are the hall's: a person the filer reads is 403 there, one it does not is 404
    assert api(browser, "get", f"/people/{someone.pk}/enforcement").status_code == (403 if reads else 404), (
        where
    )
    passport = {"number": "C0" + f"{someone.pk:07d}", "issuing_country": "DEU"}
    passport |= {"issued_on": "2021-04-01", "expires_on": "2031-03-31"}
    recorded = api(browser, "post", f"/people/{someone.pk}/travel-documents", passport)
    assert recorded.status_code == (201 if reads else 404), where
    assert TravelDocument.objects.filter(person=someone).exists() == reads, where
    for case in Case.objects.filter(person=someone):  # its own cases stay its history
        assert browser.get(f"/en/my/{case.pk}/").status_code == 200, where
        assert api(browser, "get", f"/cases/{case.pk}").status_code == 200, where


@pytest.mark.parametrize(("role", "situation"), MATRIX)
@pytest.mark.parametrize("channel", ["web", "api"])
def test_a_new_case_for_a_person_outside_the_mandate_is_refused(
    role: str, situation: str, channel: str
) -> None:
    user = filer(role)
    make, reads, _ = SITUATIONS[situation]
    someone = make(user)
    before = Case.objects.count()
    browser = client_for(user)
    # the pages send a filer back to the person's open draft of the procedure rather than start a second,
    # and the API answers 409 naming it (``services.open_draft``)
    drafting = (
        reads and Case.objects.filter(person=someone, procedure_id="rp-work", state=State.DRAFT).exists()
    )
    if channel == "web":
        page = browser.get("/en/apply/rp-work/", answers())
        form = hidden_fields(form_with_class(page.content.decode(), "start-application"))
        response = browser.post("/en/apply/rp-work/", form | {"person": str(someone.pk)})
        expected = 422 if drafting else 302 if reads else 404
        assert response.status_code == expected, f"{role}, {situation}"
        if drafting:
            assert "This person already has a draft for this application." in response.content.decode()
            return
    else:
        body = {"procedure": "rp-work", "person_id": someone.pk, "facts": eligible_facts("rp-work")}
        response = api(browser, "post", "/cases", json.loads(json.dumps(body, default=str)))
        assert response.status_code == (409 if drafting else 201 if reads else 404), f"{role}, {situation}"
    assert Case.objects.count() == before + (1 if reads and not drafting else 0)


def answers() -> dict[str, str]:
    """The advisor's eligible answers for rp-work, as its forms carry them to the apply page."""
    return as_answers(eligible_facts("rp-work"))


@pytest.mark.parametrize("role", ["proxy", "unit"])
def test_the_service_refuses_a_registry_person_outside_the_mandate_even_one_no_case_names(role: str) -> None:
    """A guessed person id never reaches a draft: the service itself asks the mandate (a person the
    registry holds with no case yet is not free to use), in both languages."""
    user = filer(role)
    for someone in (person(), _closed(State.COLLECTED, 400)(user)):
        with pytest.raises(access.Denied) as refused:
            services.start_case(
                actor(user), procedure_id="rp-work", person=someone, facts=eligible_facts("rp-work"), on=TODAY
            )
        assert "no application for this person open" in refused.value.text.en
        assert "代办" in refused.value.text.zh


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_re_entering_a_person_outside_the_mandate_is_refused_with_why_and_nothing_is_stored(
    lang: str,
) -> None:
    user = filer("proxy")
    someone = _closed(State.COLLECTED, 400)(user)
    TravelDocument.objects.create(
        person=someone,
        number="C01X00T8",
        issuing_country="DEU",
        issued_on=TODAY - 900 * DAY,
        expires_on=TODAY + 900 * DAY,
    )
    browser = client_for(user)
    page = browser.get(f"/{lang}/apply/rp-work/", answers())
    form = hidden_fields(form_with_class(page.content.decode(), "start-application"))
    before = (Case.objects.count(), TravelDocument.objects.count())
    response = browser.post(f"/{lang}/apply/rp-work/", form | new_person())
    assert response.status_code == 422
    said = response.content.decode()
    if lang == "en":
        assert "This passport belongs to a person in the registry you do not act for now" in said
    else:
        assert "此护照属于登记系统中您目前未代办的人员" in said
    assert (Case.objects.count(), TravelDocument.objects.count()) == before
    body = {"procedure": "rp-work", "facts": eligible_facts("rp-work")}
    body["person"] = {
        "surname": "Müller",
        "given_names": "Anna",
        "sex": "F",
        "birth_date": "1985-06-01",
        "nationality": "DEU",
        "passport": {
            "number": "C01X00T8",
            "issuing_country": "DEU",
            "issued_on": "2021-04-01",
            "expires_on": "2031-03-31",
        },
    }
    answer = api(browser, "post", "/cases", json.loads(json.dumps(body, default=str)))
    assert answer.status_code == 422 and "do not act for now" in answer.content.decode()
    assert (Case.objects.count(), TravelDocument.objects.count()) == before


def test_an_applicant_always_reads_themself_and_the_hall_only_under_its_own_rule() -> None:
    """The applicant's own record needs no mandate; the hall reads a person under ``access.hall_people``
    (``test_hall_reach``): its case closed long ago is its record, not a way into the person."""
    holder = applicant()
    PermitFactory(person=holder.person, kind="visa", permit_type="", valid_until=TODAY + 60 * DAY)
    case = closed(submitted(holder, "rp-work"), State.COLLECTED, 400)
    assert client_for(holder).get(f"/en/my/people/{holder.person_id}/permits/").status_code == 200
    assert api(client_for(holder), "get", f"/people/{holder.person_id}").status_code == 200
    clerk = client_for(officer(case.hall_id))
    assert api(clerk, "get", f"/people/{holder.person_id}").status_code == 404
    assert api(clerk, "get", f"/cases/{case.pk}").status_code == 200


@pytest.mark.parametrize(("days_ago", "in_mandate"), [(GRACE, True), (GRACE + 1, False)])
def test_an_old_case_page_keeps_its_history_without_the_persons_current_permits(days_ago, in_mandate) -> None:
    """The filer's page of a closed case shows what it filed; the link to the person's permits and the
    permit's standing today (here: cancelled since) only while the mandate lasts, so no link answers 404."""
    user = filer("proxy")
    someone = PersonFactory()
    case = started(user, "rp-extension", person=someone)
    permit = case.permit
    services.submit(actor(user), case, services.hall_choices(case_procedure(case), case.facts)[0], on=TODAY)
    closed(case, State.WITHDRAWN, days_ago)
    registry.end_permit(permit, Permit.Status.CANCELLED, "cancel-obtained-illegally", on=TODAY)
    browser = client_for(user)
    response = browser.get(f"/en/my/{case.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert case.reference in page and permit.number in page and "Withdrawn" in page
    link = f"/en/my/people/{someone.pk}/permits/"
    assert (link in page) == in_mandate
    assert ("Cancelled or confiscated" in page) == in_mandate
    assert browser.get(link).status_code == (200 if in_mandate else 404)
    if not in_mandate:
        assert "Your access to this person’s current permits ended" in page


def case_procedure(case: Case):
    from exitentry.law.catalog import catalog

    return catalog().procedure(case.procedure_id)


def _old_unit_case(left_days_ago: int | None):
    """Handler A's unit files a case for P (its employee, passport received, one file uploaded), collected
    400 days ago; P left the roster ``left_days_ago`` (None: still on it). A new handler B of the unit."""
    unit = UnitFactory()
    holder = applicant()
    passport = TravelDocumentFactory(person=holder.person, expires_on=TODAY + 900 * DAY)
    ended = None if left_days_ago is None else TODAY - left_days_ago * DAY
    AffiliationFactory(person=holder.person, unit=unit, started_on=TODAY - 900 * DAY, ended_on=ended)
    handler_a = UserFactory(role=Role.UNIT, unit=unit)
    case = submitted(handler_a, "rp-work", person=holder.person)
    hall_receives(actor(officer(case.hall_id)), case, on=TODAY)
    item = services.outstanding(case, TODAY)[0].item.id
    material = services.upload_material(actor(handler_a), case, item, pdf("scan"), on=TODAY)
    closed(case, State.COLLECTED, 400)
    return case, material, passport, holder, UserFactory(role=Role.UNIT, unit=unit)


@pytest.mark.parametrize(("left_days_ago", "reads"), [(300, False), (None, True)])
def test_an_old_case_keeps_its_files_and_passport_only_under_the_mandate(left_days_ago, reads) -> None:
    """A handler who joined after the employee left sees the unit's old case as history, not its files or
    the passport number; while the person is on the roster (the mandate), and to the person themself, they
    stay open."""
    case, material, passport, holder, handler_b = _old_unit_case(left_days_ago)
    assert case.travel_document_id == passport.pk
    browser = client_for(handler_b)
    assert browser.get(f"/en/materials/{material.pk}/").status_code == (200 if reads else 404)
    for lang, said in (("en", "kept as your history"), ("zh-hans", "作为您的记录保留")):
        page = browser.get(f"/{lang}/my/{case.pk}/")
        assert page.status_code == 200
        shown = page.content.decode()
        assert case.reference in shown
        assert (passport.number in shown) == reads, lang
        assert (f"/{lang}/materials/{material.pk}/" in shown) == reads, lang
        assert (said in shown) != reads, lang
    data = api(browser, "get", f"/cases/{case.pk}")
    assert data.status_code == 200
    body = data.json()
    assert body["reference"] == case.reference
    assert (body["passport"] is not None) == reads
    assert [m["id"] for m in body["materials"]] == ([material.pk] if reads else [])
    themself = client_for(holder)
    assert themself.get(f"/en/materials/{material.pk}/").status_code == 200
    assert passport.number in themself.get(f"/en/my/{case.pk}/").content.decode()
    assert api(themself, "get", f"/cases/{case.pk}").json()["passport"]["number"] == passport.number
