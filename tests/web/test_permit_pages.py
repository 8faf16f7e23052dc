"""My permits: a holder's permits on a day (in force, expiring, expired after the last day, void,
cancelled, with the Art. 34/35 ground), the duties with their dates marked passed or near, the start of an
extension that ends in a draft on that permit, who may see whose permits, and the reads audited."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from advisor_forms import form_with_class, forms, hidden_fields
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture
from state_badges import badge, badge_cite

from case_helpers import accepted, started, submitted
from exitentry.accounts.models import AuditEntry, Role
from exitentry.cases.lifecycle import State
from exitentry.cases.models import Case
from exitentry.compliance import coming_due, scan
from exitentry.law.catalog import catalog
from exitentry.law.rules import duties
from exitentry.law.rules.endings import DEATH_CANCEL_GROUND
from exitentry.law.sources import cite
from exitentry.registry import services as registry
from exitentry.registry.models import EntryExit, Permit, PermitEvent, TravelDocument
from exitentry.web import permit_views
from exitentry.web.templatetags.lawtext import day
from factories import (
    TODAY,
    PermitFactory,
    PersonFactory,
    TravelDocumentFactory,
    UnitFactory,
    UserFactory,
    VisaFactory,
    applicant,
    eligible_facts,
)
from factories import officer as officer_user

pytestmark = pytest.mark.django_db


def permit_for(person, days_left: int | None, **kwargs) -> Permit:
    """A work-type residence permit of ``person`` whose last day is ``days_left`` days after TODAY."""
    until = None if days_left is None else TODAY + timedelta(days=days_left)
    kwargs.setdefault("issued_on", TODAY - timedelta(days=300))
    return PermitFactory(person=person, valid_until=until, **kwargs)


def card(page: str, permit: Permit) -> str:
    """The part of the page about one permit (its article)."""
    start = page.index(f'aria-labelledby="permit-{permit.pk}-h"')
    return page[start : page.index("</article>", start)]


def start_forms(section: str) -> list[dict]:
    return [f for f in forms(section) if "/advisor/" in (f["attrs"].get("action") or "")]


@pytest.fixture
def holder():
    return applicant()


def test_each_permit_shows_its_state_on_the_day_with_why_and_the_law(holder):
    person = holder.person
    valid = permit_for(person, 200, number="E00000001")
    soon = permit_for(person, 20, number="E00000002", permit_type="study")
    last_day = permit_for(person, 0, number="E00000003", permit_type="family-reunion")
    expired = permit_for(person, -1, number="E00000004", permit_type="private-affairs")
    void = permit_for(person, 100, kind="visa", permit_type="", number="V00000005")
    registry.end_permit(void, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY)
    cancelled = permit_for(person, 100, kind="stay-permit", permit_type="", number="S00000006")
    registry.end_permit(cancelled, Permit.Status.CANCELLED, "cancel-obtained-illegally", on=TODAY)
    page = html(client_for(holder).get("/en/my/permits/", follow=True))
    assert "<h1>My permits" in page
    assert "✓</span> In force" in card(page, valid) and "Residence permit · Work" in card(page, valid)
    assert "⚠</span> Expiring" in card(page, soon)
    assert "its extension was to be applied for by 23 October 2026" in card(page, soon)
    assert "⚠</span> Expiring" in card(page, last_day)  # valid to the end of its last day
    assert "✕</span> Expired" in card(page, expired) and "Its last day was Sun 1 November 2026." in card(
        page, expired
    )
    assert "Art. 36" not in card(page, expired)  # Art. 36(2) defines a visa's entry validity, not a permit's
    assert badge(card(page, void)) == "Declared void"  # one line; the article is linked after it
    assert badge_cite(card(page, void)) == escape("Regulations on Foreigners' Entry and Exit, Art. 34")
    assert badge_cite(card(page, void)) == escape(cite("regulations", "Art. 34").one_line_label.en)
    full = escape("Regulations of the People's Republic of China on the Administration of the Entry and Exit")
    assert f'title="{full} of Foreigners (2025 revision)">' in card(page, void)  # the title on hover
    assert f"{full} of Foreigners, Art. 34" not in card(page, void)  # the history line cites it so too
    assert "The visa or stay or residence permit is damaged, lost, stolen or robbed" in card(page, void)
    assert "Art. 34(1)" in card(page, void)
    assert badge(card(page, cancelled)) == "Cancelled or confiscated"
    assert badge_cite(card(page, cancelled)) == escape(cite("regulations", "Art. 35").one_line_label.en)
    assert "It was obtained illegally by forgery, alteration, fraud or other means" in card(page, cancelled)
    assert "Art. 35(2)" in card(page, cancelled)
    zh = html(client_for(holder).get("/zh-hans/my/permits/", follow=True))
    assert "即将到期" in card(zh, soon) and badge(card(zh, void)) == "已宣布作废"
    assert badge_cite(card(zh, void)) == "《中华人民共和国外国人入境出境管理条例》第三十四条"
    assert "《中华人民共和国外国人入境出境管理条例》第三十四条第（一）项" in card(zh, void)


def test_the_duties_are_dated_from_the_last_day_and_marked_passed_or_near_in_words(holder):
    soon = permit_for(holder.person, 20)
    near = permit_for(holder.person, 45, permit_type="study")
    far = permit_for(holder.person, 200, permit_type="family-reunion")
    page = html(client_for(holder).get(f"/en/my/people/{holder.person_id}/permits/"))
    assert "Apply to extend the residence permit at least 30 days before it expires" in card(page, soon)
    assert "Fri 23 October 2026" in card(page, soon) and "passed 10 days ago" in card(page, soon)
    assert "Tue 17 November 2026" in card(page, near) and "15 days left" in card(page, near)
    assert 'class="due-note due-near"><span aria-hidden="true">⚠</span>' in card(page, near)
    assert "dates within 30 days are marked ⚠ with the days left" in page  # the legend names the marker
    assert "due-note" not in card(page, far).split("particulars change")[0]
    assert "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 32" in card(
        page, soon
    )


def test_a_new_passport_dates_the_change_of_particulars_on_the_day_the_reminder_gives(holder):
    """The registry records the change: the new travel document's number is a registered particular, and
    it changed the day the document was issued; My permits and the reminder read it from one place."""
    person = holder.person
    old = TravelDocumentFactory(person=person)
    EntryExit.objects.create(
        person=person, direction="entry", on=TODAY - timedelta(days=320), port="PEK", travel_document=old
    )
    rp = permit_for(person, 200)
    changed = TODAY - timedelta(days=6)  # due in 4 days: inside the reminder's lead
    new = TravelDocumentFactory(person=person, issued_on=changed, expires_on=date(2036, 1, 1))
    due = duties.particulars_change_due(changed)
    assert [f.due_on for f in coming_due.particulars_changes_coming_due(TODAY)] == [due]
    for path in ("/en/my/permits/", f"/en/my/permits/{rp.pk}/"):
        page = html(client_for(holder).get(path, follow=True))
        change = page[page.index("particulars change") :]
        change = change[: change.index("</li>")]
        assert f"<strong>{day(due)}</strong>" in change and "No date here" not in change
        # what changed is said beside the duty
        assert f"What changed: the new travel document No. {new.number}, issued on {day(changed)}" in change
    zh = html(client_for(holder).get("/zh-hans/my/permits/", follow=True))
    assert "No date here" not in zh and f"变更事项：新旅行证件（号码{new.number}）" in zh


def test_the_change_of_particulars_reads_the_travel_documents_the_page_read_once(
    holder, django_assert_num_queries
):
    """Each card says what changed its particulars from the holder's documents, which the page reads once
    for all its cards, not once per card."""
    person = holder.person
    old = TravelDocumentFactory(person=person)
    EntryExit.objects.create(
        person=person, direction="entry", on=TODAY - timedelta(days=320), port="PEK", travel_document=old
    )
    changed = TODAY - timedelta(days=6)
    new = TravelDocumentFactory(person=person, issued_on=changed, expires_on=date(2036, 1, 1))
    rp = permit_for(person, 200)
    held = scan.held([rp], TODAY)[rp.pk]
    documents = list(person.travel_documents.all())
    with django_assert_num_queries(0):
        assert permit_views._change(rp, held, documents) == new
    cards, _ = permit_views.holder_cards(holder, person, TODAY)
    assert [c.change for c in cards] == [new]


@pytest.fixture
def employer():
    """A unit handler who filed for a person: it reads that person's permits and may start a one-stop
    application for them, which the employer files (seed 002, 4. How to apply a)."""
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    person = PersonFactory()
    submitted(handler, "rp-work", person=person)
    return handler, person


def test_the_button_names_the_action_the_procedure_takes_in_each_language(employer):
    """The one-stop service's "renewal of the two permits" is their extension （延期）: its button says so."""
    handler, person = employer
    work = permit_for(person, 200, kind="work-permit", permit_type="", number="WP0000001")
    zh = card(html(client_for(handler).get(f"/zh-hans/my/people/{person.pk}/permits/")), work)
    assert "申请延期" in zh and "申请换发" not in zh and "“两证联办”（延期）" in zh
    en = card(html(client_for(handler).get(f"/en/my/people/{person.pk}/permits/")), work)
    assert "Apply for an extension" in en and "Apply for a renewal" not in en


@pytest.mark.parametrize("kind", ["residence-permit", "work-permit"])
def test_the_holder_is_told_the_employer_files_the_one_stop_renewal_not_offered_it(holder, kind):
    """Seed 002, 4. How to apply a: the employer's handler submits every one-stop application, the renewal
    of both permits (3. The service scope (3)) too; the holder's own page starts none, it says who files it
    with the guide cited, in both languages, and still offers the residence permit's own extension."""
    person = holder.person
    rp = permit_for(person, 20, number="E00000030")
    work = permit_for(person, 20, kind="work-permit", permit_type="", number="WP0000030")
    shown = rp if kind == "residence-permit" else work
    renewal = catalog().procedure("one-stop-work-permits-renewal")
    where = cite("bj-one-stop", "4. How to apply a").label
    en = card(html(client_for(holder).get(f"/en/my/people/{person.pk}/permits/")), shown)
    zh = card(html(client_for(holder).get(f"/zh-hans/my/people/{person.pk}/permits/")), shown)
    for page, lang in ((en, "en"), (zh, "zh-hans")):
        offered = [f["attrs"]["action"] for f in start_forms(page)]
        assert f"/{lang}/advisor/{renewal.id}/" not in offered
    said_en = en.split("Your employer applies for it", 1)[1].split("</p>", 1)[0]
    assert escape(renewal.title.en) in en and escape(where.en) in said_en
    said_zh = zh.split("由您的用人单位申请", 1)[1].split("</p>", 1)[0]
    assert escape(renewal.title.zh) in zh and escape(where.zh) in said_zh
    if shown == rp:
        assert [f["attrs"]["action"] for f in start_forms(en)][0] == "/en/advisor/rp-extension/"


def test_a_work_permit_shows_no_residence_permit_duty_in_either_language(holder):
    """Exit and Entry Administration Law Arts. 30, 32 and 33 bind residence permits: a work permit's card
    shows none of their duties (nor their articles), only what the law core says applies to it."""
    work = permit_for(holder.person, 20, kind="work-permit", permit_type="", number="WP0000002")
    en = card(html(client_for(holder).get("/en/my/permits/", follow=True)), work)
    zh = card(html(client_for(holder).get("/zh-hans/my/permits/", follow=True)), work)
    assert "Apply to extend the residence permit" not in en and "Art. 32" not in en
    assert "居留证件有效期届满" not in zh and "第三十二条" not in zh
    # the one-stop extension of both, which the employer files, is said
    assert "Your employer applies for it" in en and "由您的用人单位申请" in zh


def test_each_offered_procedure_says_what_it_does_so_the_employer_can_choose_between_two_extensions(
    employer,
):
    """A work-type residence permit offers its own extension and the one-stop extension of both permits:
    each button carries the catalog's summary, so the difference is on the page."""
    handler, person = employer
    permit = permit_for(person, 200)
    en = card(html(client_for(handler).get(f"/en/my/people/{person.pk}/permits/")), permit)
    zh = card(html(client_for(handler).get(f"/zh-hans/my/people/{person.pk}/permits/")), permit)
    for procedure_id in ("rp-extension", "one-stop-work-permits-renewal"):
        summary = catalog().procedure(procedure_id).summary_on(catalog().parameters, TODAY)
        assert escape(summary.en) in en and escape(summary.zh) in zh
    assert "{" not in en and "{" not in zh  # every number written in


def test_a_visa_recorded_as_a_permit_is_listed_under_visas_with_its_category(holder):
    person = holder.person
    work = permit_for(person, 200, number="E00000012")
    lost = permit_for(person, 200, kind="visa", permit_type="", number="VKR2021M0099")
    VisaFactory(
        travel_document=TravelDocumentFactory(person=person),
        number="VKR2021M0099",
        category="M",
        valid_from=lost.issued_on,
        valid_until=lost.valid_until,
    )
    registry.end_permit(lost, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY)
    for lang, visas, trade in (
        ("en", ">Visas<", "Visa · M (business and trade)"),  # the label an answer shows, not the definition
        ("zh-hans", ">签证<", "签证 · M字（商贸）"),
    ):
        page = html(client_for(holder).get(f"/{lang}/my/people/{person.pk}/permits/"))
        heading = page.index(visas, page.index('id="content"'))  # the section, not the menu
        assert page.index(f'aria-labelledby="permit-{work.pk}-h"') < heading
        assert page.index(f'aria-labelledby="permit-{lost.pk}-h"') > heading
        assert trade in card(page, lost) and "商业贸易活动" not in page and "commercial and trade" not in page
    assert page.count("VKR2021M0099") == card(page, lost).count("VKR2021M0099")  # listed once


def test_a_personal_affairs_permit_offers_the_personal_affairs_extension(holder):
    private = permit_for(holder.person, 200, permit_type="private-affairs", number="E00000011")
    page = html(client_for(holder).get(f"/en/my/people/{holder.person.pk}/permits/"))
    offered = [f["attrs"]["action"] for f in start_forms(card(page, private))]
    assert offered[0] == "/en/advisor/rp-personal-affairs-extension/"
    assert "/en/advisor/rp-extension/" not in offered
    assert "Apply for an extension: Personal-affairs residence permit (extension)" in card(page, private)


def test_only_what_the_law_core_says_applies_is_offered_and_nothing_once_a_permit_ended(holder):
    person = holder.person
    study = permit_for(person, 100, permit_type="study")
    expired = permit_for(person, -1, number="E00000009")
    void = permit_for(person, 100, number="E00000010", permit_type="family-reunion")
    registry.end_permit(void, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY)
    page = html(client_for(holder).get(f"/en/my/people/{person.pk}/permits/"))
    offered = [f["attrs"]["action"] for f in start_forms(card(page, study))]
    assert offered == [
        "/en/advisor/rp-extension/",
        "/en/advisor/rp-renewal/",
        "/en/advisor/rp-reissue/",
        "/en/advisor/study-part-time-endorsement/",
    ]
    assert start_forms(card(page, expired)) == [] and start_forms(card(page, void)) == []
    assert "it is no longer in force" in card(page, expired)


def test_the_extension_started_from_a_permit_ends_in_a_draft_on_that_permit(holder):
    permit = permit_for(holder.person, 20)
    browser = client_for(holder)
    page = html(browser.get(f"/en/my/permits/{permit.pk}/"))
    start = hidden_fields(start_forms(page)[0])
    assert start["permit"] == str(permit.pk) and start["residence_permit_type"] == "work"
    assert start["permit_expiry_date"] == permit.valid_until.isoformat()
    answers = {k: _raw(v) for k, v in eligible_facts("rp-extension").items()} | start
    checklist = html(browser.post("/en/advisor/rp-extension/", answers))
    apply = hidden_fields(form_with_class(checklist, "apply"))
    assert apply["permit"] == str(permit.pk)
    offer = html(browser.get("/en/apply/rp-extension/", apply))
    assert f'<option value="{permit.pk}" selected>' in offer
    response = browser.post(
        "/en/apply/rp-extension/",
        hidden_fields(form_with_class(offer, "start-application")) | {"permit": str(permit.pk)},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/my/{case.pk}/"
    assert (case.state, case.permit_id, case.person_id) == (State.DRAFT, permit.pk, holder.person_id)
    again = html(browser.get(f"/en/my/permits/{permit.pk}/"))
    link = f'<a href="/en/my/{case.pk}/">Residence permit extension (any type)</a> · Draft'
    assert f"Under way on this permit: {link}" in again
    assert start_forms(again) == []  # one application at a time on a permit, whatever its procedure
    assert "One application at a time on a permit" in again


def test_the_advisor_opened_from_a_permit_says_whose_permit_it_is_for_and_never_a_strangers(holder):
    permit = permit_for(holder.person, 20, number="RP0000042")
    start = hidden_fields(start_forms(html(client_for(holder).get(f"/en/my/permits/{permit.pk}/")))[0])
    page = html(client_for(holder).post("/en/advisor/rp-extension/", start))
    said = page[page.index('class="notice started-from"') :].split("</p>")[0]
    assert str(holder.person) in said and "RP0000042" in said and "Residence permit · Work" in said
    assert "Nothing is saved until you start the application" in page
    assert AuditEntry.objects.filter(action="permit.read", object_id=str(permit.pk)).exists()
    zh = html(client_for(holder).post("/zh-hans/advisor/rp-extension/", start))
    assert "RP0000042" in zh and "居留证件 · 工作" in zh
    odd = client_for(holder).post("/en/advisor/rp-extension/", start | {"permit": "²"})
    assert odd.status_code == 200 and "started-from" not in html(odd)
    stranger = permit_for(PersonFactory(), 20, number="RP0000043")
    other = html(client_for(holder).post("/en/advisor/rp-extension/", start | {"permit": str(stranger.pk)}))
    assert "RP0000043" not in other and "started-from" not in other


def _raw(value: object) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def test_the_history_reads_in_words_and_links_the_application_its_holder_may_open(holder):
    case = submitted(holder, "rp-work")
    permit = registry.issue_permit(
        holder.person,
        "residence-permit",
        number="E00000011",
        issued_on=TODAY,
        valid_until=TODAY + timedelta(days=365),
        permit_type="work",
        case=case,
    )
    registry.change_permit(permit, "extension", valid_until=date(2028, 6, 30))
    page = html(client_for(holder).get(f"/en/my/permits/{permit.pk}/"))
    history = page[page.index("<h3>History</h3>") :]
    assert history.index("Issued") < history.index("Extended")
    assert "valid until: Tue 2 November 2027 → Fri 30 June 2028" in history
    assert f'href="/en/my/{case.pk}/">the application</a>' in history
    zh = html(client_for(holder).get(f"/zh-hans/my/permits/{permit.pk}/"))
    assert "签发" in zh and "取号时间" not in zh


@pytest.mark.parametrize(
    ("lang", "said", "link"),
    [
        (
            "en",
            "Cancelled on the holder&#x27;s death",
            "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 40 para. 2</a>",
        ),
        ("zh-hans", "因持证人死亡注销", "《中华人民共和国出境入境管理法》第四十条第二款</a>"),
    ],
)
def test_the_history_names_a_cancellation_on_the_death_by_its_own_article_and_others_by_art_35(
    holder, lang, said, link
):
    died = permit_for(holder.person, 100, number="E00000012")
    registry.end_permit(died, Permit.Status.CANCELLED, DEATH_CANCEL_GROUND, on=TODAY)
    other = permit_for(holder.person, 100, kind="stay-permit", permit_type="", number="S00000013")
    registry.end_permit(other, Permit.Status.CANCELLED, "cancel-obtained-illegally", on=TODAY)
    client = client_for(holder)
    with translation.override(lang):
        art_35 = escape(str(PermitEvent.Kind.CANCELLATION.label))
    status, shown = html(client.get(f"/{lang}/my/permits/{died.pk}/")).split('class="events permit-events"')
    assert said in shown and art_35 not in shown
    status = status[status.index('class="permit-card') :]
    for part in (status, shown):  # the status line and the history: the article linked, as others are, once
        assert said in part and link in part, part
        assert f'<a class="cite" href="/{lang}/sources/#source-exit-entry-law"' in part, part
        assert part.count("Art. 40" if lang == "en" else "第四十条") == 1, part
    shown = html(client.get(f"/{lang}/my/permits/{other.pk}/")).split('class="events permit-events"')[1]
    # its ground's article on one line after it (as its badge), the full cited label no more
    one_line = escape(cite("regulations", "Art. 35(2)").one_line_label.get("en" if lang == "en" else "zh"))
    assert f">{one_line}</a>" in shown and art_35 not in shown and said not in shown


# --- who may see whose permits ---------------------------------------------------------------------------


@pytest.fixture
def world():
    """A holder with a permit, filed for by a proxy and a unit; another unit and another applicant."""
    holder = applicant()
    agent = UserFactory(role=Role.PROXY)
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    client = PersonFactory()
    submitted(agent, "rp-work", person=client)
    employee = PersonFactory()
    case = submitted(handler, "rp-work", person=employee)
    return {
        "holder": holder,
        "permit": permit_for(holder.person, 100),
        "agent": agent,
        "client_permit": permit_for(client, 100, number="E00000020"),
        "handler": handler,
        "employee_permit": permit_for(employee, 100, number="E00000021"),
        "other_handler": UserFactory(role=Role.UNIT, unit=UnitFactory()),
        "other_applicant": applicant(),
        "officer": officer_user(case.hall_id),
        "institution": UserFactory(role=Role.INSTITUTION),
    }


@pytest.mark.parametrize(
    ("who", "whose", "status"),
    [
        ("holder", "permit", 200),
        ("other_applicant", "permit", 404),
        ("agent", "client_permit", 200),
        ("agent", "permit", 404),
        ("handler", "employee_permit", 200),
        ("handler", "client_permit", 404),
        ("other_handler", "employee_permit", 404),
        ("officer", "employee_permit", 403),
        ("institution", "permit", 403),
    ],
)
def test_who_may_see_a_persons_permits_and_a_permit(world, who, whose, status):
    permit = world[whose]
    browser = client_for(world[who])
    assert browser.get(f"/en/my/people/{permit.person_id}/permits/").status_code == status
    assert browser.get(f"/en/my/permits/{permit.pk}/").status_code == status


def test_signed_out_the_pages_lead_to_sign_in(world):
    response = client_for(None).get("/en/my/permits/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_proxy_chooses_among_the_people_it_acts_for_and_the_nav_links_the_page(world):
    page = html(client_for(world["agent"]).get("/en/my/permits/"))
    client = world["client_permit"].person
    assert f'href="/en/my/people/{client.pk}/permits/"' in page
    assert str(world["holder"].person) not in page
    assert '<a href="/en/my/permits/">Permits and visas</a>' in page
    own = html(client_for(world["holder"]).get("/en/my/"))
    assert '<a href="/en/my/permits/">My permits</a>' in own


def test_reading_the_permits_is_audited_with_who_and_what(world):
    holder, permit = world["holder"], world["permit"]
    browser = client_for(holder)
    browser.get(f"/en/my/people/{holder.person_id}/permits/")
    browser.get(f"/en/my/permits/{permit.pk}/")
    listing = AuditEntry.objects.get(actor=holder, action="person.permits.read")
    assert (listing.object_type, listing.object_id, listing.new) == (
        "person",
        str(holder.person_id),
        {"permits": [permit.pk]},
    )
    read = AuditEntry.objects.get(actor=holder, action="permit.read")
    assert (read.object_type, read.object_id, read.role) == ("permit", str(permit.pk), "applicant")
    client_for(world["other_applicant"]).get(f"/en/my/permits/{permit.pk}/")
    assert not AuditEntry.objects.filter(actor=world["other_applicant"], action="permit.read").exists()


def test_a_proxys_list_of_people_is_audited_with_whom_it_showed(world):
    client_for(world["agent"]).get("/en/my/permits/")
    entry = AuditEntry.objects.get(actor=world["agent"], action="person.list")
    assert entry.new == {"people": [world["client_permit"].person_id]}


def test_the_page_asks_the_database_as_often_for_ten_permits_as_for_one(holder):
    browser = client_for(holder)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert browser.get(f"/en/my/people/{holder.person_id}/permits/").status_code == 200
        return len(captured)

    permit_for(holder.person, 20)
    queries()  # the first request of a session reads more (the session, the user)
    one = queries()
    for n in range(9):
        permit_for(holder.person, 40 + n, number=f"E1000000{n}")
    assert queries() == one


def test_a_visa_that_requires_a_residence_permit_shows_the_duty_after_entry_until_one_is_issued(holder):
    person = holder.person
    passport = TravelDocumentFactory(person=person, number="P1234567")
    VisaFactory(
        travel_document=passport,
        valid_from=TODAY - timedelta(days=40),
        valid_until=TODAY + timedelta(days=50),
    )
    entry = TODAY - timedelta(days=20)
    EntryExit.objects.create(person=person, direction="entry", on=entry, port="PEK", travel_document=passport)
    browser = client_for(holder)
    page = html(browser.get(f"/en/my/people/{person.pk}/permits/"))
    visas = page[page.index('id="visas-h"') :]
    assert "Visa · Z (work)" in visas and "Apply for a residence permit within 30 days of entry" in visas
    assert f"Last day: <strong>{day(duties.residence_permit_due(entry))}</strong>" in visas
    assert "10 days left" in visas
    zh = html(browser.get(f"/zh-hans/my/people/{person.pk}/permits/"))
    assert "签证 · Z字（工作）" in zh[zh.index('id="visas-h"') :]  # as the draft's answer says it
    facts = eligible_facts("rp-work") | {"visa_requires_residence_permit": True}
    accepted(
        holder, "rp-work", facts=facts
    )  # the hall accepted an application for the residence permit: applied for
    applied = html(browser.get(f"/en/my/people/{person.pk}/permits/"))
    assert "✓</span> applied for: receipt of Mon 2 November 2026" in applied[applied.index('id="visas-h"') :]
    permit_for(person, 300, issued_on=entry + timedelta(days=5))
    again = html(browser.get(f"/en/my/people/{person.pk}/permits/"))
    assert "within 30 days of entry" not in again[again.index('id="visas-h"') :]


def test_a_permit_with_an_accepted_extension_shows_its_duties_applied_for_not_passed(holder):
    case, _ = accepted(holder, "rp-extension")
    page = html(client_for(holder).get(f"/en/my/permits/{case.permit_id}/"))
    assert "Apply to extend the residence permit at least 30 days before it expires" in page
    assert "applied for: receipt of Mon 2 November 2026" in page and "passed" not in page
    assert "Under way on this permit" in page


def test_the_receipt_of_the_case_that_gave_the_permit_its_last_day_is_not_an_application_on_it(holder):
    case, _ = accepted(holder, "rp-extension")
    Case.objects.filter(pk=case.pk).update(state=State.ISSUED)  # the extension was granted: its days are in
    page = html(client_for(holder).get(f"/en/my/permits/{case.permit_id}/"))
    assert "Apply to extend the residence permit at least 30 days before it expires" in page
    assert "applied for: receipt of" not in page


def test_an_expired_visa_cites_the_definition_of_its_entry_validity(holder):
    visa = permit_for(holder.person, -1, kind="visa", permit_type="", number="V00000007")
    page = html(client_for(holder).get("/en/my/permits/", follow=True))
    assert "Its last day was Sun 1 November 2026." in card(page, visa) and "Art. 36(2)" in card(page, visa)


def outline(page: str) -> list[tuple[int, str]]:
    """The page's headings in order: their level and text."""
    from html.parser import HTMLParser

    class Headings(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.found: list[list] = []
            self.open: list | None = None

        def handle_starttag(self, tag: str, attrs) -> None:
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                self.open = [int(tag[1]), ""]
                self.found.append(self.open)

        def handle_endtag(self, tag: str) -> None:
            if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
                self.open = None

        def handle_data(self, data: str) -> None:
            if self.open is not None:
                self.open[1] += data

    parser = Headings()
    parser.feed(page)
    return [(level, " ".join(text.split())) for level, text in parser.found]


def test_my_permits_has_a_section_per_kind_with_its_cards_a_level_below(holder):
    """h1 the page, h2 "Permits", "Visas" and "Travel documents", h3 each card (a visa recorded as a permit
    too), h4 inside."""
    person = holder.person
    permit_for(person, 200, number="E00000012")
    permit_for(person, 200, kind="visa", permit_type="", number="VKR2021M0099")
    VisaFactory(travel_document=TravelDocumentFactory(person=person), number="V12345678", category="F")
    for lang, permits, visas, documents in (
        ("en", "Permits", "Visas", "Travel documents"),
        ("zh-hans", "证件", "签证", "旅行证件"),
    ):
        headings = outline(html(client_for(holder).get(f"/{lang}/my/people/{person.pk}/permits/")))
        sections = [text for level, text in headings if level == 2]
        assert sections == [permits, visas, documents], headings
        cards = [text for level, text in headings if level == 3]
        assert any("E00000012" in t for t in cards) and any("VKR2021M0099" in t for t in cards), headings
        assert any("V12345678" in t or " F" in t for t in cards), headings
        levels = [level for level, _ in headings]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), headings


def test_a_work_permit_ending_with_the_residence_permit_makes_the_one_stop_extension_the_primary_button(
    employer,
):
    """Both permits end the same day: the one-stop extension of both is the highlighted button, on the
    person's permits and on the permit's own page, for the employer who files it; a work permit ending
    another day leaves the any-type one first."""
    holder, person = employer
    rp = permit_for(person, 20, number="E00000020")
    work = permit_for(person, 20, kind="work-permit", permit_type="", number="WP0000020")

    def primary(page: str) -> str:
        start = page.index('class="primary"')
        return page[start : page.index("</form>", start)]

    one_stop = escape(catalog().procedure("one-stop-work-permits-renewal").title.en)
    assert one_stop in primary(card(html(client_for(holder).get(f"/en/my/people/{person.pk}/permits/")), rp))
    assert one_stop in primary(html(client_for(holder).get(f"/en/my/permits/{rp.pk}/")))
    zh = card(html(client_for(holder).get(f"/zh-hans/my/people/{person.pk}/permits/")), rp)
    assert escape(catalog().procedure("one-stop-work-permits-renewal").title.zh) in primary(zh)
    Permit.objects.filter(pk=work.pk).update(valid_until=rp.valid_until + timedelta(days=30))
    later = card(html(client_for(holder).get(f"/en/my/people/{person.pk}/permits/")), rp)
    assert escape(catalog().procedure("rp-extension").title.en) in primary(later)


@pytest.mark.parametrize(
    ("lang", "says"),
    [("en", "stands in the way of the change due by"), ("zh-hans", "妨碍办理须于")],
)
def test_a_draft_in_the_way_of_a_change_coming_due_says_so_and_links_the_way_out(holder, lang, says):
    """A new passport makes the permit's change due in days; an extension draft on the permit blocks it (one
    application at a time): the card says so and links the draft's withdrawal and the change's procedures."""
    permit = permit_for(holder.person, 400, permit_type="private-affairs")
    old = TravelDocumentFactory(person=holder.person)
    EntryExit.objects.create(
        person=holder.person, direction="entry", on=date(2026, 1, 10), travel_document=old
    )
    TravelDocumentFactory(person=holder.person, issued_on=TODAY - timedelta(days=7))  # a new passport
    draft = started(holder, "rp-personal-affairs-extension", permit=permit)
    mine = card(html(client_for(holder).get(f"/{lang}/my/people/{holder.person_id}/permits/")), permit)
    assert says in mine and "One application at a time on a permit" not in mine
    assert f'href="/{lang}/my/{draft.pk}/withdraw/"' in mine
    assert f'href="/{lang}/guide/rp-renewal/"' in mine
    assert f'href="/{lang}/guide/rp-personal-affairs-extension/"' not in mine  # the draft is no way out
    # the change of particulars is applied for as a renewal (Regulations Art. 17): said so, once, no "Apply for"
    renewal = {
        "en": "handled as a renewal: the permit is re-issued with the new particulars",
        "zh-hans": "按换发办理",
    }
    assert renewal[lang] in mine and "Apply for a renewal" not in mine and "申请换发：" not in mine


@pytest.mark.parametrize(
    ("lang", "open_at_hall", "reissue"),
    [
        ("en", "which is no longer in force", "Apply for a reissue"),
        ("zh-hans", "该证件已失效", "申请补发"),
    ],
)
def test_a_void_permit_says_its_open_application_cannot_keep_it_valid_and_links_the_reissue(
    holder, lang, open_at_hall, reissue
):
    permit = permit_for(holder.person, 200)
    case = submitted(holder, "rp-extension", permit=permit)
    registry.end_permit(permit, Permit.Status.VOID, "void-damaged-lost-stolen-robbed", on=TODAY)
    mine = card(html(client_for(holder).get(f"/{lang}/my/people/{holder.person_id}/permits/")), permit)
    assert open_at_hall in mine and f'href="/{lang}/my/{case.pk}/"' in mine
    assert f'href="/{lang}/guide/rp-reissue/"' in mine and reissue in mine


def test_a_permit_voided_on_another_ground_is_offered_no_reissue(holder):
    permit = permit_for(holder.person, 200)
    registry.end_permit(permit, Permit.Status.VOID, "void-ordered-out-not-confiscated", on=TODAY)
    mine = card(html(client_for(holder).get(f"/en/my/people/{holder.person_id}/permits/")), permit)
    assert "/guide/rp-reissue/" not in mine and 'href="/en/">All procedures</a>' in mine


def test_a_new_passport_is_listed_beside_an_earlier_reported_change_with_its_own_last_day(holder):
    """Two changes of particulars: the duty runs from the earlier, and the later is listed too, named as
    the reminder names it (``compliance.reminders.changed``), each with its last day."""
    from django.utils import timezone

    from exitentry.compliance.models import ChangeReport

    person = holder.person
    old = TravelDocumentFactory(person=person)
    EntryExit.objects.create(
        person=person, direction="entry", on=TODAY - timedelta(days=320), port="PEK", travel_document=old
    )
    rp = permit_for(person, 200)
    ChangeReport.objects.create(
        permit=rp,
        particular="reason",
        changed_on=TODAY - timedelta(days=7),
        reported_on=TODAY - timedelta(days=7),
        filed_by=holder,
        filed_at=timezone.now(),
        number="BD990001",
        source="web",
    )
    new = TravelDocumentFactory(
        person=person, issued_on=TODAY - timedelta(days=6), expires_on=date(2036, 1, 1)
    )
    later = duties.particulars_change_due(TODAY - timedelta(days=6))
    for lang, says in (("en", "Also changed: Passport number"), ("zh-hans", "另有变更：护照号码")):
        page = html(client_for(holder).get(f"/{lang}/my/permits/{rp.pk}/"))
        also = page[page.index(says) :]
        assert "last day" in also[: also.index("</p>")] or "最后期限" in also[: also.index("</p>")]
    page = html(client_for(holder).get(f"/en/my/permits/{rp.pk}/"))
    also = page[page.index("Also changed") :]
    assert f"last day to apply for the permit's change is {day(later)}" in also[: also.index("</p>")]
    assert "claim" not in also[: also.index("</p>")]  # the hall recorded this passport
    # given online instead: a claim, and said to await the hall's check
    TravelDocument.objects.filter(pk=new.pk).update(claim=True)
    changed = day(TODAY - timedelta(days=6))
    for lang, says in (
        (
            "en",
            f"Also changed: Passport number, on {changed} (the new passport was given online"
            " and awaits the hall's check); for this change",
        ),
        ("zh-hans", "另有变更：护照号码（新护照系网上提交，待大厅核验），变更于"),
    ):
        page = html(client_for(holder).get(f"/{lang}/my/permits/{rp.pk}/"))
        also = page[page.index('class="notice also-changed"') :]
        sentence = unescape(re.sub(r"<[^>]+>", "", also[also.index(">") + 1 : also.index("</p>")])).strip()
        assert says in sentence and sentence.endswith(("。", ".")), sentence


def test_my_permits_reads_the_changes_of_particulars_once_for_any_number_of_cards(holder):
    """The changes the scan's sources find, the passports given online among them and what each holder's
    report changed are read once for the page, not once per card or per report."""
    from django.utils import timezone

    from exitentry.compliance.models import ChangeReport

    person = holder.person
    browser = client_for(holder)

    def reported(permit: Permit, days_ago: int, particular: str = "reason") -> None:
        ChangeReport.objects.create(
            permit=permit,
            particular=particular,
            changed_on=TODAY - timedelta(days=days_ago),
            reported_on=TODAY - timedelta(days=days_ago),
            filed_by=holder,
            filed_at=timezone.now(),
            number=f"BD{ChangeReport.objects.count() + 990100}",
            source="web",
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = html(browser.get(f"/en/my/people/{person.pk}/permits/"))
        assert "Also changed: Name" in page and "awaiting the hall" in page
        return len(captured)

    old = TravelDocumentFactory(person=person)
    EntryExit.objects.create(
        person=person, direction="entry", on=TODAY - timedelta(days=320), port="PEK", travel_document=old
    )
    latest = permit_for(person, 200, issued_on=TODAY - timedelta(days=200))
    TravelDocumentFactory(
        person=person, issued_on=TODAY - timedelta(days=10), expires_on=date(2036, 1, 1), claim=True
    )
    reported(latest, 7, "name")
    queries()  # the first request of a session reads more (the session, the user)
    one = queries()
    for n in range(3):
        reported(permit_for(person, 100 + n, number=f"E2000000{n}"), 5 + n, "name")
    assert queries() == one


def test_an_issued_application_on_a_permit_is_to_be_collected_not_withdrawn(holder):
    """A decided case cannot be withdrawn (lifecycle: ``withdraw`` runs before the decision): the hint says
    another can be started once the permit is collected."""
    case, _ = accepted(holder, "rp-extension")
    page = html(client_for(holder).get(f"/en/my/permits/{case.permit_id}/"))
    assert "finished or withdrawn" in page
    Case.objects.filter(pk=case.pk).update(state=State.ISSUED)
    page = html(client_for(holder).get(f"/en/my/permits/{case.permit_id}/"))
    assert "Under way on this permit" in page
    assert "once the permit issued is collected" in page and "withdrawn" not in page


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        (
            "en",
            "the halls are closed that day: the last day a hall is open before it is Thu 31 December 2026",
        ),
        ("zh-hans", "当日各出入境大厅均不办公：此前最后一个办公日为2026年12月31日（周四）"),
    ],
)
def test_a_duty_due_when_every_hall_is_closed_gives_the_last_day_one_opens_beside_it(holder, lang, note):
    """Due on New Year's Day 2027, a statutory holiday though 2027's notice is not published."""
    extension = permit_for(holder.person, 90)  # last day Sun 31 January 2027: apply by Fri 1 January
    card_held = permit_for(holder.person, 60, kind="pr-card", permit_type="")  # last day Fri 1 January 2027
    page = html(client_for(holder).get(f"/{lang}/my/people/{holder.person_id}/permits/"))
    assert duties.extension_due(extension.valid_until, TODAY) == date(2027, 1, 1)
    assert note in card(page, extension) and note in card(page, card_held)
    assert page.count(note) == 2  # not beside the duties due on a day a hall opens


def test_the_duty_after_entry_counts_the_days_the_visa_of_the_entry_states_not_another_passports_visa(holder):
    """Regulations Art. 9: the visa states the time limit for applying for the residence permit; the visa is
    the one the entry was made on (``registry.stay.visa_of_last_entry``), not one in another passport."""
    person = holder.person
    passport, old = TravelDocumentFactory(person=person), TravelDocumentFactory(person=person)
    for document, within in ((passport, 10), (old, 30)):
        VisaFactory(
            travel_document=document,
            valid_from=TODAY - timedelta(days=40),
            valid_until=TODAY + timedelta(days=50),
            residence_permit_within_days=within,
        )
    entry = TODAY - timedelta(days=3)
    EntryExit.objects.create(person=person, direction="entry", on=entry, port="PEK", travel_document=passport)
    page = html(client_for(holder).get(f"/en/my/people/{person.pk}/permits/"))
    visas = page[page.index('id="visas-h"') :]
    assert "Apply for a residence permit within 10 days of entry" in visas
    assert f"Last day: <strong>{day(duties.residence_permit_due(entry, 10))}</strong>" in visas
    assert "within 30 days of entry" not in visas


def test_an_old_expired_visa_reads_as_expired_with_no_duty_or_application_on_it(holder):
    """A Z visa of 2018 whose entry's 30 days passed long ago: no last day, no "applied for", only expired."""
    person = holder.person
    passport = TravelDocumentFactory(person=person, number="P7654321")
    VisaFactory(travel_document=passport, valid_from=date(2018, 3, 1), valid_until=date(2018, 6, 1))
    EntryExit.objects.create(
        person=person, direction="entry", on=date(2018, 3, 10), port="PEK", travel_document=passport
    )
    accepted(holder, "rp-work", facts=eligible_facts("rp-work") | {"visa_requires_residence_permit": True})
    page = html(client_for(holder).get(f"/en/my/people/{person.pk}/permits/"))
    visas = page[page.index('id="visas-h"') :]
    assert "Expired" in visas or "expired" in visas
    assert "Last day:" not in visas and "applied for" not in visas and "within 30 days of entry" not in visas
